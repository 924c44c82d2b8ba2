import type { Redis } from 'ioredis';
import type { Config } from '../../src/config.js';
import type { Curriculum, Lang } from '../../src/lessons/index.js';
import { RedisLearnerStore } from '../../src/store/learner-store.js';
import { Tutor } from '../../src/tutor/engine.js';
import { silentLogger } from '../../src/log.js';
import { CommandQueue } from '../../src/queue/producer.js';
import { startWorker, type RunningWorker } from '../../src/worker/start.js';
import type { ExecutionMode } from '../../src/sandbox/types.js';
import { testConfig } from './services.js';

/** The real path a learner's command takes: producer -> Redis/BullMQ -> worker -> sandbox container. */
export interface Pipeline {
  config: Config;
  queue: CommandQueue;
  worker: RunningWorker;
  run(command: string, opts?: { learner?: string; mode?: ExecutionMode }): ReturnType<CommandQueue['submit']>;
  close(): Promise<void>;
}

export async function startPipeline(overrides: Partial<Record<keyof Config, string>> = {}): Promise<Pipeline> {
  const config = testConfig(overrides);
  // Tests end the sessions they started, so every suite can check that nothing is left behind.
  const worker = await startWorker(config, { log: silentLogger, endSessionsOnClose: true });
  const queue = await CommandQueue.create(config, silentLogger);
  return {
    config,
    queue,
    worker,
    run: (command, opts = {}) => queue.submit(opts.learner ?? 'tester', command, opts.mode ?? 'oneshot'),
    close: async () => {
      await queue.close();
      await worker.close();
    },
  };
}

/** The tutor as the app wires it, on a test pipeline: learner state in the real Redis, commands through the queue. */
export function tutorOnPipeline(p: Pipeline, curriculum: Curriculum, redis: Redis, defaultLang: Lang): Tutor {
  return new Tutor({
    curriculum,
    store: new RedisLearnerStore(redis, p.config.SENSEI_PREFIX),
    run: (learner, command, mode, runOpts) => p.queue.submit(learner, command, mode, runOpts),
    runLab: (learner, command, runOpts) => p.queue.runLab(learner, command, runOpts),
    clearLab: (learner) => p.queue.clearLab(learner),
    defaultLang,
    endSession: async (learner) => void (await p.worker.sandbox.endSession(learner)),
  });
}
