// What decides, atomically in Redis, whether a learner's command may join the queue: the learner's
// burst allowance, the global bound on waiting commands, and room in Redis itself.
import type { Redis } from 'ioredis';

/**
 * A learner's claim on a new job, in one round trip (the path of every command), atomically:
 * 1. the job's waiter mark (KEYS[1], ARGV[2] ms), so a holder always has one;
 * 2. single flight: the learner's in-flight mark (KEYS[2]) for job ARGV[1], unless another job holds it;
 * 3. the bounded queue: a sorted set (KEYS[4]) of admitted, not yet started jobs, scored by when they were admitted.
 *    Entries older than ARGV[6] ms go first (a producer that died between admit and add); room while fewer than
 *    ARGV[5] wait. "Count the waiting jobs, then add" let 100 learners at once all in past a bound of 50; this cannot;
 * 4. the burst allowance: a token bucket per learner (KEYS[3]), ARGV[3] ms per token (0: none), ARGV[4] at most.
 * Returns {1, 0} claimed and admitted; {0, 0} held by another job (the waiter mark stays: the caller may take over
 * a holder whose producer died, or deletes it); {2, ms until the next token} and {3, 0} (queue full) undo 1 and 2.
 * Redis's own clock, so every process agrees.
 */
export const CLAIM_JOB = `
redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
if not redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return {0, 0} end
local now_t = redis.call('TIME')
local now = tonumber(now_t[1]) * 1000 + math.floor(tonumber(now_t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - tonumber(ARGV[6]))
if redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[5]) then
  redis.call('DEL', KEYS[1], KEYS[2])
  return {3, 0}
end
local interval = tonumber(ARGV[3])
if interval > 0 then
  local burst = tonumber(ARGV[4])
  local b = redis.call('HMGET', KEYS[3], 't', 'n')
  local t = tonumber(b[1])
  local n = tonumber(b[2])
  if n == nil or t == nil then n = burst; t = now end
  local refill = math.floor((now - t) / interval)
  if refill > 0 then n = math.min(burst, n + refill); t = t + refill * interval end
  if n >= burst then t = now end
  if n < 1 then
    redis.call('DEL', KEYS[1], KEYS[2])
    return {2, interval - (now - t)}
  end
  redis.call('HSET', KEYS[3], 't', t, 'n', n - 1)
  redis.call('PEXPIRE', KEYS[3], interval * burst + 1000)
end
redis.call('ZADD', KEYS[4], now, ARGV[1])
return {1, 0}
`;

/** Redis refuses writes past maxmemory with this error (noeviction); the app refuses kindly before it. */
export function isRedisOutOfMemory(err: unknown): boolean {
  return /\bOOM\b.*maxmemory/i.test((err as Error | null)?.message ?? '');
}

/** Share of maxmemory past which new commands are refused, so the ones already queued can still finish. */
export const MEMORY_REFUSE_RATIO = 0.9;
const MEMORY_CHECK_EVERY_MS = 1_000;

/**
 * How full Redis is, from INFO memory: read once when first asked, then every second by a timer, off every
 * command's path (INFO was the slowest call on a submit's way). A reading is at most about a second old, and the
 * 90% threshold leaves room for a second's worth of commands.
 */
export class RedisMemoryGauge {
  private last: { used: number; max: number } | undefined;
  private first: Promise<unknown> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly redis: Redis) {}

  async read(): Promise<{ used: number; max: number } | undefined> {
    if (!this.first) {
      this.first = this.refresh();
      this.timer ??= setInterval(() => void this.refresh().catch(() => {}), MEMORY_CHECK_EVERY_MS).unref();
      // A first reading that failed is taken again next time (the claim meets a Redis that is down anyway).
      this.first.catch(() => (this.first = undefined));
    }
    await this.first;
    return this.last;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async refresh(): Promise<void> {
    this.last = parseMemoryInfo(await this.redis.info('memory'));
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
