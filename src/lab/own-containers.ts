// A learner's own lab containers: how they are labelled and named, and every lookup, limited to them,
// so another learner's container, by name or by id, is simply "No such container".
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import type { SandboxLimits } from '../config.js';
import { removeQuietly } from '../sandbox/docker-client.js';
import { LABEL } from '../sandbox/spec.js';
import { redisKeys, type RedisKeys } from '../store/redis.js';
import type { HostRoots } from './host-view.js';
import { LAB_KIND, LAB_LABEL } from './labels.js';
import { noSuchContainer } from './outcome.js';

export { LAB_KIND, LAB_LABEL };

/** A short, stable hash of the learner id, for Docker-level names that are unique across learners. */
export function learnerHash(learnerId: string): string {
  return createHash('sha256').update(learnerId).digest('hex').slice(0, 10);
}

export function labDockerName(prefix: string, learnerId: string, name: string): string {
  return `${prefix}-lab-${learnerHash(learnerId)}-${name}`;
}

/** What every lab command needs to reach the engine, Redis and the host's view. */
export interface LabContext {
  docker: Docker;
  redis: Redis;
  /** SENSEI_PREFIX: the app label, the Redis key prefix and the start of every Docker-level name. */
  prefix: string;
  keys: RedisKeys;
  idleTtlMs: number;
  limits: SandboxLimits;
  hostRoots: HostRoots;
}

/** A stopped container's output, read by the lab just before it stopped the container (its tmpfs goes with it). */
export const keptLogsKey = (prefix: string, containerId: string): string => `${prefix}:lab-logs:${containerId}`;

export function labContext(opts: Omit<LabContext, 'keys'>): LabContext {
  return { ...opts, keys: redisKeys(opts.prefix) };
}

export type Info = Docker.ContainerInfo;
export type Resolved = { ok: true; info: Info } | { ok: false; message: string };

/** One learner's lab containers; nothing outside them can be found through this. */
export class LearnerContainers {
  constructor(
    readonly ctx: LabContext,
    readonly learnerId: string,
    /** The job's deadline: a command naming many containers stops there and answers with what it has. */
    readonly signal?: AbortSignal,
  ) {}

  /** Whether the command passed its deadline: stop asking the engine. */
  get outOfTime(): boolean {
    return this.signal?.aborted ?? false;
  }

  /** An engine call that gives up at the deadline: undefined then, and the answer goes out with what it has. */
  untilDeadline<T>(call: Promise<T>): Promise<T | undefined> {
    const signal = this.signal;
    if (!signal) return call;
    if (signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const stop = () => resolve(undefined);
      signal.addEventListener('abort', stop, { once: true });
      call.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
    });
  }

  get docker(): Docker {
    return this.ctx.docker;
  }

  list(all = true): Promise<Info[]> {
    return this.ctx.docker.listContainers({
      all,
      filters: { label: [`${LABEL.app}=${this.ctx.prefix}`, `${LABEL.kind}=${LAB_KIND}`, `${LABEL.learner}=${this.learnerId}`] },
    });
  }

  /** docker's order: a full id, then an exact name, then a unique id prefix; only the learner's own containers. */
  async resolve(ref: string): Promise<Resolved> {
    const own = await this.list();
    const byPrefix = /^[0-9a-f]{3,63}$/.test(ref) ? own.filter((c) => c.Id.startsWith(ref)) : [];
    const info = own.find((c) => c.Id === ref) ?? own.find((c) => c.Labels?.[LAB_LABEL.name] === ref) ?? (byPrefix.length > 1 ? 'ambiguous' : byPrefix[0]);
    if (info === 'ambiguous') return { ok: false, message: `Error response from daemon: multiple IDs found with provided prefix: ${ref}\n` };
    if (!info) return { ok: false, message: noSuchContainer(ref) };
    await this.touch(info.Id);
    return { ok: true, info };
  }

  /** Marks a container as used now: its idle key starts again. */
  async touch(containerId: string): Promise<void> {
    await this.ctx.redis.set(this.ctx.keys.labIdle(containerId), String(Date.now()), 'PX', this.ctx.idleTtlMs);
  }

  async remove(containerId: string): Promise<void> {
    await removeQuietly(this.ctx.docker.getContainer(containerId));
    await this.ctx.redis.del(this.ctx.keys.labIdle(containerId), keptLogsKey(this.ctx.prefix, containerId));
  }
}
