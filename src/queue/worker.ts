// The consuming side of the queue: takes jobs, hands each to the handler for its kind, and reports
// progress. What runs a job (sandbox, lab) is given by the process that starts the worker (src/worker).
// Only an unreachable engine or Redis is retried (BullMQ attempts); a learner's own failure, and a command
// that passed its deadline, are results.
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { SenseiMetrics } from '../metrics/sensei-metrics.js';
import { describeError, SandboxImageMissingError, SandboxUnavailableError, SessionsFullError, type RunResult } from '../sandbox/types.js';
import { DEL_IF_EQUALS, redisKeys, settleWithin } from '../store/redis.js';
import { capStreams } from '../text/bytes.js';
import {
  QUEUE_NAME,
  engineQueueName,
  jobDataSchema,
  type CommandJob,
  type CommandJobResult,
  type JobData,
  type JobResult,
  type LabClearJob,
  type LabClearJobResult,
  type LabJob,
  type LabJobResult,
} from './jobs.js';
import { EVENT_STREAM_MAX, quietErrors } from './lanes.js';

/** What a handler knows about the job it carries out. */
export interface JobContext {
  jobId: string;
  /** The job ran before, on a worker that died or could not reach the engine: what that run left goes first. */
  rerun: boolean;
  /** Aborted at the job's deadline: stop, and answer with what was printed so far. */
  signal: AbortSignal;
  /**
   * The queue's start check, made while the handler prepares (one Redis round trip off the command's path): the
   * learner's command must not start before it resolves; it rejects when nobody waits for the job any more.
   */
  started: Promise<void>;
}

/** What carries out each kind of job. */
export interface JobHandlers {
  command(job: CommandJob, ctx: JobContext): Promise<CommandJobResult>;
  lab(job: LabJob, ctx: JobContext): Promise<LabJobResult>;
  labClear(job: LabClearJob, ctx: JobContext): Promise<LabClearJobResult>;
}

export interface QueueWorkerOptions {
  config: Config;
  log: Logger;
  /** This worker's id, in its BullMQ name and the logs. */
  id: string;
  /** For releasing learners and the queue's settings. */
  redis: Redis;
  /** BullMQ's blocking connection (maxRetriesPerRequest: null); used for nothing else. */
  blockingRedis: Redis;
  handlers: JobHandlers;
  concurrency: number;
  metrics: SenseiMetrics;
  /** The engine this worker runs jobs on: it takes the shared queue's jobs and its engine queue's. */
  engine: string;
  /** A job met an engine fault: the worker checks its engine now (and pauses if it is gone). */
  onEngineFault?: () => void;
}

export interface QueueWorker {
  /** Lets running jobs finish (forced after a bound), then stops taking jobs; bounded even while Redis is down. */
  close(): Promise<void>;
  /** Stops taking new jobs (running ones finish), while the engine does not answer; resume() takes them again. */
  pause(): Promise<void>;
  resume(): void;
}

const CLOSE_TIMEOUT_MS = 20_000;

/** Redis failed the job's start check: retried like any Redis outage (no `code`, so no layer takes it for the engine's). */
class StartNotChecked extends Error {}
/** After the deadline a handler has this long to answer with its partial output before the worker answers alone. */
const DEADLINE_GRACE_MS = 5_000;

export async function startQueueWorker(opts: QueueWorkerOptions): Promise<QueueWorker> {
  const { config, log, redis, handlers } = opts;
  const keys = redisKeys(config.SENSEI_PREFIX);
  // The shared queue (one-shot commands, any engine) and this engine's own (its learners' sessions and labs).
  const names = [QUEUE_NAME, engineQueueName(opts.engine)];
  const admins = names.map((name) => new Queue(name, { connection: redis, prefix: config.SENSEI_PREFIX, streams: { events: { maxLen: EVENT_STREAM_MAX } } }));
  for (const admin of admins) quietErrors(admin, log, 'queue admin');
  // The shared queue is bounded across workers; an engine's own queue by its workers' concurrency.
  await admins[0]!.setGlobalConcurrency(config.GLOBAL_CONCURRENCY);
  const deadlineMs = config.JOB_DEADLINE_MS || config.SANDBOX_TIMEOUT_MS + 30_000;

  const dispatch = (data: JobData, ctx: JobContext): Promise<JobResult> => {
    switch (data.kind) {
      case 'command':
        return handlers.command(data, ctx);
      case 'lab':
        return handlers.lab(data, ctx);
      case 'lab-clear':
        return handlers.labClear(data, ctx);
    }
  };

  const processor = async (job: Job<JobData, JobResult>): Promise<JobResult> => {
    const jobId = String(job.id);
    const parsed = jobDataSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`malformed job: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const data = parsed.data;
    const startedAt = Date.now();
    if (job.attemptsMade === 0) opts.metrics.queueWait.observe({ kind: data.kind }, Math.max(0, (job.processedOn ?? startedAt) - job.timestamp) / 1000);
    const ran = (outcome: 'ok' | 'deadline' | 'engine-fault' | 'failed') =>
      opts.metrics.runLatency.observe({ engine: opts.engine, kind: data.kind, outcome }, (Date.now() - startedAt) / 1000);
    // Started: it no longer counts against the bound on waiting commands. One round trip with the waiter check.
    const started = redis
      .multi()
      .zrem(keys.admitted(), jobId)
      .exists(keys.waiter(jobId))
      .exec()
      .then(
        (replies) => {
          const waiterMark = replies?.[1];
          if (!waiterMark || waiterMark[0]) throw new StartNotChecked(`Redis did not answer at the start of the job: ${describeError(waiterMark?.[0])}`);
          if (data.waiter && !waiterMark[1]) {
            throw new UnrecoverableError('nobody waits for this command any more (its client went away), so it was not run');
          }
        },
        (err: unknown) => {
          throw new StartNotChecked(`Redis failed at the start of the job: ${describeError(err)}`);
        },
      );
    started.catch(() => {}); // Rejections surface where the handler awaits it.
    // No progress report of our own: producers learn that a job started from BullMQ's `active` event.
    const controller = new AbortController();
    const ctx: JobContext = { jobId, rerun: job.attemptsMade > 0 || job.stalledCounter > 0, signal: controller.signal, started };
    let final = true;
    try {
      const result = await withDeadline(dispatch(data, ctx), controller, deadlineMs);
      ran(result === 'deadline' ? 'deadline' : 'ok');
      if (result !== 'deadline') return capResult(result, config.SANDBOX_OUTPUT_BYTES);
      log.warn(`job ${jobId}: no answer ${DEADLINE_GRACE_MS} ms after its deadline; answered as timed out`);
      if (data.kind === 'lab-clear') throw new UnrecoverableError('clearing the lab took too long');
      const timedOut: RunResult = { stdout: '', stderr: '', exitCode: null, timedOut: true, oomKilled: false, truncated: false, durationMs: deadlineMs };
      return data.kind === 'lab' ? { result: timedOut, notes: [{ code: 'timed-out', params: { timeoutMs: config.SANDBOX_TIMEOUT_MS } }] } : { result: timedOut };
    } catch (err) {
      const about = { job: jobId, kind: data.kind, learner: data.learnerId };
      if (err instanceof UnrecoverableError) throw err;
      if (err instanceof SandboxImageMissingError) throw new UnrecoverableError(err.message);
      if (err instanceof SandboxUnavailableError || err instanceof StartNotChecked || isRedisUnreachable(err)) {
        ran('engine-fault');
        if (err instanceof SandboxUnavailableError) opts.onEngineFault?.();
        final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        log.warn(`job ${jobId}: infrastructure unreachable (attempt ${job.attemptsMade + 1})`, { ...about, err: describeError(err) });
        throw err;
      }
      ran('failed');
      if (err instanceof SessionsFullError) log.warn(`job ${jobId}: ${err.message}`, about);
      else log.error(`job ${jobId} failed`, { ...about, err: describeError(err) });
      throw new UnrecoverableError(describeError(err));
    } finally {
      // The producer releases the learner too; doing it here covers a producer that went away. Not awaited: it
      // only deletes this job's own mark, so the result need not wait a Redis round trip for it.
      if (final) void redis.eval(DEL_IF_EQUALS, 1, keys.inflight(data.learnerId), jobId).catch(() => {});
    }
  };

  const workers = names.map(
    (name) =>
      new Worker<JobData, JobResult>(name, processor, {
        connection: opts.blockingRedis,
        prefix: config.SENSEI_PREFIX,
        concurrency: opts.concurrency,
        lockDuration: config.WORKER_LOCK_MS,
        stalledInterval: config.WORKER_LOCK_MS,
        // A job whose worker died runs once more on another worker, then fails with a clear reason.
        maxStalledCount: 1,
        name: `sensei-${opts.id}`,
      }),
  );
  for (const worker of workers) {
    quietErrors(worker, log, 'worker');
    await worker.waitUntilReady();
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Let running commands finish, but never hang shutdown: force after a bound. With Redis down no running
      // command could report its answer anyway, so the wait is short.
      const patience = redis.status === 'ready' ? CLOSE_TIMEOUT_MS : 1_000;
      if ((await settleWithin(Promise.all(workers.map((w) => w.close())), patience)) === 'timeout') {
        log.warn('worker did not finish in time; forcing shutdown');
        await settleWithin(Promise.all(workers.map((w) => w.close(true))), 5_000);
      }
      await settleWithin(Promise.all(admins.map((a) => a.close())), 3_000);
    })());
  return {
    close,
    // Not waiting for running jobs: they end on their own (an engine fault is retried elsewhere).
    pause: async () => void (await Promise.all(workers.map((w) => w.pause(true)))),
    resume: () => workers.forEach((w) => w.resume()),
  };
}

/**
 * Runs a job against its deadline. At the deadline the handler is told (its signal aborts) and gets a grace
 * period to answer with its partial output; only after that does the worker answer 'deadline' alone.
 */
async function withDeadline<T>(work: Promise<T>, controller: AbortController, ms: number): Promise<T | 'deadline'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      timer = setTimeout(() => resolve('deadline'), DEADLINE_GRACE_MS);
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** What Redis keeps is capped as the output is: whatever a handler returned, at most the output cap. */
function capResult(result: JobResult, maxBytes: number): JobResult {
  if (!('result' in result)) return result;
  const { stdout, stderr, cut } = capStreams(result.result.stdout, result.result.stderr, maxBytes);
  return cut ? { ...result, result: { ...result.result, stdout, stderr, truncated: true } } : result;
}

/** A connection to Redis that failed (refused, reset, gave up retrying): worth a retry, like an engine outage. */
export function isRedisUnreachable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string } | null;
  if (e?.name === 'MaxRetriesPerRequestError') return true;
  if (typeof e?.code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(e.code)) return true;
  return /Connection is closed|Stream isn't writeable/.test(e?.message ?? '');
}
