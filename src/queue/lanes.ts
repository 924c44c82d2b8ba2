// The producer's lanes: the shared queue (one-shot commands, any engine) and one queue per engine (a learner's
// session and lab commands), each with the QueueEvents that tells the producer a job finished.
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { SenseiMetrics } from '../metrics/sensei-metrics.js';
import { createRedis } from '../store/redis.js';
import { queueDepth } from './depth.js';
import { QUEUE_NAME, engineQueueName, type JobData, type JobResult } from './jobs.js';

export interface Lane {
  queue: Queue<JobData, JobResult>;
  events: QueueEvents;
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

  async close(): Promise<void> {
    for (const { lane, eventsRedis, stopCounting } of this.opened.splice(0)) {
      stopCounting();
      await Promise.allSettled([lane.events.close(), lane.queue.close()]);
      eventsRedis.disconnect();
    }
  }
}

async function openLane(ctx: LaneContext, name: string, engine?: string): Promise<Opened> {
  const { config } = ctx;
  // QueueEvents blocks on XREAD, so it needs a connection of its own that never gives up.
  const eventsRedis = createRedis(config.REDIS_URL, 'worker', ctx.log);
  const queue = new Queue<JobData, JobResult>(name, { connection: ctx.redis, prefix: config.SENSEI_PREFIX });
  const events = new QueueEvents(name, { connection: eventsRedis, prefix: config.SENSEI_PREFIX });
  // Each waiting job adds listeners (waitUntilFinished); as many may wait as the queue holds.
  queue.setMaxListeners(config.QUEUE_MAX_WAITING + 50);
  events.setMaxListeners(config.QUEUE_MAX_WAITING + 50);
  try {
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  } catch (err) {
    await Promise.allSettled([queue.close(), events.close()]);
    eventsRedis.disconnect();
    throw err;
  }
  ctx.onEvents(events);
  const stopCounting = ctx.metrics?.queueJobs.collect(() => queueDepth(queue)) ?? (() => {});
  return { lane: { queue, events, ...(engine ? { engine } : {}) }, eventsRedis, stopCounting };
}
