import { Redis } from 'ioredis';
import type { Logger } from '../log.js';

/**
 * Workers block on Redis and must never give up a command (maxRetriesPerRequest: null);
 * producers fail fast so a learner hears about an outage instead of waiting forever.
 */
export function createRedis(url: string, role: 'worker' | 'producer', log?: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 2,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
    lazyConnect: false,
  });
  // ioredis reconnects by itself; without a listener each failed attempt is printed as "unhandled".
  let last = 0;
  redis.on('error', (err: Error) => {
    if (Date.now() - last < 10_000) return;
    last = Date.now();
    log?.warn(`Redis at ${url}: ${err.message}`);
  });
  return redis;
}

/** Resolves when Redis answers PING, or rejects with a clear message after `timeoutMs`. */
export async function pingRedis(redis: Redis, url: string, timeoutMs = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer')), timeoutMs);
  });
  try {
    await Promise.race([redis.ping(), deadline]);
  } catch (err) {
    throw new Error(`Redis at ${url} does not answer (${(err as Error).message}). Start it (scripts/services.sh starts a local one), or set REDIS_URL.`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The Redis keys of the queue, the sandbox, the lab and the learner store, in one place. (BullMQ keeps its
 * own under `<prefix>:commands:`, and the Discord adapter its own under `<prefix>:discord:`.)
 */
/** Every key matching a pattern, by SCAN (never KEYS, which blocks Redis on a big keyspace). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

export function redisKeys(prefix: string) {
  return {
    learner: (learnerId: string) => `${prefix}:learner:${learnerId}`,
    /** Expires when a lab container has been idle too long; the reaper then removes it. */
    labIdle: (containerId: string) => `${prefix}:lab-idle:${containerId}`,
    workerAlive: (workerId: string) => `${prefix}:worker:${workerId}`,
    session: (learnerId: string) => `${prefix}:session:${learnerId}`,
    sessionContainer: (containerId: string) => `${prefix}:session-container:${containerId}`,
    /** Set while the clean-up after a session's last command may still be running (another worker may own it). */
    sessionCleanup: (sessionId: string) => `${prefix}:session-cleanup:${sessionId}`,
    claimed: (containerId: string) => `${prefix}:claimed:${containerId}`,
    inflight: (learnerId: string) => `${prefix}:inflight:${learnerId}`,
    liveSessions: () => `${prefix}:live-sessions`,
    cooldown: (learnerId: string) => `${prefix}:cooldown:${learnerId}`,
    /** Engines: what each worker last said about its engine (hash), and when (sorted set, ms). */
    engines: () => `${prefix}:engines`,
    engineBeats: () => `${prefix}:engine-beats`,
    /** The engine a learner's session and lab live on (expires when they go idle). */
    placement: (learnerId: string) => `${prefix}:placement:${learnerId}`,
    /** The learners placed on an engine, scored by when their placement expires. */
    engineLearners: (engine: string) => `${prefix}:engine-learners:${engine}`,
    /** Jobs admitted to the queue and not started yet (the bounded queue), a sorted set. */
    admitted: () => `${prefix}:admitted`,
    /** Set while a producer waits for a job's answer; a worker skips a job nobody waits for. */
    waiter: (jobId: string) => `${prefix}:waiter:${jobId}`,
    /** The container a job's command runs in, so a re-run after a dead worker first removes it. */
    jobContainer: (jobId: string) => `${prefix}:job-container:${jobId}`,
    /** What the lab did to a learner's containers while they were away (a CPU budget spent), told on their next lab command. */
    labNotices: (learnerId: string) => `${prefix}:lab-notices:${learnerId}`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;

/** BullMQ loses jobs when Redis evicts keys; say so loudly when the policy is not noeviction. */
export async function warnUnlessNoEviction(redis: Redis, log: Logger): Promise<string | undefined> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1];
    if (policy && policy !== 'noeviction') {
      log.warn(`Redis maxmemory-policy is "${policy}"; queued jobs can be evicted. Set it to noeviction (redis-cli CONFIG SET maxmemory-policy noeviction).`);
    }
    return policy;
  } catch {
    log.warn('could not read Redis maxmemory-policy (CONFIG may be disabled); make sure it is noeviction');
    return undefined;
  }
}

/**
 * Waits for `work` at most `ms`: a Redis or BullMQ call that would hang while Redis is down must not hang
 * a shutdown. Resolves to the value, 'failed', or 'timeout' (the work is left to finish or fail on its own).
 */
export async function settleWithin<T>(work: Promise<T>, ms: number): Promise<T | 'failed' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([work.catch(() => 'failed' as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Deletes a key only while it still holds the value we set (a released lock must not free another's). */
export const DEL_IF_EQUALS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Reserves a place among at most ARGV[2] live sessions (a sorted set scored by when each goes idle):
 * expired places are dropped first; a session that already holds a place keeps it.
 */
export const RESERVE_SESSION = `
redis.call('zremrangebyscore', KEYS[1], '-inf', ARGV[1])
if redis.call('zscore', KEYS[1], ARGV[3]) then
  redis.call('zadd', KEYS[1], ARGV[4], ARGV[3])
  return 1
end
if redis.call('zcard', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('zadd', KEYS[1], ARGV[4], ARGV[3])
return 1`;
