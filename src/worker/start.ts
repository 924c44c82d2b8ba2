// A worker process's wiring, in one place: Redis, one Docker client, the sandbox, the lab, the reaper, and
// the queue consumer that hands each job to them. src/app.ts and src/cli.ts start workers through this.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sandboxLimits, type Config } from '../config.js';
import { LabManager } from '../lab/runtime.js';
import type { Logger } from '../log.js';
import { startQueueWorker, type JobHandlers } from '../queue/worker.js';
import { enforceCpuBudgets } from '../lab/budget.js';
import { capacityLimitsOf } from '../lab/capacity.js';
import { createDocker } from '../sandbox/docker-client.js';
import { EngineWatch } from '../sandbox/engine-watch.js';
import { Sandbox, seccompProfiles } from '../sandbox/sandbox.js';
import { describeError, SandboxUnavailableError } from '../sandbox/types.js';
import { createRedis, pingRedis, warnUnlessNoEviction } from '../store/redis.js';
import { LAB_REAP_GRACE_MS, reapContainers } from './reaper.js';

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
  lab: LabManager;
  /** One reaper pass now (it also runs every REAP_INTERVAL_MS); returns how many containers it removed. */
  reap(): Promise<number>;
  close(): Promise<void>;
}

/** Starts a worker: take commands from the queue and run them in the sandbox or the learner's lab. */
export async function startWorker(config: Config, opts: WorkerOptions): Promise<RunningWorker> {
  const { log } = opts;
  const id = `${hostname().slice(0, 24)}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const redis = createRedis(config.REDIS_URL, 'worker', log);
  const blockingRedis = createRedis(config.REDIS_URL, 'worker', log);
  const disconnect = () => {
    redis.disconnect();
    blockingRedis.disconnect();
  };
  try {
    await pingRedis(redis, config.REDIS_URL);
  } catch (err) {
    disconnect();
    throw new SandboxUnavailableError((err as Error).message);
  }
  await warnUnlessNoEviction(redis, log);

  const docker = createDocker(config);
  const watch = new EngineWatch(docker, config.SENSEI_PREFIX, log);
  let sandbox: Sandbox;
  try {
    sandbox = await Sandbox.open({ config, docker, redis, workerId: id, log, poolSize: opts.poolSize, endSessionsOnClose: opts.endSessionsOnClose, watch });
  } catch (err) {
    disconnect();
    throw err;
  }
  watch.start();
  const limits = sandboxLimits(config);
  const defaultSeccomp = seccompProfiles(config).default;
  const lab = new LabManager({
    docker,
    redis,
    prefix: config.SENSEI_PREFIX,
    image: config.SANDBOX_IMAGE,
    workerId: id,
    limits,
    maxRunningPerLearner: config.LAB_MAX_RUNNING,
    idleTtlMs: config.LAB_IDLE_TTL_MS,
    maxLifetimeMs: config.LAB_MAX_LIFETIME_MS,
    ...(defaultSeccomp ? { seccompProfile: defaultSeccomp } : {}),
    hostRoots: { proc: config.HOST_PROC_ROOT, cgroup: config.HOST_CGROUP_ROOT, ...(config.HOST_SHARED_NS ? { sharedNs: config.HOST_SHARED_NS } : {}) },
    log,
    capacity: capacityLimitsOf(config),
    watch,
  });

  const reap = () =>
    reapContainers({ docker, redis, prefix: config.SENSEI_PREFIX, workerId: id, log, labGraceMs: Math.min(LAB_REAP_GRACE_MS, config.LAB_IDLE_TTL_MS) });
  const reapQuietly = () => void reap().catch((err) => log.warn('reaper pass failed', describeError(err)));
  reapQuietly();
  const reaper = setInterval(reapQuietly, config.REAP_INTERVAL_MS);
  const budgets = () =>
    void enforceCpuBudgets({ docker, redis, prefix: config.SENSEI_PREFIX, budgetMs: config.LAB_CPU_BUDGET_S * 1000, log }).catch((err) =>
      log.warn('CPU budget pass failed', describeError(err)),
    );
  const budgetTimer = setInterval(budgets, config.LAB_CPU_CHECK_MS);

  const handlers: JobHandlers = {
    command: async ({ learnerId, command, mode, profile }, { jobId, rerun }) => {
      const { result, newSession, sessionLost } = await sandbox.run(learnerId, command, mode, profile, { jobId, rerun });
      return { result, ...(newSession === undefined ? {} : { newSession }), ...(sessionLost ? { sessionLost } : {}) };
    },
    lab: async ({ learnerId, lab: command }, { jobId, rerun, signal }) => {
      const started = Date.now();
      const { notes, ...outcome } = await lab.execute(learnerId, command, { jobId, rerun, signal });
      return { result: { ...outcome, durationMs: Date.now() - started }, notes };
    },
    labClear: async ({ learnerId }) => ({ removed: await lab.removeLearnerLabs(learnerId) }),
  };

  const concurrency = opts.concurrency ?? config.WORKER_CONCURRENCY;
  let consumer;
  try {
    consumer = await startQueueWorker({ config, log, id, redis, blockingRedis, handlers, concurrency });
  } catch (err) {
    clearInterval(reaper);
    clearInterval(budgetTimer);
    watch.close();
    await sandbox.close();
    disconnect();
    throw err;
  }
  log.info(`worker ${id} ready (concurrency ${concurrency}, pool ${opts.poolSize ?? config.POOL_SIZE})`);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Each step is bounded, so a worker told to stop while Redis is down still exits and removes its pool.
      await consumer.close();
      clearInterval(reaper);
      clearInterval(budgetTimer);
      watch.close();
      await sandbox.close();
      disconnect();
    })());
  return { id, sandbox, lab, reap, close };
}
