// A worker process's wiring, in one place: Redis, one Docker client, the sandbox, the lab, the reaper, and
// the queue consumer that hands each job to them. src/app.ts and src/cli.ts start workers through this.
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type Docker from 'dockerode';
import { placementTtlMs, sandboxLimits, type Config } from '../config.js';
import { LAB_KIND } from '../lab/own-containers.js';
import { LabManager } from '../lab/runtime.js';
import type { Logger } from '../log.js';
import { SenseiMetrics } from '../metrics/sensei-metrics.js';
import { startQueueWorker, type JobHandlers, type QueueWorker } from '../queue/worker.js';
import { enforceCpuBudgets } from '../lab/budget.js';
import { capacityLimitsOf } from '../lab/capacity.js';
import { createDocker, type EngineFacts } from '../sandbox/docker-client.js';
import { EngineWatch } from '../sandbox/engine-watch.js';
import { Sandbox, seccompProfiles } from '../sandbox/sandbox.js';
import { LABEL } from '../sandbox/spec.js';
import { describeError, SandboxUnavailableError } from '../sandbox/types.js';
import { EngineRegistry, parseEngineLabels } from '../store/engine-registry.js';
import { createRedis, pingRedis, warnUnlessNoEviction } from '../store/redis.js';
import { startEngineBeat } from './engine-beat.js';
import { LAB_REAP_GRACE_MS, reapContainers } from './reaper.js';

export interface WorkerOptions {
  log: Logger;
  /** Overrides POOL_SIZE (the CLI's short-lived in-process worker uses none). */
  poolSize?: number;
  endSessionsOnClose?: boolean;
  /** Overrides WORKER_CONCURRENCY. */
  concurrency?: number;
  /** Where run latency, queue wait and this engine's containers are counted (served by the process). */
  metrics?: SenseiMetrics;
}

export interface RunningWorker {
  id: string;
  /** The engine it serves (ENGINE_NAME, or derived from the engine). */
  engine: string;
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
  const engine = engineName(config, sandbox.engine);
  const metrics = opts.metrics ?? new SenseiMetrics();
  const stopCounting = metrics.engineContainers.collect(() => countContainers(docker, config.SENSEI_PREFIX, engine));
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

  const registry = new EngineRegistry(redis, config.SENSEI_PREFIX, placementTtlMs(config));
  const reap = () =>
    reapContainers({
      docker,
      redis,
      prefix: config.SENSEI_PREFIX,
      workerId: id,
      log,
      labGraceMs: Math.min(LAB_REAP_GRACE_MS, config.LAB_IDLE_TTL_MS),
      engine: { name: engine, placedOn: (learnerId) => registry.placedOn(learnerId) },
    });
  const reapQuietly = () => void reap().catch((err) => log.warn('reaper pass failed', describeError(err)));
  reapQuietly();
  const reaper = setInterval(reapQuietly, config.REAP_INTERVAL_MS);
  const budgets = () =>
    void enforceCpuBudgets({ docker, redis, prefix: config.SENSEI_PREFIX, budgetMs: config.LAB_CPU_BUDGET_S * 1000, log }).catch((err) =>
      log.warn('CPU budget pass failed', describeError(err)),
    );
  const budgetTimer = setInterval(budgets, config.LAB_CPU_CHECK_MS);

  const handlers: JobHandlers = {
    command: async ({ learnerId, command, mode, profile }, { jobId, rerun, started }) => {
      const { result, newSession, sessionLost } = await sandbox.run(learnerId, command, mode, profile, { jobId, rerun, started });
      return { result, ...(newSession === undefined ? {} : { newSession }), ...(sessionLost ? { sessionLost } : {}) };
    },
    lab: async ({ learnerId, lab: command }, { jobId, rerun, signal, started: checked }) => {
      await checked;
      const started = Date.now();
      const { notes, ...outcome } = await lab.execute(learnerId, command, { jobId, rerun, signal });
      return { result: { ...outcome, durationMs: Date.now() - started }, notes };
    },
    labClear: async ({ learnerId }, { started }) => {
      await started;
      return { removed: await lab.removeLearnerLabs(learnerId) };
    },
  };

  const concurrency = opts.concurrency ?? config.WORKER_CONCURRENCY;
  let consumer: QueueWorker | undefined;
  // Registered before it takes jobs, so producers can place learners on it as soon as it is ready.
  const heartbeat = await startEngineBeat({
    docker,
    registry,
    prefix: config.SENSEI_PREFIX,
    name: engine,
    labels: { ...parseEngineLabels(config.ENGINE_LABELS), cgroup: sandbox.engine.cgroupVersion },
    capacity: config.ENGINE_CAPACITY,
    version: sandbox.engine.serverVersion,
    intervalMs: config.ENGINE_HEARTBEAT_MS,
    log,
    onDown: () => void consumer?.pause(),
    onUp: () => consumer?.resume(),
  });
  /** Everything this worker started besides the queue consumer, stopped in order. */
  const stopTheRest = async () => {
    stopCounting();
    clearInterval(reaper);
    clearInterval(budgetTimer);
    watch.close();
    await sandbox.close();
    disconnect();
  };
  try {
    consumer = await startQueueWorker({ config, log, id, redis, blockingRedis, handlers, concurrency, metrics, engine, onEngineFault: () => void heartbeat.check() });
  } catch (err) {
    heartbeat.stop();
    await stopTheRest();
    throw err;
  }
  log.info(`worker ${id} ready on engine ${engine} (concurrency ${concurrency}, pool ${opts.poolSize ?? config.POOL_SIZE})`, { engine });
  const running = consumer;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Each step is bounded, so a worker told to stop while Redis is down still exits and removes its pool.
      heartbeat.stop();
      await running.close();
      await stopTheRest();
    })());
  return { id, engine, sandbox, lab, reap, close };
}

/**
 * ENGINE_NAME, or the engine host's name with a hash of the engine's id and address: engines on one host can
 * share an id (it comes from /etc/docker), so the address tells them apart.
 */
export function engineName(config: Pick<Config, 'ENGINE_NAME' | 'DOCKER_HOST' | 'DOCKER_SOCKET'>, facts: EngineFacts): string {
  if (config.ENGINE_NAME) return config.ENGINE_NAME;
  const host = facts.hostName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'engine';
  const address = config.DOCKER_HOST ?? config.DOCKER_SOCKET;
  return `${host}-${createHash('sha256').update(`${facts.engineId}@${address}`).digest('hex').slice(0, 6)}`;
}

/** This app's containers on the engine, by kind (pool: warm or a session; oneshot; lab), for the metrics scrape. */
async function countContainers(docker: Docker, prefix: string, engine: string): Promise<{ labels: Record<string, string>; value: number }[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL.app}=${prefix}`] } });
  const byKind = new Map<string, number>([['pool', 0], ['oneshot', 0], [LAB_KIND, 0]]);
  for (const c of list) {
    const kind = c.Labels?.[LABEL.kind] ?? 'unknown';
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  return [...byKind].map(([kind, value]) => ({ labels: { engine, kind }, value }));
}
