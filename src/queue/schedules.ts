// Jobs that repeat on a schedule (weekly digests, hourly reminders): BullMQ job schedulers with stable ids,
// so every process can declare the same schedule at start-up and each repetition still runs once, in
// whichever process's worker takes it. The handler owns what "once" means for its effect.

import { Queue, Worker } from 'bullmq';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createRedis } from '../store/redis.js';

/** A cron pattern in a time zone (BullMQ follows its DST changes), or a fixed interval. */
export type Repeat = { pattern: string; tz: string } | { every: number };

export interface Schedules<T> {
  /** Creates or changes the schedule with this id; the same id from several processes is one schedule. */
  upsert(id: string, repeat: Repeat, data: T): Promise<void>;
  remove(id: string): Promise<void>;
  /** The ids scheduled now. */
  ids(): Promise<string[]>;
  close(): Promise<void>;
}

/** A schedule queue and a worker taking its jobs in this process. */
export async function startSchedules<T>(config: Config, log: Logger, name: string, handle: (data: T, jobName: string) => Promise<void>): Promise<Schedules<T>> {
  const queueRedis = createRedis(config.REDIS_URL, 'producer', log);
  const workerRedis = createRedis(config.REDIS_URL, 'worker', log);
  const queue = new Queue(name, { connection: queueRedis, prefix: config.SENSEI_PREFIX });
  const worker = new Worker(name, (job) => handle(job.data as T, job.name), {
    connection: workerRedis,
    prefix: config.SENSEI_PREFIX,
    concurrency: 2,
  });
  worker.on('failed', (job, err) => log.warn(`scheduled job ${job?.name ?? '?'} failed: ${err.message}`));
  worker.on('error', (err) => log.warn(`schedule worker: ${err.message}`));
  return {
    upsert: async (id, repeat, data) => {
      await queue.upsertJobScheduler(id, repeat, {
        name: id,
        data,
        // Finished runs are only history; keep a few for inspection.
        opts: { removeOnComplete: 20, removeOnFail: 50, attempts: 3, backoff: { type: 'exponential', delay: 5_000 } },
      });
    },
    remove: async (id) => {
      await queue.removeJobScheduler(id);
    },
    ids: async () => (await queue.getJobSchedulers(0, -1)).map((s) => s.key),
    close: async () => {
      await worker.close();
      await queue.close();
      queueRedis.disconnect();
      workerRedis.disconnect();
    },
  };
}
