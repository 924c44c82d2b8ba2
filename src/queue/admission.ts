// What decides, atomically in Redis, whether a learner's command may join the queue: the learner's
// burst allowance, the global bound on waiting commands, and room in Redis itself.
import type { Redis } from 'ioredis';

/**
 * A token bucket per learner: ARGV[1] ms per token, ARGV[2] tokens at most. Returns {1, 0} when a token was
 * taken, else {0, ms until the next one}. Redis's own clock, so every process agrees.
 */
export const TAKE_TOKEN = `
local now_t = redis.call('TIME')
local now = tonumber(now_t[1]) * 1000 + math.floor(tonumber(now_t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 't', 'n')
local t = tonumber(b[1])
local n = tonumber(b[2])
if n == nil or t == nil then n = burst; t = now end
local refill = math.floor((now - t) / interval)
if refill > 0 then n = math.min(burst, n + refill); t = t + refill * interval end
if n >= burst then t = now end
if n < 1 then return {0, interval - (now - t)} end
redis.call('HSET', KEYS[1], 't', t, 'n', n - 1)
redis.call('PEXPIRE', KEYS[1], interval * burst + 1000)
return {1, 0}
`;

/**
 * The bounded queue, in one step: a sorted set of admitted, not yet started jobs (scored by when they were
 * admitted). Entries older than ARGV[2] ms are dropped first (a producer that died between admit and add);
 * then the job ARGV[3] is admitted when fewer than ARGV[1] wait. Returns 1 when admitted, 0 when full.
 * "Count the waiting jobs, then add" let 100 learners at once all in past a bound of 50; this cannot.
 */
export const ADMIT_JOB = `
local now_t = redis.call('TIME')
local now = tonumber(now_t[1]) * 1000 + math.floor(tonumber(now_t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[3])
return 1
`;

/** Redis refuses writes past maxmemory with this error (noeviction); the app refuses kindly before it. */
export function isRedisOutOfMemory(err: unknown): boolean {
  return /\bOOM\b.*maxmemory/i.test((err as Error | null)?.message ?? '');
}

/** Share of maxmemory past which new commands are refused, so the ones already queued can still finish. */
export const MEMORY_REFUSE_RATIO = 0.9;
const MEMORY_CHECK_EVERY_MS = 1_000;

/** How full Redis is, read from INFO memory at most once a second; `undefined` when it has no maxmemory. */
export class RedisMemoryGauge {
  private checkedAt = 0;
  private last: { used: number; max: number } | undefined;

  constructor(private readonly redis: Redis) {}

  async read(): Promise<{ used: number; max: number } | undefined> {
    if (Date.now() - this.checkedAt < MEMORY_CHECK_EVERY_MS) return this.last;
    this.checkedAt = Date.now();
    this.last = parseMemoryInfo(await this.redis.info('memory'));
    return this.last;
  }

  /** Whether Redis is too full to take another command. */
  async nearlyFull(): Promise<boolean> {
    const memory = await this.read();
    return memory !== undefined && memory.used >= memory.max * MEMORY_REFUSE_RATIO;
  }
}

/** used_memory and maxmemory from `INFO memory`; undefined when maxmemory is 0 (no limit). */
export function parseMemoryInfo(info: string): { used: number; max: number } | undefined {
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  const max = field('maxmemory');
  return max > 0 ? { used: field('used_memory'), max } : undefined;
}
