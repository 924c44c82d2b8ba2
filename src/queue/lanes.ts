// The producer's lanes: the shared queue (one-shot commands, any engine) and one queue per engine (a learner's
// session and lab commands), each with the QueueEvents that tells the producer a job finished.
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { SenseiMetrics } from '../metrics/sensei-metrics.js';
import type { EngineRegistry } from '../store/engine-registry.js';
import { createRedis, settleWithin } from '../store/redis.js';
import { queueDepth } from './depth.js';
import { QUEUE_NAME, engineQueueName, type JobData, type JobResult } from './jobs.js';
import { PlacesInLine } from './places-in-line.js';
import { ResultWaiter, type JobAnswer } from './results.js';

/** Entries in the queue's event stream; each carries a result to every producer, so few are kept. */
export const EVENT_STREAM_MAX = 1_000;
/** How often the waiting learners' places in line are read (one reading per lane for all of them). */
const PLACES_READ_MS = 1_000;
/** A shutdown waits this long for each BullMQ object; past it Redis is down and the connection is dropped. */
const CLOSE_STEP_MS = 3_000;

/** BullMQ objects emit 'error' on every failed reconnect; one line in the log, never a trace in a terminal. */
export function quietErrors(emitter: { on(event: 'error', listener: (err: Error) => void): unknown }, log: Logger, what: string): void {
  let last = 0;
  emitter.on('error', (err: Error) => {
    if (Date.now() - last < 10_000) return;
    last = Date.now();
    log.warn(`${what}: ${err.message}`);
  });
}

export interface Lane {
  queue: Queue<JobData, JobResult>;
  events: QueueEvents;
  /** Hears each job's answer (from the event stream, or by polling when an event was missed). */
  results: ResultWaiter;
  /** Tells each waiting job its place in this lane's line. */
  places: PlacesInLine;
  /** The engine whose queue this is; undefined for the shared queue. */
  engine?: string;
}

interface Opened {
  lane: Lane;
  eventsRedis: Redis;
  stopCounting: () => void;
}

interface LaneContext {
  config: Config;
  redis: Redis;
  log: Logger;
  /** Called with each lane's QueueEvents once, so the producer hears every lane's progress. */
  onEvents: (events: QueueEvents) => void;
  metrics: SenseiMetrics | undefined;
}

export class Lanes {
  private readonly byEngine = new Map<string, Promise<Lane>>();
  private readonly opened: Opened[];
  readonly shared: Lane;

  private constructor(
    private readonly ctx: LaneContext,
    shared: Opened,
  ) {
    this.shared = shared.lane;
    this.opened = [shared];
  }

  /** Opens the shared lane; fails (closing what it opened) when Redis does not answer. */
  static async open(ctx: LaneContext): Promise<Lanes> {
    return new Lanes(ctx, await openLane(ctx, QUEUE_NAME));
  }

  /** The engine's lane, opened on first use. */
  forEngine(engine: string): Promise<Lane> {
    let lane = this.byEngine.get(engine);
    if (!lane) {
      lane = openLane(this.ctx, engineQueueName(engine), engine).then((opened) => {
        this.opened.push(opened);
        return opened.lane;
      });
      // A lane that failed to open is tried again next time.
      lane.catch(() => this.byEngine.delete(engine));
      this.byEngine.set(engine, lane);
    }
    return lane;
  }

  all(): Lane[] {
    return this.opened.map((o) => o.lane);
  }

  /** Closes within a bound even while Redis is down: whoever still waits hears `reason`. */
  async close(reason: string): Promise<void> {
    for (const { lane, eventsRedis, stopCounting } of this.opened.splice(0)) {
      stopCounting();
      lane.results.close(reason);
      await Promise.all([settleWithin(lane.events.close(), CLOSE_STEP_MS), settleWithin(lane.queue.close(), CLOSE_STEP_MS)]);
      eventsRedis.disconnect();
    }
  }
}

async function openLane(ctx: LaneContext, name: string, engine?: string): Promise<Opened> {
  const { config } = ctx;
  // QueueEvents blocks on XREAD, so it needs a connection of its own that never gives up.
  const eventsRedis = createRedis(config.REDIS_URL, 'worker', ctx.log);
  const queue = new Queue<JobData, JobResult>(name, { connection: ctx.redis, prefix: config.SENSEI_PREFIX, streams: { events: { maxLen: EVENT_STREAM_MAX } } });
  const events = new QueueEvents(name, { connection: eventsRedis, prefix: config.SENSEI_PREFIX });
  // Without listeners, every Redis outage prints raw ECONNREFUSED traces into the learner's terminal.
  quietErrors(queue, ctx.log, engine ? `queue ${name}` : 'queue');
  quietErrors(events, ctx.log, engine ? `queue events ${name}` : 'queue events');
  try {
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  } catch (err) {
    await Promise.allSettled([queue.close(), events.close()]);
    eventsRedis.disconnect();
    throw err;
  }
  ctx.onEvents(events);
  const stopCounting = ctx.metrics?.queueJobs.collect(() => queueDepth(queue)) ?? (() => {});
  return { lane: { queue, events, results: new ResultWaiter(queue, events), places: new PlacesInLine(ctx.redis, queue.keys.wait!, PLACES_READ_MS), ...(engine ? { engine } : {}) }, eventsRedis, stopCounting };
}

/** Answers (as a failure) once the engine is declared dead: its queue then has nobody to run a job. */
export function whenEngineLost(engines: EngineRegistry, engine: string, everyMs: number): { answer: Promise<JobAnswer>; happened(): boolean; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let happened = false;
  const answer = new Promise<JobAnswer>((resolve) => {
    timer = setInterval(() => {
      void engines.isRegistered(engine).then((registered) => {
        if (registered || happened) return;
        happened = true;
        resolve({ ok: false, reason: `the Docker engine ${engine} was lost` });
      }, () => {});
    }, everyMs);
  });
  return { answer, happened: () => happened, stop: () => clearInterval(timer) };
}
