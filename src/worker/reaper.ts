// The one reaper: removes this app's containers nobody needs any more, sandbox and lab alike, each by its
// own rules. It lives with the worker because it needs to know both kinds, and neither should know the other.
import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import { LAB_KIND } from '../lab/own-containers.js';
import type { Logger } from '../log.js';
import { removeQuietly } from '../sandbox/docker-client.js';
import { describeError } from '../sandbox/types.js';
import { LABEL } from '../sandbox/spec.js';
import { redisKeys, type RedisKeys } from '../store/redis.js';

/** Lab containers younger than this are never reaped for a missing idle key (it is set right after create). */
export const LAB_REAP_GRACE_MS = 30_000;

export interface ReapOptions {
  docker: Docker;
  redis: Redis;
  /** SENSEI_PREFIX: only containers with this app label are looked at. */
  prefix: string;
  /** The reaping worker: its own sandbox containers are alive by definition. */
  workerId: string;
  log: Logger;
  /** How young a lab container may be and keep a missing idle key. */
  labGraceMs?: number;
  /** With several engines: this one's name, and where a learner lives now (their lab elsewhere is gone with its engine). */
  engine?: { name: string; placedOn(learnerId: string): Promise<string | undefined> };
}

type Info = Docker.ContainerInfo;

/**
 * One pass: removes sandbox containers past their hard lifetime, sessions gone idle, those of workers
 * that stopped without cleaning up (no liveness mark in Redis), and lab containers past their lifetime
 * or idle past their TTL. Returns how many it removed.
 */
export async function reapContainers(opts: ReapOptions): Promise<number> {
  const { docker, redis, log } = opts;
  const keys = redisKeys(opts.prefix);
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL.app}=${opts.prefix}`] } });
  let removed = 0;
  for (const info of list) {
    const lab = info.Labels?.[LABEL.kind] === LAB_KIND;
    const reason = lab ? await labReason(info, opts, keys) : await sandboxReason(info, opts, keys);
    if (!reason) continue;
    log.debug(`reaping ${lab ? 'lab ' : ''}${info.Id.slice(0, 12)}: ${reason}`);
    try {
      await removeQuietly(docker.getContainer(info.Id));
      removed += 1;
    } catch (err) {
      log.warn('could not remove a container', describeError(err));
    }
    await redis.del(lab ? keys.labIdle(info.Id) : keys.claimed(info.Id));
  }
  return removed;
}

function pastLifetime(info: Info): boolean {
  const expires = Number(info.Labels?.[LABEL.expires] ?? 0);
  return !expires || expires < Date.now();
}

/** Lab containers outlive workers by design: only their lifetime and idle key count. */
async function labReason(info: Info, opts: ReapOptions, keys: RedisKeys): Promise<string | undefined> {
  if (pastLifetime(info)) return 'past its lifetime';
  const young = info.Created * 1000 >= Date.now() - (opts.labGraceMs ?? LAB_REAP_GRACE_MS);
  if (!young && !(await opts.redis.exists(keys.labIdle(info.Id)))) return 'idle past its TTL';
  const learner = info.Labels?.[LABEL.learner];
  if (!young && opts.engine && learner) {
    const placed = await opts.engine.placedOn(learner);
    if (placed !== undefined && placed !== opts.engine.name) return `its learner lives on engine ${placed} now`;
  }
  return undefined;
}

async function sandboxReason(info: Info, opts: ReapOptions, keys: RedisKeys): Promise<string | undefined> {
  if (pastLifetime(info)) return 'past its lifetime';
  // A keeper (pool or session) idles forever; stopped, it was killed (an engine restart) and serves nobody.
  if (info.Labels?.[LABEL.kind] === 'pool' && (info.State === 'exited' || info.State === 'dead')) return 'its keeper stopped';
  // A one-shot removes itself (AutoRemove: "removing" is that, in progress); one left "dead" by an engine restart is ours to remove.
  if (info.Labels?.[LABEL.kind] === 'oneshot' && info.State === 'dead') return 'an engine restart left it dead';
  const { redis } = opts;
  if (await redis.exists(keys.claimed(info.Id))) {
    return (await redis.exists(keys.sessionContainer(info.Id))) ? undefined : 'its session went idle';
  }
  const worker = info.Labels?.[LABEL.worker] ?? '';
  if (worker !== opts.workerId && !(await redis.exists(keys.workerAlive(worker)))) return 'its worker is gone';
  return undefined;
}
