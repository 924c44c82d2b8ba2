// What the shared machine holds right now, for admins (`sensei doctor`): the lab's containers and their promised
// memory and CPUs against the engine's capacity, live sessions, waiting commands, and Redis against its maxmemory.
import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { capacityLimitsOf, LabCapacity, type LabUsage } from '../lab/capacity.js';
import { parseMemoryInfo } from '../queue/admission.js';
import { redisKeys } from '../store/redis.js';

export interface CurrentUse {
  lab?: LabUsage;
  sessions: number;
  waiting: number;
  memory?: { used: number; max: number };
}

export async function currentUse(config: Config, redis: Redis, docker?: Docker): Promise<CurrentUse> {
  const keys = redisKeys(config.SENSEI_PREFIX);
  const now = Date.now();
  const [sessions, waiting, info] = await Promise.all([
    redis.zcount(keys.liveSessions(), now, '+inf'),
    redis.zcard(keys.admitted()),
    redis.info('memory'),
  ]);
  const lab = docker
    ? await new LabCapacity(docker, config.SENSEI_PREFIX, capacityLimitsOf(config)).usage()
    : undefined;
  const memory = parseMemoryInfo(info);
  return { sessions, waiting, ...(lab ? { lab } : {}), ...(memory ? { memory } : {}) };
}
