import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createDocker, describeError } from '../sandbox/engine.js';
import { Sandbox, SessionsFullError, seccompProfiles } from '../sandbox/sandbox.js';
import { sandboxLimits } from '../config.js';
import { LabManager } from '../lab/runtime.js';
import { parseLabCommand } from '../lab/parse.js';
import { SandboxUnavailableError } from '../sandbox/types.js';
import { DEL_IF_EQUALS, createRedis, pingRedis, redisKeys, warnUnlessNoEviction } from '../store/redis.js';
import { QUEUE_NAME, jobDataSchema, type CommandJobData, type CommandJobResult, type Progress } from './jobs.js';

export interface WorkerOptions {
  log: Logger;
  /** Overrides POOL_SIZE (the CLI's short-lived in-process worker uses none). */
  poolSize?: number;
  endSessionsOnClose?: boolean;
  /** Overrides WORKER_CONCURRENCY. */
  concurrency?: number;
}

export interface RunningWorker {
  id: string;
  sandbox: Sandbox;
  close(): Promise<void>;
}

const CLOSE_TIMEOUT_MS = 20_000;

/**
 * A worker process's whole job: take commands from the queue and run them in the sandbox.
 * Infrastructure faults are retried (BullMQ attempts); a learner's own failure is a result.
 */
export async function startWorker(config: Config, opts: WorkerOptions): Promise<RunningWorker> {
  const { log } = opts;
  const id = `${hostname().slice(0, 24)}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const redis = createRedis(config.REDIS_URL, 'worker', log);
  const workerRedis = createRedis(config.REDIS_URL, 'worker', log);
  try {
    await pingRedis(redis, config.REDIS_URL);
  } catch (err) {
    redis.disconnect();
    workerRedis.disconnect();
    throw new SandboxUnavailableError((err as Error).message);
  }
  const keys = redisKeys(config.SENSEI_PREFIX);
  await warnUnlessNoEviction(redis, log);

  let sandbox: Sandbox;
  try {
    sandbox = await Sandbox.open({
      config,
      docker: createDocker(config),
      redis,
      workerId: id,
      log,
      poolSize: opts.poolSize,
      endSessionsOnClose: opts.endSessionsOnClose,
    });
  } catch (err) {
    redis.disconnect();
    workerRedis.disconnect();
    throw err;
  }
  sandbox.startReaper();

  const defaultSeccomp = seccompProfiles(config).default;
  const lab = new LabManager({
    docker: createDocker(config),
    redis,
    prefix: config.SENSEI_PREFIX,
    image: config.SANDBOX_IMAGE,
    workerId: id,
    limits: sandboxLimits(config),
    maxRunningPerLearner: config.LAB_MAX_RUNNING,
    idleTtlMs: config.LAB_IDLE_TTL_MS,
    maxLifetimeMs: config.LAB_MAX_LIFETIME_MS,
    ...(defaultSeccomp ? { seccompProfile: defaultSeccomp } : {}),
    hostRoots: { proc: config.HOST_PROC_ROOT, cgroup: config.HOST_CGROUP_ROOT, ...(config.HOST_SHARED_NS ? { sharedNs: config.HOST_SHARED_NS } : {}) },
    log,
  });
  const admin = new Queue(QUEUE_NAME, { connection: redis, prefix: config.SENSEI_PREFIX });
  await admin.setGlobalConcurrency(config.GLOBAL_CONCURRENCY);

  const processor = async (job: Job<CommandJobData, CommandJobResult>): Promise<CommandJobResult> => {
    const parsed = jobDataSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`malformed job: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const { learnerId, command, mode, profile, kind } = parsed.data;
    const started: Progress = { stage: 'started' };
    // Reported alongside the run rather than before it: the learner's command should not wait on Redis.
    const reported = job.updateProgress(started).catch((err: Error) => log.debug('progress not reported', err.message));
    let final = true;
    try {
      if (kind === 'lab-clear') {
        const removed = await withDeadline(lab.removeLearnerLabs(learnerId), config.SANDBOX_TIMEOUT_MS + 30_000);
        await reported;
        return { result: { stdout: `${removed}\n`, stderr: '', exitCode: 0, timedOut: false, oomKilled: false, truncated: false, durationMs: 0 } };
      }
      if (kind === 'lab') {
        const labRun = await withDeadline(runLabLine(lab, learnerId, command), config.SANDBOX_TIMEOUT_MS + 30_000);
        await reported;
        return labRun;
      }
      const run = await withDeadline(sandbox.run(learnerId, command, mode, profile), config.SANDBOX_TIMEOUT_MS + 30_000);
      await reported;
      return run.newSession === undefined ? { result: run.result } : { result: run.result, newSession: run.newSession };
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

  const worker = new Worker<CommandJobData, CommandJobResult>(QUEUE_NAME, processor, {
    connection: workerRedis,
    prefix: config.SENSEI_PREFIX,
    concurrency: opts.concurrency ?? config.WORKER_CONCURRENCY,
    lockDuration: config.WORKER_LOCK_MS,
    stalledInterval: config.WORKER_LOCK_MS,
    // A job whose worker died runs once more on another worker, then fails with a clear reason.
    maxStalledCount: 1,
    name: `sensei-${id}`,
  });
  worker.on('error', (err) => log.warn('worker error', describeError(err)));
  await worker.waitUntilReady();
  log.info(`worker ${id} ready (concurrency ${opts.concurrency ?? config.WORKER_CONCURRENCY}, pool ${opts.poolSize ?? config.POOL_SIZE})`);

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
      await sandbox.close();
      await admin.close();
      redis.disconnect();
      workerRedis.disconnect();
    })());

  return { id, sandbox, close };
}

/** A hung Engine call must not hold a worker slot forever: past the deadline it counts as an engine fault. */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SandboxUnavailableError(`the Docker engine did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** One docker command line of the lab, as a job result: the output as docker prints it, and what to say about it. */
async function runLabLine(lab: LabManager, learnerId: string, line: string): Promise<CommandJobResult> {
  const started = Date.now();
  const parsed = parseLabCommand(line);
  if (!parsed.ok) {
    const { code, ja, en } = parsed.refusal;
    return { result: { stdout: '', stderr: `${en}\n`, exitCode: 125, timedOut: false, oomKilled: false, truncated: false, durationMs: 0 }, notes: [{ code, ja, en }] };
  }
  const outcome = await lab.execute(learnerId, parsed.command);
  const notes = [...parsed.notes, ...outcome.notes].map(({ code, ja, en }) => ({ code, ja, en }));
  const has = (code: string) => notes.some((n) => n.code === code);
  return {
    result: {
      stdout: outcome.stdout,
      stderr: outcome.stderr,
      exitCode: outcome.exitCode,
      timedOut: has('timed-out'),
      oomKilled: has('oom-killed'),
      truncated: has('truncated'),
      durationMs: Date.now() - started,
    },
    notes,
  };
}
