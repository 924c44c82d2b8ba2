// The consuming side of the queue: takes jobs, hands each to the handler for its kind, and reports
// progress. What runs a job (sandbox, lab) is given by the process that starts the worker (src/worker).
// Infrastructure faults are retried (BullMQ attempts); a learner's own failure is a result.
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { describeError, SandboxUnavailableError, SessionsFullError } from '../sandbox/types.js';
import { DEL_IF_EQUALS, redisKeys } from '../store/redis.js';
import {
  QUEUE_NAME,
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

/** What carries out each kind of job. */
export interface JobHandlers {
  command(job: CommandJob): Promise<CommandJobResult>;
  lab(job: LabJob): Promise<LabJobResult>;
  labClear(job: LabClearJob): Promise<LabClearJobResult>;
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
}

export interface QueueWorker {
  /** Lets running jobs finish (forced after a bound), then stops taking jobs. */
  close(): Promise<void>;
}

const CLOSE_TIMEOUT_MS = 20_000;

export async function startQueueWorker(opts: QueueWorkerOptions): Promise<QueueWorker> {
  const { config, log, redis, handlers } = opts;
  const keys = redisKeys(config.SENSEI_PREFIX);
  const admin = new Queue(QUEUE_NAME, { connection: redis, prefix: config.SENSEI_PREFIX });
  await admin.setGlobalConcurrency(config.GLOBAL_CONCURRENCY);
  const deadlineMs = config.SANDBOX_TIMEOUT_MS + 30_000;

  const dispatch = (data: JobData): Promise<JobResult> => {
    switch (data.kind) {
      case 'command':
        return handlers.command(data);
      case 'lab':
        return handlers.lab(data);
      case 'lab-clear':
        return handlers.labClear(data);
    }
  };

  const processor = async (job: Job<JobData, JobResult>): Promise<JobResult> => {
    const parsed = jobDataSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`malformed job: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const { learnerId } = parsed.data;
    // No progress report of our own: producers learn that a job started from BullMQ's `active` event.
    let final = true;
    try {
      return await withDeadline(dispatch(parsed.data), deadlineMs);
    } catch (err) {
      if (err instanceof SandboxUnavailableError) {
        final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        log.warn(`job ${job.id}: sandbox unavailable (attempt ${job.attemptsMade + 1})`, describeError(err));
        throw err;
      }
      if (err instanceof SessionsFullError) log.warn(`job ${job.id}: ${err.message}`);
      else log.error(`job ${job.id} failed`, err);
      throw new UnrecoverableError(`the command could not be run: ${describeError(err)}`);
    } finally {
      // The producer releases the learner too; doing it here covers a producer that went away.
      if (final) await redis.eval(DEL_IF_EQUALS, 1, keys.inflight(learnerId), String(job.id)).catch(() => {});
    }
  };

  const worker = new Worker<JobData, JobResult>(QUEUE_NAME, processor, {
    connection: opts.blockingRedis,
    prefix: config.SENSEI_PREFIX,
    concurrency: opts.concurrency,
    lockDuration: config.WORKER_LOCK_MS,
    stalledInterval: config.WORKER_LOCK_MS,
    // A job whose worker died runs once more on another worker, then fails with a clear reason.
    maxStalledCount: 1,
    name: `sensei-${opts.id}`,
  });
  worker.on('error', (err) => log.warn('worker error', describeError(err)));
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Let running commands finish, but never hang shutdown: force after a bound.
      const graceful = worker.close();
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), CLOSE_TIMEOUT_MS).unref());
      if ((await Promise.race([graceful.then(() => 'ok' as const), timer])) === 'timeout') {
        log.warn('worker did not finish in time; forcing shutdown');
        await worker.close(true);
      }
      await admin.close();
    })());
  return { close };
}

/** A hung Engine call must not hold a worker slot forever: past the deadline it counts as an engine fault. */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SandboxUnavailableError(`the Docker engine did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
