// Notices a dead engine: one silent for ENGINE_DEAD_MS is declared dead (atomically, so one process of many
// does it), commands still waiting in its queue are dropped (their learners hear from the producer), and
// the learners whose lab lived there are handed to `onLost`, to be told and placed anew at their next command.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { EngineRegistry } from '../store/engine-registry.js';
import { engineQueueName } from './jobs.js';

export interface DeadEngineWatchOptions {
  config: Pick<Config, 'SENSEI_PREFIX' | 'ENGINE_DEAD_MS' | 'ENGINE_HEARTBEAT_MS'>;
  redis: Redis;
  registry: EngineRegistry;
  log: Logger;
  /** Called once per dead engine, in the one process that declared it dead. */
  onLost(engine: string, learners: string[]): Promise<void>;
}

export interface DeadEngineWatch {
  /** One look now; resolves to the engines it declared dead. */
  check(): Promise<string[]>;
  stop(): void;
}

export function startDeadEngineWatch(opts: DeadEngineWatchOptions): DeadEngineWatch {
  const { config, registry, log } = opts;
  let busy: Promise<string[]> | undefined;
  const once = async (): Promise<string[]> => {
    const cutoff = Date.now() - config.ENGINE_DEAD_MS;
    const dead: string[] = [];
    for (const engine of await registry.silentSince(cutoff)) {
      const learners = await registry.declareDead(engine, cutoff);
      if (!learners) continue;
      dead.push(engine);
      log.warn(`engine ${engine} has been silent for ${Math.round(config.ENGINE_DEAD_MS / 1000)} s: declared dead; ${learners.length} learner(s) lost their lab`, {
        engine,
        learners: learners.length,
      });
      await dropWaitingJobs(opts, engine).catch((err: unknown) => log.warn(`could not drop the jobs waiting for engine ${engine}`, err));
      await opts.onLost(engine, learners).catch((err: unknown) => log.error(`telling the learners of engine ${engine} failed`, err));
    }
    return dead;
  };
  const check = () => (busy ??= once().finally(() => (busy = undefined)));
  const timer = setInterval(() => void check().catch((err: unknown) => log.warn('engine watch failed', err)), config.ENGINE_HEARTBEAT_MS);
  return { check, stop: () => clearInterval(timer) };
}

/** Jobs nobody will take: if the engine came back later, they would run long after their learner stopped waiting. */
async function dropWaitingJobs(opts: DeadEngineWatchOptions, engine: string): Promise<void> {
  const queue = new Queue(engineQueueName(engine), { connection: opts.redis, prefix: opts.config.SENSEI_PREFIX });
  try {
    await queue.drain(true);
  } finally {
    await queue.close();
  }
}
