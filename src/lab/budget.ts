// Each lab container's CPU budget: a detached `while :; do :; done` would otherwise spin at a full CPU for
// its whole two-hour lifetime. A worker checks the running lab containers now and then; one that has used
// its budget is stopped, and the learner is told why on their next lab command (a notice kept in Redis).
import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { describeError } from '../sandbox/types.js';
import { LABEL } from '../sandbox/spec.js';
import { redisKeys } from '../store/redis.js';
import { labNote, labNoteSchema, type LabNote } from './notes.js';
import { LAB_KIND, LAB_LABEL } from './own-containers.js';

/** Notices wait this long for the learner's next lab command. */
const NOTICE_TTL_S = 24 * 3_600;

export interface CpuBudgetOptions {
  docker: Docker;
  redis: Redis;
  prefix: string;
  /** CPU time a lab container may use over its life, in ms. */
  budgetMs: number;
  log: Logger;
}

/** One pass: stops every running lab container past its CPU budget; returns how many it stopped. */
export async function enforceCpuBudgets(opts: CpuBudgetOptions): Promise<number> {
  const { docker, log } = opts;
  const running = await docker.listContainers({ filters: { label: [`${LABEL.app}=${opts.prefix}`, `${LABEL.kind}=${LAB_KIND}`], status: ['running'] } });
  let stopped = 0;
  for (const info of running) {
    const usedMs = await cpuUsedMs(docker.getContainer(info.Id)).catch(() => undefined);
    if (usedMs === undefined || usedMs < opts.budgetMs) continue;
    try {
      await docker.getContainer(info.Id).kill();
    } catch (err) {
      log.warn('could not stop a lab container past its CPU budget', describeError(err));
      continue;
    }
    stopped += 1;
    const learner = info.Labels?.[LABEL.learner] ?? '';
    const name = info.Labels?.[LAB_LABEL.name] ?? info.Id.slice(0, 12);
    log.info(`stopped lab container ${info.Id.slice(0, 12)} of ${learner}: CPU budget spent (${Math.round(usedMs / 1000)} s)`);
    await pushLabNotice(opts.redis, opts.prefix, learner, labNote('cpu-budget-spent', { name, seconds: Math.round(opts.budgetMs / 1000) }));
  }
  return stopped;
}

/** CPU time the container has used since it started, from one stats sample. */
async function cpuUsedMs(container: Docker.Container): Promise<number> {
  // one-shot: a single sample, without waiting a second for the previous one.
  const stats = (await container.stats({ stream: false, 'one-shot': true } as { stream: false })) as Docker.ContainerStats;
  return (stats.cpu_stats?.cpu_usage?.total_usage ?? 0) / 1e6;
}

/** Keeps a note for the learner's next lab command. */
export async function pushLabNotice(redis: Redis, prefix: string, learnerId: string, note: LabNote): Promise<void> {
  if (!learnerId) return;
  const key = redisKeys(prefix).labNotices(learnerId);
  await redis.multi().rpush(key, JSON.stringify(note)).expire(key, NOTICE_TTL_S).exec();
}

/** Takes the notes kept for a learner (each is said once). */
export async function takeLabNotices(redis: Redis, prefix: string, learnerId: string): Promise<LabNote[]> {
  const key = redisKeys(prefix).labNotices(learnerId);
  const [[, raw]] = (await redis.multi().lrange(key, 0, -1).del(key).exec()) as [[Error | null, string[]]];
  return (raw ?? []).flatMap((text) => {
    try {
      const parsed = labNoteSchema.safeParse(JSON.parse(text));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}
