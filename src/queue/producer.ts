import { randomUUID } from 'node:crypto';
import { Job, Queue, type QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { placementTtlMs, type Config } from '../config.js';
import type { LabCommand } from '../lab/command.js';
import type { Logger } from '../log.js';
import type { SenseiMetrics } from '../metrics/sensei-metrics.js';
import { EngineRegistry, NoEngineError, parseEngineLabels, type EngineLabels } from '../store/engine-registry.js';
import { createRedis, pingRedis, redisKeys, settleWithin, type RedisKeys } from '../store/redis.js';
import { learnerIdSchema, type ExecutionMode, type SandboxProfile } from '../sandbox/types.js';
import { isRedisOutOfMemory } from './admission.js';
import { LearnerClaims } from './claims.js';
import { SubmitError } from './errors.js';
import {
  MAX_COMMAND_CHARS,
  commandJobResultSchema,
  commandSchema,
  engineQueueName,
  labClearJobResultSchema,
  labJobResultSchema,
  type CommandJobResult,
  type JobData,
  type JobResult,
  type LabClearJobResult,
  type LabJobResult,
  type Progress,
} from './jobs.js';
import { Lanes, quietErrors, type Lane } from './lanes.js';

export { EVENT_STREAM_MAX, quietErrors } from './lanes.js';

/** How long a learner may wait for a result: Discord's interaction token lives 15 minutes. */
const RESULT_WAIT_MS = 15 * 60_000;
export { WAITER_TTL_MS } from './claims.js';
/** Finished jobs keep their (capped) results this long: enough to deliver them, not to pile them up. */
export const RESULT_KEEP_S = 300;

export interface ProgressOptions {
  onProgress?: (p: Progress) => void;
}

export interface SubmitOptions extends ProgressOptions {
  /** The seccomp profile to run under (lesson steps that build containers by hand ask for `userns`). */
  profile?: SandboxProfile;
}

type JobKind = JobData['kind'];

/**
 * The producer API: submit (a sandbox shell command), runLab (a parsed lab command) and clearLab, with progress;
 * single flight and a burst allowance per learner, a bounded queue, refusals as SubmitErrors with a code.
 */
export class CommandQueue {
  private readonly keys: RedisKeys;
  /** Single flight, burst allowance and the queue's bound, per job. */
  private readonly claims: LearnerClaims;
  private readonly prefer: EngineLabels;
  /** Engines' queues opened only to read learners' jobs (ownQueueOf). */
  private readonly readers = new Map<string, Queue<JobData, JobResult>>();
  /** The shared queue (one-shot commands, any engine); each engine's own queue is in `lanes`. */
  readonly queue: Queue<JobData, JobResult>;

  private constructor(
    private readonly config: Config,
    private readonly redis: Redis,
    private readonly lanes: Lanes,
    /** Engines and which one each learner's session and lab live on (docs/ENGINES.md). */
    readonly engines: EngineRegistry,
    /** Progress callbacks of the jobs this producer waits for, by job id (every lane's events call them). */
    private readonly listeners: Map<string, (p: Progress) => void>,
    private readonly log: Logger,
  ) {
    this.keys = redisKeys(config.SENSEI_PREFIX);
    this.claims = new LearnerClaims(redis, this.keys, config, RESULT_WAIT_MS);
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
    // A worker took the job: BullMQ's own event, so a worker spends no Redis call on reporting it.
    const onEvents = (events: QueueEvents) => events.on('active', ({ jobId }) => listeners.get(jobId)?.({ stage: 'started' }));
    const engines = new EngineRegistry(redis, config.SENSEI_PREFIX, placementTtlMs(config));
    let lanes: Lanes;
    try {
      lanes = await Lanes.open({ config, redis, log, onEvents, metrics, engines });
    } catch (err) {
      redis.disconnect();
      throw new SubmitError({ code: 'unavailable', detail: `Redis at ${config.REDIS_URL} failed (${(err as Error).message})` });
    }
    return new CommandQueue(config, redis, lanes, engines, listeners, log);
  }

  /**
   * The queue a learner's session and lab jobs went to (their engine's), to read their jobs: on this producer's
   * own connection, without opening a lane (a connection and an event-stream reader of its own) to wait on it.
   */
  private async ownQueueOf(learnerId: string): Promise<Queue<JobData, JobResult> | undefined> {
    const engine = await this.engines.placedOn(learnerId);
    if (engine === undefined) return undefined;
    let reader = this.readers.get(engine);
    if (!reader) {
      reader = new Queue<JobData, JobResult>(engineQueueName(engine), { connection: this.redis, prefix: this.config.SENSEI_PREFIX });
      quietErrors(reader, this.log, `queue ${reader.name}`);
      this.readers.set(engine, reader);
    }
    return reader;
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
    const data = { ...fields, kind, learnerId, submittedAt: Date.now(), waiter: true } as JobData;
    const claimed = this.claims.claim(learnerId, jobId);
    // The learner's engine is looked up while the claim is made, and placed on only once it succeeded.
    const lane = this.laneFor(data, claimed);
    lane.catch(() => {}); // A refused claim is the answer; the lane's rejection then says nothing new.
    await claimed;
    const stopWaiting = this.claims.keepWaiting(learnerId, jobId);
    let finished = false;
    try {
      const raw = await this.enqueueAndWait(await lane, jobId, data, opts);
      finished = true;
      return raw;
    } finally {
      stopWaiting();
      // A finished job's worker has released the learner already; this covers one that failed to, off the reply's path.
      const released = this.claims.release(learnerId, jobId);
      if (!finished) await released;
    }
  }

  /**
   * A restarted client (the console) gives up what its previous process left waiting: the old job will not
   * run for nobody, and the learner is not told "still running" by a process that is gone. Returns the
   * command that was left, if any, so the client can say it was interrupted.
   */
  async abandonPrevious(learnerId: string): Promise<string | undefined> {
    checkLearner(learnerId);
    const holder = await this.claims.abandon(learnerId);
    if (!holder) return undefined;
    const own = await this.ownQueueOf(learnerId);
    const queues = [this.queue, ...(own ? [own] : [])];
    let data: JobData | undefined;
    for (const queue of queues) data ??= (await Job.fromId<JobData, JobResult>(queue, holder).catch(() => undefined))?.data;
    if (!data) return undefined;
    return data.kind === 'command' ? data.command : data.kind === 'lab' ? describeLab(data.lab) : undefined;
  }

  /**
   * One-shot commands go to the shared queue (any engine); a session or lab command to the queue of the
   * learner's engine, where their containers live (placing them first when they have none).
   */
  private async laneFor(data: JobData, claimed: Promise<void>): Promise<Lane> {
    if (data.kind === 'command' && data.mode === 'oneshot') return this.lanes.shared;
    try {
      return await this.lanes.forEngine(await this.engines.place(data.learnerId, { aliveMs: this.config.ENGINE_DEAD_MS, prefer: this.prefer, after: claimed }));
    } catch (err) {
      throw new SubmitError({ code: 'unavailable', detail: err instanceof NoEngineError ? err.message : `Redis failed (${(err as Error).message})` });
    }
  }

  private async enqueueAndWait(lane: Lane, jobId: string, data: JobData, opts: ProgressOptions): Promise<unknown> {
    let started = false;
    this.listeners.set(jobId, (p) => {
      if (p.stage === 'started') started = true;
      opts.onProgress?.(p);
    });
    let stopWatching: (() => void) | undefined;
    const answer = lane.results.expect(jobId, RESULT_WAIT_MS);
    const lost = lane.loss?.wait();
    try {
      try {
        await lane.queue.add('run', data, {
          jobId,
          attempts: this.config.JOB_ATTEMPTS,
          // Only an unreachable engine or Redis is retried, over longer than an engine takes to restart.
          backoff: { type: 'exponential', delay: this.config.JOB_RETRY_DELAY_MS },
          removeOnComplete: { age: RESULT_KEEP_S, count: 500 },
          removeOnFail: { age: 3_600, count: 1_000 },
        });
      } catch (err) {
        lane.results.forget(jobId);
        if (isRedisOutOfMemory(err)) throw new SubmitError({ code: 'server-full' });
        throw new SubmitError({ code: 'unavailable', detail: `Redis failed (${(err as Error).message})` });
      }
      lane.results.added(jobId);
      if (opts.onProgress) {
        let last = -1;
        stopWatching = await lane.places.watch(jobId, (position) => {
          if (started || position === last) return;
          last = position;
          opts.onProgress?.({ stage: 'queued', position });
        });
      }
      const settled = await (lost ? Promise.race([answer, lost.answer]) : answer);
      if (!settled.ok) {
        this.log.warn(`job ${jobId} failed`, { job: jobId, learner: data.learnerId, err: settled.reason });
        if (lost?.happened()) {
          // Its engine's queue has nobody to run it now; if the engine came back, it must not run for nobody.
          lane.results.forget(jobId);
          await Job.fromId(lane.queue, jobId).then((job) => job?.remove(), () => undefined).catch(() => {});
        }
        throw new SubmitError({ code: 'unavailable', detail: settled.reason });
      }
      opts.onProgress?.({ stage: 'finished' });
      return settled.value;
    } finally {
      lost?.stop();
      stopWatching?.();
      this.listeners.delete(jobId);
    }
  }

  /**
   * Deletes what the queue side keeps about a learner: their jobs (with the command text), single
   * flight and cooldown marks, and their session records. A session container whose record is gone
   * is removed by the next reaper pass.
   */
  async forgetLearner(learnerId: string): Promise<void> {
    // Finished jobs only: a queued or running command still answers its waiting learner.
    const own = await this.ownQueueOf(learnerId);
    for (const queue of [this.queue, ...(own ? [own] : [])]) {
      const jobs = await queue.getJobs(['completed', 'failed']);
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

  /** Closes within a bound even while Redis is down: whoever still waits hears that the queue closed. */
  async close(): Promise<void> {
    this.claims.close();
    await this.lanes.close('the app is shutting down');
    await Promise.all([...this.readers.values()].map((reader) => settleWithin(reader.close(), 3_000)));
    this.redis.disconnect();
  }
}

/** A lab job's command, as the learner would have typed it, for "your last command was interrupted". */
function describeLab(lab: LabCommand): string {
  return lab.kind === 'host' ? `host ${lab.command}` : `docker ${lab.kind}`;
}


function checkLearner(learnerId: string): void {
  if (!learnerIdSchema.safeParse(learnerId).success) throw new SubmitError({ code: 'invalid-learner' });
}
