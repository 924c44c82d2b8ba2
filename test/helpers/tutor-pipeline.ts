// The chat engine a learner talks to, on the real queue, worker, sandbox and lab, with learner state in memory:
// the public path of a typed line, fast enough to drive many learners and many lines.
import { loadCurriculum } from '../../src/lessons/index.js';
import { LESSONS_DIR } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { renderForTerminal } from '../../src/console/render.js';
import { MemoryLearnerStore } from '../../src/store/memory-learner-store.js';
import { Tutor } from '../../src/tutor/engine.js';
import type { Block, Reply } from '../../src/tutor/reply.js';
import type { RunResult } from '../../src/sandbox/types.js';
import { Queue, type Job, type JobType } from 'bullmq';
import { Redis } from 'ioredis';
import { engineQueueName, type JobData, type JobResult } from '../../src/queue/jobs.js';
import { startPipeline, type Pipeline } from './pipeline.js';

export interface Said {
  /** Every reply to the line, as the console prints it. */
  text: string;
  /** The command's real result, when the line ran one. */
  result?: RunResult;
  replies: Reply[];
}

export interface TutorPipeline extends Pipeline {
  tutor: Tutor;
  store: MemoryLearnerStore;
  /** A learner types one line in the chat (English unless the learner switched). */
  say(learner: string, line: string): Promise<Said>;
  /** Jobs of the worker's engine queue (where session and lab commands go), in the given states. */
  engineJobs(states: JobType[]): Promise<Job<JobData, JobResult>[]>;
}

export async function startTutorPipeline(overrides: Partial<Record<keyof Config, string>> = {}): Promise<TutorPipeline> {
  const p = await startPipeline(overrides);
  const curriculum = await loadCurriculum(LESSONS_DIR);
  const store = new MemoryLearnerStore();
  const tutor = new Tutor({
    curriculum,
    store,
    run: (learner, command, mode, runOpts) => p.queue.submit(learner, command, mode, runOpts),
    runLab: (learner, command, runOpts) => p.queue.runLab(learner, command, runOpts),
    clearLab: (learner) => p.queue.clearLab(learner),
    defaultLang: 'en',
    endSession: async (learner) => void (await p.worker.sandbox.endSession(learner)),
  });
  const engineJobs = async (states: JobType[]) => {
    const redis = new Redis(p.config.REDIS_URL);
    const queue = new Queue<JobData, JobResult>(engineQueueName(p.worker.engine), { connection: redis, prefix: p.config.SENSEI_PREFIX });
    try {
      return await queue.getJobs(states);
    } finally {
      await queue.close();
      redis.disconnect();
    }
  };
  return {
    ...p,
    tutor,
    store,
    engineJobs,
    say: async (learner, line) => {
      const replies: Reply[] = [];
      await tutor.typed(learner, line, { onReply: (r) => void replies.push(r) });
      const output = replies.flatMap((r) => r.blocks).find((b): b is Extract<Block, { kind: 'output' }> => b.kind === 'output');
      return { text: replies.map((r) => renderForTerminal(r, { color: false }).text).join('\n\n'), replies, ...(output ? { result: output.result } : {}) };
    },
  };
}
