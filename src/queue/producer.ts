import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { LabCommand } from '../lab/command.js';
import type { Logger } from '../log.js';
import { DEL_IF_EQUALS, createRedis, pingRedis, redisKeys, type RedisKeys } from '../store/redis.js';
import { learnerIdSchema, type ExecutionMode, type SandboxProfile } from '../sandbox/types.js';
import { SubmitError } from './errors.js';
import {
  MAX_COMMAND_CHARS,
  QUEUE_NAME,
  commandJobResultSchema,
  commandSchema,
  labClearJobResultSchema,
  labJobResultSchema,
  type CommandJobResult,
  type JobData,
  type JobResult,
  type LabClearJobResult,
  type LabJobResult,
  type Progress,
} from './jobs.js';
import { submitLabLine, type LegacySubmitResult } from './legacy-lab.js';
import { PlacesInLine } from './places-in-line.js';

/** How long a learner may wait for a result: Discord's interaction token lives 15 minutes. */
const RESULT_WAIT_MS = 15 * 60_000;
const POSITION_POLL_MS = 1_000;

export interface ProgressOptions {
  onProgress?: (p: Progress) => void;
}

export interface SubmitOptions extends ProgressOptions {
  /** The seccomp profile to run under (lesson steps that build containers by hand ask for `userns`). */
  profile?: SandboxProfile;
  /**
   * `lab`: the command is a docker command line for the learner's lab; `lab-clear`: remove the lab.
   * @deprecated kept until the engine switches to runLab/clearLab; remove at merge
   */
  kind?: 'command' | 'lab' | 'lab-clear';
}

type JobKind = JobData['kind'];

/**
 * A token bucket per learner: ARGV[1] ms per token, ARGV[2] tokens at most. Returns {1, 0} when a token was
 * taken, else {0, ms until the next one}. Redis's own clock, so every process agrees.
 */
const TAKE_TOKEN = `
local now_t = redis.call('TIME')
local now = tonumber(now_t[1]) * 1000 + math.floor(tonumber(now_t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 't', 'n')
local t = tonumber(b[1])
local n = tonumber(b[2])
if n == nil or t == nil then n = burst; t = now end
local refill = math.floor((now - t) / interval)
if refill > 0 then n = math.min(burst, n + refill); t = t + refill * interval end
if n >= burst then t = now end
if n < 1 then return {0, interval - (now - t)} end
redis.call('HSET', KEYS[1], 't', t, 'n', n - 1)
redis.call('PEXPIRE', KEYS[1], interval * burst + 1000)
return {1, 0}
`;

/**
 * The one producer API the rest of the app uses: submit (a shell command in the sandbox), runLab (a
 * parsed lab command) and clearLab resolve to typed results and report progress. Per learner it enforces
 * single flight and a cooldown; globally, a bounded queue. Refusals are SubmitErrors carrying a code the
 * tutor words for the learner.
 */
export class CommandQueue {
  private readonly keys: RedisKeys;
  private readonly places: PlacesInLine;
  private readonly listeners = new Map<string, (p: Progress) => void>();
  /** Jobs this producer waits for, settled from the queue's event stream; registered before the job is added. */
  private readonly finishing = new Map<string, { resolve(value: unknown): void; reject(err: Error): void }>();

  private constructor(
    private readonly config: Config,
    private readonly redis: Redis,
    readonly queue: Queue<JobData, JobResult>,
    private readonly events: QueueEvents,
    private readonly eventsRedis: Redis,
    private readonly log: Logger,
  ) {
    this.keys = redisKeys(config.SENSEI_PREFIX);
    this.places = new PlacesInLine(redis, queue.keys.wait!, POSITION_POLL_MS);
    // A worker took the job (BullMQ's own event, so a worker spends no Redis call on reporting it).
    events.on('active', ({ jobId }) => this.listeners.get(jobId)?.({ stage: 'started' }));
    // One listener each for every job, rather than BullMQ's waitUntilFinished: that adds listeners per job and
    // asks Redis whether the job has already finished, a round trip we avoid by listening before the add.
    events.on('completed', ({ jobId, returnvalue }) => this.finishing.get(jobId)?.resolve(returnvalue));
    events.on('failed', ({ jobId, failedReason }) => this.finishing.get(jobId)?.reject(new Error(failedReason || 'the worker failed')));
  }

  static async create(config: Config, log: Logger): Promise<CommandQueue> {
    const redis = createRedis(config.REDIS_URL, 'producer', log);
    try {
      await pingRedis(redis, config.REDIS_URL);
    } catch (err) {
      redis.disconnect();
      throw new SubmitError({ code: 'unavailable', detail: (err as Error).message });
    }
    // QueueEvents blocks on XREAD, so it needs a connection of its own that never gives up.
    const eventsRedis = createRedis(config.REDIS_URL, 'worker', log);
    const queue = new Queue<JobData, JobResult>(QUEUE_NAME, { connection: redis, prefix: config.SENSEI_PREFIX });
    let events: QueueEvents;
    try {
      // Read events from the stream's present end, whenever the first read reaches Redis: none is missed.
      const [last] = await redis.xrevrange(queue.keys.events!, '+', '-', 'COUNT', 1);
      events = new QueueEvents(QUEUE_NAME, { connection: eventsRedis, prefix: config.SENSEI_PREFIX, lastEventId: last?.[0] ?? '0-0' });
    } catch (err) {
      await queue.close();
      redis.disconnect();
      eventsRedis.disconnect();
      throw new SubmitError({ code: 'unavailable', detail: `Redis at ${config.REDIS_URL} failed (${(err as Error).message})` });
    }
    try {
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    } catch (err) {
      await Promise.allSettled([queue.close(), events.close()]);
      redis.disconnect();
      eventsRedis.disconnect();
      throw new SubmitError({ code: 'unavailable', detail: `Redis at ${config.REDIS_URL} failed (${(err as Error).message})` });
    }
    return new CommandQueue(config, redis, queue, events, eventsRedis, log);
  }

  /** How many workers are connected to this queue (0 means nobody would run a job). */
  workerCount(): Promise<number> {
    return this.queue.getWorkersCount();
  }

  /**
   * Runs a shell command in the learner's sandbox (one-shot or their session). (With the deprecated
   * `kind`, a lab line: its result then also has `notes` in both languages.)
   */
  async submit(learnerId: string, command: string, mode: ExecutionMode, opts: SubmitOptions = {}): Promise<CommandJobResult & LegacySubmitResult> {
    checkLearner(learnerId);
    const checked = commandSchema.safeParse(command);
    if (!checked.success) {
      const reason = checked.error.issues[0]?.message;
      throw new SubmitError({
        code: 'invalid-command',
        reason: reason === 'empty' || reason === 'too-long' || reason === 'control-characters' ? reason : 'invalid',
        limit: MAX_COMMAND_CHARS,
      });
    }
    if (opts.kind === 'lab' || opts.kind === 'lab-clear') return submitLabLine(this, learnerId, command, opts.kind, opts);
    const raw = await this.enqueue(learnerId, 'command', { command, mode, profile: opts.profile ?? 'default' }, opts);
    return commandJobResultSchema.parse(raw);
  }

  /**
   * Runs a parsed lab command on the learner's own lab containers. The result has docker's output and
   * flags; `notes` are what the runtime wants said (the parser's notes stay with the caller).
   */
  async runLab(learnerId: string, command: LabCommand, opts: ProgressOptions = {}): Promise<LabJobResult> {
    return labJobResultSchema.parse(await this.enqueue(learnerId, 'lab', { lab: command }, opts));
  }

  /** Removes every lab container of the learner; resolves to how many there were. */
  async clearLab(learnerId: string, opts: ProgressOptions = {}): Promise<LabClearJobResult> {
    return labClearJobResultSchema.parse(await this.enqueue(learnerId, 'lab-clear', {}, opts));
  }

  /** One job for one learner, under single flight and cooldown; resolves to the worker's unchecked answer. */
  private async enqueue<K extends JobKind>(
    learnerId: string,
    kind: K,
    fields: Omit<Extract<JobData, { kind: K }>, 'kind' | 'learnerId' | 'submittedAt'>,
    opts: ProgressOptions,
  ): Promise<unknown> {
    checkLearner(learnerId);
    const jobId = randomUUID();
    const { waiting } = await this.claimLearner(learnerId, jobId);
    let finished = false;
    try {
      const data = { ...fields, kind, learnerId, submittedAt: Date.now() } as JobData;
      const raw = await this.enqueueAndWait(jobId, data, waiting, opts);
      finished = true;
      return raw;
    } finally {
      // A finished job's worker has released the learner already; this covers one that failed to, off the reply's path.
      const released = this.release(learnerId, jobId);
      if (!finished) await released;
    }
  }

  /**
   * Single flight, then a burst allowance (LEARNER_BURST commands at once, then one per LEARNER_COOLDOWN_MS),
   * both atomic in Redis so several bot processes agree.
   */
  private async claimLearner(learnerId: string, jobId: string): Promise<{ waiting: number }> {
    const inflight = this.keys.inflight(learnerId);
    const { wait, prioritized, delayed } = this.queue.keys;
    // The claim and the queue's length in one round trip; the length is checked after busy and cooldown.
    const replies = await this.redis
      .multi()
      .set(inflight, jobId, 'PX', RESULT_WAIT_MS, 'NX')
      .llen(wait!)
      .zcard(prioritized!)
      .zcard(delayed!)
      .exec()
      .catch((err: Error) => {
        throw new SubmitError({ code: 'unavailable', detail: `Redis failed (${err.message})` });
      });
    const failed = replies?.find(([err]) => err)?.[0];
    if (!replies || failed) throw new SubmitError({ code: 'unavailable', detail: `Redis failed (${failed?.message ?? 'no reply'})` });
    if (replies[0]![1] !== 'OK') throw new SubmitError({ code: 'busy' });
    const waiting = replies.slice(1).reduce((sum, [, n]) => sum + Number(n), 0);
    const cooldownMs = this.config.LEARNER_COOLDOWN_MS;
    if (cooldownMs <= 0) return { waiting };
    let verdict: [number, number];
    try {
      verdict = (await this.redis.eval(TAKE_TOKEN, 1, this.keys.cooldown(learnerId), cooldownMs, this.config.LEARNER_BURST)) as [number, number];
    } catch (err) {
      // Never leave the learner marked busy because Redis failed half-way.
      await this.release(learnerId, jobId);
      throw new SubmitError({ code: 'unavailable', detail: `Redis failed (${(err as Error).message})` });
    }
    if (verdict[0] !== 1) {
      await this.release(learnerId, jobId);
      throw new SubmitError({ code: 'cooldown', retryInMs: Math.max(verdict[1], 1) });
    }
    return { waiting };
  }

  private async release(learnerId: string, jobId: string): Promise<void> {
    await this.redis.eval(DEL_IF_EQUALS, 1, this.keys.inflight(learnerId), jobId).catch(() => {});
  }

  private async enqueueAndWait(jobId: string, data: JobData, waiting: number, opts: ProgressOptions): Promise<unknown> {
    const limit = this.config.QUEUE_MAX_WAITING;
    if (waiting >= limit) throw new SubmitError({ code: 'queue-full', limit });

    let started = false;
    this.listeners.set(jobId, (p) => {
      if (p.stage === 'started') started = true;
      opts.onProgress?.(p);
    });
    let stopWatching: (() => void) | undefined;
    const result = this.finished(jobId);
    try {
      await this.queue.add('run', data, {
        jobId,
        attempts: this.config.JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: { age: 3_600, count: 1_000 },
        removeOnFail: { age: 24 * 3_600, count: 5_000 },
      });
      if (opts.onProgress) {
        let last = -1;
        stopWatching = await this.places.watch(jobId, (position) => {
          if (started || position === last) return;
          last = position;
          opts.onProgress?.({ stage: 'queued', position });
        });
      }
      const raw = await result.value;
      opts.onProgress?.({ stage: 'finished' });
      return raw;
    } finally {
      stopWatching?.();
      this.listeners.delete(jobId);
      result.cancel();
    }
  }

  /**
   * The job's result once a worker finishes it; registered before the job is added, so no event is missed.
   * `cancel()` stops waiting (the job was never added, or the result has come).
   */
  private finished(jobId: string): { value: Promise<unknown>; cancel(): void } {
    let timer: NodeJS.Timeout | undefined;
    const cancel = () => {
      clearTimeout(timer);
      this.finishing.delete(jobId);
    };
    const value = new Promise<unknown>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no result within ${RESULT_WAIT_MS} ms`)), RESULT_WAIT_MS);
      this.finishing.set(jobId, { resolve, reject });
    })
      .finally(cancel)
      .catch((err: Error) => {
        this.log.warn(`job ${jobId} failed`, err.message);
        throw new SubmitError({ code: 'unavailable', detail: err.message });
      });
    // Awaited only once the job is added; a rejection before then must not count as unhandled.
    value.catch(() => {});
    return { value, cancel };
  }

  /**
   * Deletes what the queue side keeps about a learner: their jobs (with the command text), single
   * flight and cooldown marks, and their session records. A session container whose record is gone
   * is removed by the next reaper pass.
   */
  async forgetLearner(learnerId: string): Promise<void> {
    // Finished jobs only: a queued or running command still answers its waiting learner.
    const jobs = await this.queue.getJobs(['completed', 'failed']);
    await Promise.allSettled(jobs.filter((j) => j?.data?.learnerId === learnerId).map((j) => j.remove()));
    await this.redis.del(this.keys.cooldown(learnerId));
    await this.dropSessions(learnerId);
  }

  /** Ends a learner's sandbox sessions from anywhere: their records go, and the reaper removes the containers. */
  async dropSessions(learnerId: string): Promise<void> {
    const sessionKeys = [this.keys.session(learnerId), this.keys.session(`${learnerId}#userns`)];
    const records = await this.redis.mget(...sessionKeys);
    const containerKeys = records.flatMap((raw) => {
      try {
        const id = raw ? (JSON.parse(raw) as { containerId?: unknown }).containerId : undefined;
        return typeof id === 'string' ? [this.keys.sessionContainer(id)] : [];
      } catch {
        return [];
      }
    });
    await this.redis.del(...sessionKeys, ...containerKeys);
  }

  async close(): Promise<void> {
    for (const { reject } of [...this.finishing.values()]) reject(new Error('the queue is closing'));
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    this.redis.disconnect();
    this.eventsRedis.disconnect();
  }
}

function checkLearner(learnerId: string): void {
  if (!learnerIdSchema.safeParse(learnerId).success) throw new SubmitError({ code: 'invalid-learner' });
}
