import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import { loadCurriculum, type Lang } from './lessons/index.js';
import type { Logger } from './log.js';
import { CommandQueue } from './queue/producer.js';
import { startWorker, type RunningWorker } from './worker/start.js';
import { createRedis, pingRedis } from './store/redis.js';
import { Tutor, type TutorDeps } from './tutor/engine.js';
import { RedisLearnerStore } from './store/learner-store.js';

export const LESSONS_DIR = fileURLToPath(new URL('../lessons', import.meta.url));

export interface TutorApp {
  tutor: Tutor;
  queue: CommandQueue;
  close(): Promise<void>;
}

/**
 * Wires the tutor for a transport: curriculum, learner store, the queue, and (when no worker is
 * connected and SENSEI_INLINE_WORKER allows) a worker in this process.
 */
export async function startTutorApp(
  config: Config,
  log: Logger,
  opts: {
    defaultLang: Lang;
    inlineWorkerPool?: number;
    commands?: TutorDeps['commands'];
    rendersMore?: boolean;
    /** The console's sessions end with it; the bot's outlive a restart (the reaper ends idle ones). */
    endSessionsOnClose?: boolean;
  },
): Promise<TutorApp> {
  const curriculum = await loadCurriculum(LESSONS_DIR);
  const queue = await CommandQueue.create(config, log);
  const redis = createRedis(config.REDIS_URL, 'producer', log);
  let worker: RunningWorker | undefined;
  try {
    await pingRedis(redis, config.REDIS_URL);
    if (config.SENSEI_INLINE_WORKER && (await queue.workerCount()) === 0) {
      worker = await startWorker(config, {
        log,
        ...(opts.inlineWorkerPool !== undefined ? { poolSize: opts.inlineWorkerPool } : {}),
        ...(opts.endSessionsOnClose ? { endSessionsOnClose: true } : {}),
      });
    }
  } catch (err) {
    redis.disconnect();
    await queue.close();
    throw err;
  }
  const tutor = new Tutor({
    curriculum,
    store: new RedisLearnerStore(redis, config.SENSEI_PREFIX),
    run: (learnerId, command, mode, runOpts) => queue.submit(learnerId, command, mode, runOpts),
    defaultLang: opts.defaultLang,
    ...(opts.commands ? { commands: opts.commands } : {}),
    ...(opts.rendersMore ? { rendersMore: true } : {}),
    // With a worker here the session ends now; otherwise its records go and a reaper removes it.
    endSession: async (learnerId: string) => {
      if (worker) await worker.sandbox.endSession(learnerId);
      else await queue.dropSessions(learnerId);
    },
    forgetLearner: (learnerId) => queue.forgetLearner(learnerId),
  });
  return {
    tutor,
    queue,
    close: async () => {
      await worker?.close();
      await queue.close();
      redis.disconnect();
    },
  };
}
