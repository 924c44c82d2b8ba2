import { randomUUID } from 'node:crypto';
import type { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { placementTtlMs, type Config } from '../config.js';
import type { LabCommand } from '../lab/command.js';
import type { Logger } from '../log.js';
import type { SenseiMetrics } from '../metrics/sensei-metrics.js';
import { EngineRegistry, NoEngineError, parseEngineLabels, type EngineLabels } from '../store/engine-registry.js';
import { DEL_IF_EQUALS, createRedis, pingRedis, redisKeys, type RedisKeys } from '../store/redis.js';
import { learnerIdSchema, type ExecutionMode, type SandboxProfile } from '../sandbox/types.js';
import { SubmitError } from './errors.js';
import { Lanes, type Lane } from './lanes.js';
import {
  MAX_COMMAND_CHARS,
  commandJobResultSchema,
  commandSchema,
  labClearJobResultSchema,
  labJobResultSchema,
  progressSchema,
  type CommandJobResult,
  type JobData,
  type JobResult,
  type LabClearJobResult,
  type LabJobResult,
  type Progress,
} from './jobs.js';

/** How long a learner may wait for a result: Discord's interaction token lives 15 minutes. */
const RESULT_WAIT_MS = 15 * 60_000;
const POSITION_POLL_MS = 1_000;

export interface ProgressOptions {
  onProgress?: (p: Progress) => void;
}

export interface SubmitOptions extends ProgressOptions {
  /** The seccomp profile to run under (lesson steps that build containers by hand ask for `userns`). */
  profile?: SandboxProfile;
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
  private readonly prefer: EngineLabels;
  /** The shared queue (one-shot commands); each engine's own is in `lanes`. */
  readonly queue: Queue<JobData, JobResult>;

  private constructor(
    private readonly config: Config,
    private readonly redis: Redis,
    private readonly lanes: Lanes,
    readonly engines: EngineRegistry,
    /** Progress callbacks of the jobs this producer waits for, by job id (every lane's events call them). */
    private readonly listeners: Map<string, (p: Progress) => void>,
    private readonly log: Logger,
  ) {
    this.keys = redisKeys(config.SENSEI_PREFIX);
    this.queue = lanes.shared.queue;
    this.prefer = parseEngineLabels(config.ENGINE_PREFER);
  }

  /** `metrics`: the queues' depth is served there while this producer is open. */
  static async create(config: Config, log: Logger, metrics?: SenseiMetrics): Promise<CommandQueue> {
    const redis = createRedis(config.REDIS_URL, 'producer', log);
    try {
      await pingRedis(redis, config.REDIS_URL);
    } catch (err) {
      redis.disconnect();
      throw new SubmitError({ code: 'unavailable', detail: (err as Error).message });
    }
    const listeners = new Map<string, (p: Progress) => void>();
    const onEvents = (events: QueueEvents) =>
      events.on('progress', ({ jobId, data }) => {
        const parsed = progressSchema.safeParse(data);
        if (parsed.success) listeners.get(jobId)?.(parsed.data);
      });
    let lanes: Lanes;
    try {
      lanes = await Lanes.open({ config, redis, log, onEvents, metrics });
    } catch (err) {
      redis.disconnect();
      throw new SubmitError({ code: 'unavailable', detail: `Redis at ${config.REDIS_URL} failed (${(err as Error).message})` });
    }
    return new CommandQueue(config, redis, lanes, new EngineRegistry(redis, config.SENSEI_PREFIX, placementTtlMs(config)), listeners, log);
  }

  /** How many workers are connected to this queue (0 means nobody would run a job). */
  workerCount(): Promise<number> {
    return this.queue.getWorkersCount();
  }

  /** Runs a shell command in the learner's sandbox (one-shot or their session). */
  async submit(learnerId: string, command: string, mode: ExecutionMode, opts: SubmitOptions = {}): Promise<CommandJobResult> {
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

  /** Removes every lab container of the learner; resolves to how many there were (none without an engine). */
  async clearLab(learnerId: string, opts: ProgressOptions = {}): Promise<LabClearJobResult> {
    checkLearner(learnerId);
    if ((await this.engines.placementOf(learnerId)) === undefined) return { removed: 0 };
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
    await this.claimLearner(learnerId, jobId);
    try {
      const data = { ...fields, kind, learnerId, submittedAt: Date.now() } as JobData;
      return await this.enqueueAndWait(await this.laneFor(data), jobId, data, opts);
    } finally {
      await this.release(learnerId, jobId);
    }
  }

  /**
   * Single flight, then a burst allowance (LEARNER_BURST commands at once, then one per LEARNER_COOLDOWN_MS),
   * both atomic in Redis so several bot processes agree.
   */
  private async claimLearner(learnerId: string, jobId: string): Promise<void> {
    const inflight = this.keys.inflight(learnerId);
    const got = await this.redis.set(inflight, jobId, 'PX', RESULT_WAIT_MS, 'NX').catch((err: Error) => {
      throw new SubmitError({ code: 'unavailable', detail: `Redis failed (${err.message})` });
    });
    if (got !== 'OK') throw new SubmitError({ code: 'busy' });
    const cooldownMs = this.config.LEARNER_COOLDOWN_MS;
    if (cooldownMs <= 0) return;
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
  }

  private async release(learnerId: string, jobId: string): Promise<void> {
    await this.redis.eval(DEL_IF_EQUALS, 1, this.keys.inflight(learnerId), jobId).catch(() => {});
  }

  /**
   * One-shot commands go to the shared queue (any engine); a session or lab command to the queue of the
   * learner's engine, where their containers live (placing them first when they have none).
   */
  private async laneFor(data: JobData): Promise<Lane> {
    if (data.kind === 'command' && data.mode === 'oneshot') return this.lanes.shared;
    let engine: string;
    try {
      engine = await this.engines.place(data.learnerId, { aliveMs: this.config.ENGINE_DEAD_MS, prefer: this.prefer });
    } catch (err) {
      if (err instanceof NoEngineError) throw new SubmitError({ code: 'unavailable', detail: err.message });
      throw new SubmitError({ code: 'unavailable', detail: `Redis failed (${(err as Error).message})` });
    }
    return this.lanes.forEngine(engine);
  }

  private async enqueueAndWait(lane: Lane, jobId: string, data: JobData, opts: ProgressOptions): Promise<unknown> {
    const limit = this.config.QUEUE_MAX_WAITING;
    const counts = await lane.queue.getJobCounts('waiting', 'prioritized', 'delayed');
    const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0);
    if (waiting >= limit) throw new SubmitError({ code: 'queue-full', limit });

    let started = false;
    this.listeners.set(jobId, (p) => {
      if (p.stage === 'started') started = true;
      opts.onProgress?.(p);
    });
    let poller: NodeJS.Timeout | undefined;
    try {
      const job = await lane.queue.add('run', data, {
        jobId,
        attempts: this.config.JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: { age: 3_600, count: 1_000 },
        removeOnFail: { age: 24 * 3_600, count: 5_000 },
      });
      if (opts.onProgress) {
        let last = -1;
        const report = async () => {
          if (started) return;
          const position = await this.positionOf(lane, jobId);
          if (position > 0 && position !== last && !started) {
            last = position;
            opts.onProgress?.({ stage: 'queued', position });
          }
        };
        await report();
        poller = setInterval(() => void report().catch(() => {}), POSITION_POLL_MS);
      }
      const raw = await this.waitForResult(lane, job);
      opts.onProgress?.({ stage: 'finished' });
      return raw;
    } finally {
      if (poller) clearInterval(poller);
      this.listeners.delete(jobId);
    }
  }

  private async waitForResult(lane: Lane, job: Job<JobData, JobResult>): Promise<unknown> {
    const lost = lane.engine === undefined ? undefined : this.whenEngineLost(lane.engine);
    try {
      const finished = job.waitUntilFinished(lane.events, RESULT_WAIT_MS);
      return await (lost ? Promise.race([finished, lost.promise]) : finished);
    } catch (err) {
      const detail = (err as Error).message || 'the worker failed';
      this.log.warn(`job ${job.id} failed`, { job: job.id, learner: job.data.learnerId, err: detail });
      if (lost?.happened()) await job.remove().catch(() => {});
      throw new SubmitError({ code: 'unavailable', detail });
    } finally {
      lost?.stop();
    }
  }

  /** Rejects once the engine is declared dead (its queue then has nobody to run the job). */
  private whenEngineLost(engine: string): { promise: Promise<never>; happened(): boolean; stop(): void } {
    let timer: NodeJS.Timeout | undefined;
    let happened = false;
    const promise = new Promise<never>((_, reject) => {
      timer = setInterval(() => {
        void this.engines.isRegistered(engine).then((registered) => {
          if (registered || happened) return;
          happened = true;
          reject(new Error(`the Docker engine ${engine} was lost`));
        }, () => {});
      }, this.config.ENGINE_HEARTBEAT_MS);
    });
    promise.catch(() => {});
    return { promise, happened: () => happened, stop: () => clearInterval(timer) };
  }

  /** 1-based place in line: workers take jobs from the right end of the wait list. */
  private async positionOf(lane: Lane, jobId: string): Promise<number> {
    const key = lane.queue.keys.wait;
    if (!key) return 0;
    const [[, len], [, idx]] = (await this.redis.multi().llen(key).lpos(key, jobId).exec()) as [[null, number], [null, number | null]];
    return idx === null ? 0 : len - idx;
  }

  /**
   * Deletes what the queue side keeps about a learner: their jobs (with the command text), single
   * flight and cooldown marks, and their session records. A session container whose record is gone
   * is removed by the next reaper pass.
   */
  async forgetLearner(learnerId: string): Promise<void> {
    // Finished jobs only: a queued or running command still answers its waiting learner.
    const engine = await this.engines.placedOn(learnerId);
    const lanes = [this.lanes.shared, ...(engine ? [await this.lanes.forEngine(engine)] : [])];
    for (const lane of lanes) {
      const jobs = await lane.queue.getJobs(['completed', 'failed']);
      await Promise.allSettled(jobs.filter((j) => j?.data?.learnerId === learnerId).map((j) => j.remove()));
    }
    await this.redis.del(this.keys.cooldown(learnerId));
    await this.dropSessions(learnerId);
    await this.engines.unplace(learnerId);
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
    await this.lanes.close();
    this.redis.disconnect();
  }
}

function checkLearner(learnerId: string): void {
  if (!learnerIdSchema.safeParse(learnerId).success) throw new SubmitError({ code: 'invalid-learner' });
}
