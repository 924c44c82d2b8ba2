// A learner's claim on a job, before it is queued: single flight, the burst allowance and the queue's bound (one
// Redis round trip, src/queue/admission.ts), the marks that say a producer still waits, and their release.
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { DEL_IF_EQUALS, type RedisKeys } from '../store/redis.js';
import { CLAIM_JOB, RedisMemoryGauge, isRedisOutOfMemory } from './admission.js';
import { SubmitError } from './errors.js';

/**
 * A waiting producer renews its marks this often; they lapse WAITER_TTL_MS after it dies, so a learner is
 * never told "still running, I'll answer" by a producer that is gone, and no worker runs a job for nobody.
 */
const WAITER_RENEW_MS = 3_000;
export const WAITER_TTL_MS = 15_000;

type ClaimReply = [code: number, retryInMs: number];

export class LearnerClaims {
  private readonly memory: RedisMemoryGauge;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly config: Config,
    /** How long an admitted job may wait to be added before its admission lapses. */
    private readonly admitMaxAgeMs: number,
  ) {
    this.memory = new RedisMemoryGauge(redis);
  }

  /**
   * Single flight, then room in the queue and a burst allowance (LEARNER_BURST commands at once, then one per
   * LEARNER_COOLDOWN_MS), atomic in Redis so several bot processes agree. A holder whose waiter lapsed (its
   * producer died) is taken over rather than waited for. Refusals are SubmitErrors; nothing is left claimed.
   */
  async claim(learnerId: string, jobId: string): Promise<void> {
    try {
      if (await this.memory.nearlyFull()) throw new SubmitError({ code: 'server-full' });
      let [code, retryInMs] = await this.tryClaim(learnerId, jobId);
      if (code === 0 && (await this.tookOverLapsedHolder(learnerId))) [code, retryInMs] = await this.tryClaim(learnerId, jobId);
      if (code === 1) return;
      if (code === 0) {
        await this.redis.del(this.keys.waiter(jobId));
        throw new SubmitError({ code: 'busy' });
      }
      if (code === 2) throw new SubmitError({ code: 'cooldown', retryInMs: Math.max(retryInMs, 1) });
      throw new SubmitError({ code: 'queue-full', limit: this.config.QUEUE_MAX_WAITING });
    } catch (err) {
      if (err instanceof SubmitError) throw err;
      // Never leave the learner marked busy because Redis failed half-way.
      await this.release(learnerId, jobId);
      if (isRedisOutOfMemory(err)) throw new SubmitError({ code: 'server-full' });
      throw new SubmitError({ code: 'unavailable', detail: `Redis failed (${(err as Error).message})` });
    }
  }

  private async tryClaim(learnerId: string, jobId: string): Promise<ClaimReply> {
    const keys = [this.keys.waiter(jobId), this.keys.inflight(learnerId), this.keys.cooldown(learnerId), this.keys.admitted()];
    const { LEARNER_COOLDOWN_MS, LEARNER_BURST, QUEUE_MAX_WAITING } = this.config;
    const args = [jobId, WAITER_TTL_MS, LEARNER_COOLDOWN_MS, LEARNER_BURST, QUEUE_MAX_WAITING, this.admitMaxAgeMs];
    return (await this.redis.eval(CLAIM_JOB, keys.length, ...keys, ...args)) as ClaimReply;
  }

  /** Frees the learner's in-flight mark when its holder's producer is gone (its waiter mark lapsed). */
  private async tookOverLapsedHolder(learnerId: string): Promise<boolean> {
    const inflight = this.keys.inflight(learnerId);
    const holder = await this.redis.get(inflight);
    if (!holder || (await this.redis.exists(this.keys.waiter(holder)))) return false;
    await this.redis.eval(DEL_IF_EQUALS, 1, inflight, holder);
    return true;
  }

  /** Jobs this producer waits for, by id, with their learner: their marks are renewed together. */
  private readonly waiting = new Map<string, string>();
  private renewTimer: NodeJS.Timeout | undefined;

  /**
   * Renews the learner's single-flight mark and the job's waiter mark while this producer waits. One timer and
   * one pipeline renew every waiting job's marks: a timer and a MULTI per job was 8% of the bot's CPU with a
   * hundred /runs in line.
   */
  keepWaiting(learnerId: string, jobId: string): () => void {
    this.waiting.set(jobId, learnerId);
    this.renewTimer ??= setInterval(() => this.renewWaiting(), WAITER_RENEW_MS);
    return () => {
      this.waiting.delete(jobId);
      if (this.waiting.size > 0 || this.renewTimer === undefined) return;
      clearInterval(this.renewTimer);
      this.renewTimer = undefined;
    };
  }

  private renewWaiting(): void {
    const renew = this.redis.pipeline();
    for (const [jobId, learnerId] of this.waiting) renew.pexpire(this.keys.inflight(learnerId), WAITER_TTL_MS).pexpire(this.keys.waiter(jobId), WAITER_TTL_MS);
    void renew.exec().catch(() => {});
  }

  /** Gives up the job the learner's previous process left waiting; returns its id, if there was one. */
  async abandon(learnerId: string): Promise<string | undefined> {
    const inflight = this.keys.inflight(learnerId);
    const holder = await this.redis.get(inflight);
    if (!holder) return undefined;
    await this.redis.del(this.keys.waiter(holder));
    await this.redis.eval(DEL_IF_EQUALS, 1, inflight, holder);
    return holder;
  }

  /** Stops the timers (the memory gauge's; the renewal's stops with its last waiting job). */
  close(): void {
    this.memory.stop();
  }

  async release(learnerId: string, jobId: string): Promise<void> {
    await this.redis
      .multi()
      .eval(DEL_IF_EQUALS, 1, this.keys.inflight(learnerId), jobId)
      .del(this.keys.waiter(jobId))
      .zrem(this.keys.admitted(), jobId)
      .exec()
      .catch(() => {});
  }
}
