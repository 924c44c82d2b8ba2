import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import { loadCurriculum, type Lang } from './lessons/index.js';
import type { Logger } from './log.js';
import { SenseiMetrics } from './metrics/sensei-metrics.js';
import { startDeadEngineWatch } from './queue/dead-engines.js';
import { CommandQueue } from './queue/producer.js';
import type { RunningWorker } from './worker/start.js';
import { createRedis, pingRedis } from './store/redis.js';
import { TeamService } from './team/service.js';
import { TeamStore } from './team/store.js';
import type { Clock } from './team/time.js';
import { Tutor, type TutorDeps } from './tutor/engine.js';
import type { Reply } from './tutor/reply.js';
import { RedisLearnerStore } from './store/learner-store.js';
import { createQuestionDesk } from './knowledge/desk.js';
import { AskGaps } from './knowledge/gaps.js';
import { modelSettings } from './knowledge/llm.js';
import { loadKnowledge } from './knowledge/loader.js';
import type { QuestionDesk } from './tutor/questions.js';

export const LESSONS_DIR = fileURLToPath(new URL('../lessons', import.meta.url));
export const KNOWLEDGE_DIR = fileURLToPath(new URL('../knowledge', import.meta.url));

/** How a transport says something to a learner who did not just write (their lab was lost, say). */
export type DeliverNotice = (learnerId: string, reply: Reply) => Promise<void>;

export interface TutorApp {
  tutor: Tutor;
  queue: CommandQueue;
  /** The transport delivers notices from here on; until then they are only logged. */
  deliverNoticesWith(deliver: DeliverNotice): void;
  /** Boards, streaks, digests and exports, fed by the tutor's learning events. */
  team: TeamService;
  /** Quick Q&A from the knowledge cards (Discord's /ask autocomplete reads card titles from it). */
  questions: QuestionDesk;
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
    commandUsages?: TutorDeps['commandUsages'];
    /** The team features' "now" (tests move it; default: the system clock). */
    clock?: Clock;
    /** The console's sessions end with it; the bot's outlive a restart (the reaper ends idle ones). */
    endSessionsOnClose?: boolean;
    /** Where the queue's depth, refusals (and an in-process worker's runs) are counted. */
    metrics?: SenseiMetrics;
  },
): Promise<TutorApp> {
  const curriculum = await loadCurriculum(LESSONS_DIR);
  const metrics = opts.metrics ?? new SenseiMetrics();
  const queue = await CommandQueue.create(config, log, metrics);
  const redis = createRedis(config.REDIS_URL, 'producer', log);
  let worker: RunningWorker | undefined;
  try {
    await pingRedis(redis, config.REDIS_URL);
    if (config.SENSEI_INLINE_WORKER && (await queue.workerCount()) === 0) {
      // Loaded only here: a bot whose workers run elsewhere never loads dockerode, the sandbox or the lab.
      const { startWorker } = await import('./worker/start.js');
      worker = await startWorker(config, {
        log,
        metrics,
        ...(opts.inlineWorkerPool !== undefined ? { poolSize: opts.inlineWorkerPool } : {}),
        ...(opts.endSessionsOnClose ? { endSessionsOnClose: true } : {}),
      });
    }
  } catch (err) {
    redis.disconnect();
    await queue.close();
    throw err;
  }
  const knowledge = await loadKnowledge(KNOWLEDGE_DIR, { curriculum });
  const gaps = new AskGaps(redis, config.SENSEI_PREFIX);
  const model = modelSettings(config);
  const questions = createQuestionDesk({ knowledge, curriculum, gaps, ...(model ? { model } : {}) });
  const team = new TeamService(new TeamStore(redis, config.SENSEI_PREFIX), curriculum, opts.clock);
  const tutor = new Tutor({
    curriculum,
    questions,
    store: new RedisLearnerStore(redis, config.SENSEI_PREFIX),
    run: (learnerId, command, mode, runOpts) => queue.submit(learnerId, command, mode, runOpts),
    runLab: (learnerId, command, runOpts) => queue.runLab(learnerId, command, runOpts),
    clearLab: (learnerId) => queue.clearLab(learnerId),
    defaultLang: opts.defaultLang,
    ...(opts.commands ? { commands: opts.commands } : {}),
    ...(opts.rendersMore ? { rendersMore: true } : {}),
    ...(opts.commandUsages ? { commandUsages: opts.commandUsages } : {}),
    recordEvent: (event) => team.record(event),
    // With a worker here the session ends now; otherwise its records go and a reaper removes it.
    endSession: async (learnerId: string) => {
      if (worker) await worker.sandbox.endSession(learnerId);
      else await queue.dropSessions(learnerId);
    },
    forgetLearner: async (learnerId) => {
      await queue.forgetLearner(learnerId);
      await gaps.forgetLearner(learnerId);
      await team.forget(learnerId);
    },
    onRefused: (reason) => metrics.refused.inc({ reason }),
  });
  let deliver: DeliverNotice | undefined;
  // A dead engine's learners lose their session too, and hear about their lab from the tutor.
  const deadEngines = startDeadEngineWatch({
    config,
    redis,
    registry: queue.engines,
    log,
    onLost: async (engine, learners) => {
      for (const learnerId of learners) {
        await queue.dropSessions(learnerId).catch(() => {});
        const reply = await tutor.labLost(learnerId);
        if (!reply) continue;
        if (!deliver) log.warn(`no transport to tell a learner their lab was lost with engine ${engine}`, { learner: learnerId, engine });
        else await deliver(learnerId, reply).catch((err: unknown) => log.warn('could not tell a learner their lab was lost', { learner: learnerId, engine, err: String(err) }));
      }
    },
  });
  return {
    tutor,
    queue,
    deliverNoticesWith: (fn) => {
      deliver = fn;
    },
    team,
    questions,
    close: async () => {
      deadEngines.stop();
      await worker?.close();
      await queue.close();
      redis.disconnect();
    },
  };
}
