import type { Config } from '../../src/config.js';
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
