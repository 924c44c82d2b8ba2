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
  /** For an engine's lane: tells its waiting jobs when the engine is declared dead. */
  loss?: EngineLossWatch;
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
  /** Where an engine's lane checks that its engine is still registered. */
  engines: EngineRegistry;
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
      lane.loss?.close();
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
  const ofEngine = engine ? { engine, loss: new EngineLossWatch(ctx.engines, engine, config.ENGINE_HEARTBEAT_MS) } : {};
  const lane: Lane = { queue, events, results: new ResultWaiter(queue, events), places: new PlacesInLine(ctx.redis, queue.keys.wait!, PLACES_READ_MS), ...ofEngine };
  return { lane, eventsRedis, stopCounting };
}

/** What a waiting job holds while it watches its engine: `answer` settles (as a failure) if the engine is lost. */
export interface EngineLossWait {
  answer: Promise<JobAnswer>;
  happened(): boolean;
  stop(): void;
}

/**
 * Tells the jobs waiting on an engine's lane that the engine was declared dead: one registry check per lane
 * every `everyMs` while any job waits (not one timer and one Redis call per waiting job).
 */
export class EngineLossWatch {
  private readonly waiting = new Set<(answer: JobAnswer) => void>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly engines: EngineRegistry,
    private readonly engine: string,
    private readonly everyMs: number,
  ) {}

  wait(): EngineLossWait {
    let happened = false;
    let tell!: (answer: JobAnswer) => void;
    const answer = new Promise<JobAnswer>((resolve) => {
      tell = (lost) => {
        happened = true;
        resolve(lost);
      };
    });
    this.waiting.add(tell);
    this.timer ??= setInterval(() => void this.check(), this.everyMs);
    return { answer, happened: () => happened, stop: () => this.forget(tell) };
  }

  close(): void {
    this.waiting.clear();
    this.forget(undefined);
  }

  private forget(tell: ((answer: JobAnswer) => void) | undefined): void {
    if (tell) this.waiting.delete(tell);
    if (this.waiting.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      // A registry that cannot be read says nothing: the job goes on waiting for its own answer.
      if (await this.engines.isRegistered(this.engine).catch(() => true)) return;
      const lost: JobAnswer = { ok: false, reason: `the Docker engine ${this.engine} was lost` };
      for (const tell of [...this.waiting]) tell(lost);
      this.close();
    } finally {
      this.checking = false;
    }
  }
}
