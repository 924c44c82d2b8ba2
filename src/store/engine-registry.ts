// The Docker engines workers serve, and which engine each learner's session and lab live on, in Redis.
// Workers beat for their engine; producers place learners; one watcher declares a silent engine dead and
// takes its learners off it, atomically, so exactly one process tells them.
import type { Redis } from 'ioredis';
import { redisKeys, type RedisKeys } from './redis.js';

export type EngineLabels = Record<string, string>;

/** What a worker says about its engine at each beat. */
export interface EngineBeat {
  name: string;
  labels: EngineLabels;
  /** Learners this engine takes at most. */
  capacity: number;
  /** This app's containers on it, when the worker counted them. */
  containers: number;
  version: string;
}

export interface EngineStatus extends EngineBeat {
  beatAt: number;
  /** Learners placed on it now. */
  learners: number;
}

/** "cgroup=2,zone=tokyo" → { cgroup: '2', zone: 'tokyo' }; empty or missing gives {}. */
export function parseEngineLabels(text: string | undefined): EngineLabels {
  const labels: EngineLabels = {};
  for (const pair of (text ?? '').split(',')) {
    const [key, ...rest] = pair.split('=');
    if (key?.trim() && rest.length > 0) labels[key.trim()] = rest.join('=').trim();
  }
  return labels;
}

/**
 * Keeps a learner on their registered engine, or places them where a new learner goes: among engines with
 * room, those with every preferred label first, then the most free room as a share of capacity (a big engine
 * takes more), then the name. Counted inside the script, so learners arriving together spread out. ARGV: learner, expires (ms), ttl (ms), learners-key prefix, now, then
 * (engine, capacity, preferred 0/1) per candidate. Returns the engine, or false when none has room.
 */
const PLACE = `
local current = redis.call('GET', KEYS[1])
local engine = false
if current and redis.call('ZSCORE', KEYS[2], current) then engine = current end
if not engine then
  local best, bestPreferred, bestFree = false, -1, -1
  for i = 6, #ARGV, 3 do
    local name, capacity, preferred = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
    local count = redis.call('ZCOUNT', ARGV[4] .. name, ARGV[5], '+inf')
    if count < capacity then
      local free = (capacity - count) / capacity
      if preferred > bestPreferred or (preferred == bestPreferred and (free > bestFree or (free == bestFree and name < best))) then
        best, bestPreferred, bestFree = name, preferred, free
      end
    end
  end
  engine = best
end
if not engine then return false end
redis.call('SET', KEYS[1], engine, 'PX', ARGV[3])
redis.call('ZREMRANGEBYSCORE', ARGV[4] .. engine, '-inf', ARGV[5])
redis.call('ZADD', ARGV[4] .. engine, ARGV[2], ARGV[1])
return engine`;

/**
 * Declares an engine dead when its last beat is no newer than ARGV[2]: it leaves the registry, and its learners
 * lose their placement. Returns them, or false when the engine beat again (or another watcher was first).
 */
const DECLARE_DEAD = `
local beat = redis.call('ZSCORE', KEYS[1], ARGV[1])
if beat == false or tonumber(beat) > tonumber(ARGV[2]) then return false end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
local learners = redis.call('ZRANGEBYSCORE', KEYS[3], ARGV[3], '+inf')
for _, learner in ipairs(learners) do
  local key = ARGV[4] .. learner
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
redis.call('DEL', KEYS[3])
return learners`;

export class NoEngineError extends Error {
  override name = 'NoEngineError';
}

export class EngineRegistry {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    /** How long a placement lasts without a job (the lab's and the session's idle time). */
    private readonly placementTtlMs: number,
  ) {
    this.keys = redisKeys(prefix);
  }

  async beat(info: EngineBeat, at = Date.now()): Promise<void> {
    await this.redis.multi().zadd(this.keys.engineBeats(), at, info.name).hset(this.keys.engines(), info.name, JSON.stringify(info)).exec();
  }

  /** Every registered engine (not declared dead), with its last beat and its learners now. */
  async engines(now = Date.now()): Promise<EngineStatus[]> {
    const registered = await this.registered();
    const m = this.redis.multi();
    for (const e of registered) m.zcount(this.keys.engineLearners(e.name), now, '+inf');
    const counts = registered.length > 0 ? ((await m.exec()) ?? []) : [];
    return registered.map((e, i) => ({ ...e, learners: Number(counts[i]?.[1] ?? 0) }));
  }

  /** Every registered engine with its last beat, in one round trip; placement needs no learner counts (PLACE counts). */
  private async registered(): Promise<(EngineBeat & { beatAt: number })[]> {
    const [[, beats], [, infos]] = ((await this.redis.multi().zrange(this.keys.engineBeats(), '0', '-1', 'WITHSCORES').hgetall(this.keys.engines()).exec()) ?? [
      [null, []],
      [null, {}],
    ]) as [[unknown, string[]], [unknown, Record<string, string>]];
    const out: (EngineBeat & { beatAt: number })[] = [];
    for (let i = 0; i + 1 < beats.length; i += 2) {
      const name = beats[i]!;
      const raw = infos[name];
      if (raw) out.push({ ...(JSON.parse(raw) as EngineBeat), name, beatAt: Number(beats[i + 1]) });
    }
    return out;
  }

  /** Whether the engine is in the registry (not declared dead); a late beat alone does not unregister it. */
  async isRegistered(engine: string): Promise<boolean> {
    return (await this.redis.zscore(this.keys.engineBeats(), engine)) !== null;
  }

  /** The engine the learner was last placed on, registered or not (the reaper's question: do they live elsewhere now?). */
  async placedOn(learnerId: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.placement(learnerId))) ?? undefined;
  }

  /** The engine the learner's session and lab live on, if they have one that is still registered. */
  async placementOf(learnerId: string): Promise<string | undefined> {
    const engine = await this.redis.get(this.keys.placement(learnerId));
    if (!engine) return undefined;
    return (await this.redis.zscore(this.keys.engineBeats(), engine)) === null ? undefined : engine;
  }

  /**
   * The learner's engine: their placement while that engine is registered, else a new one chosen (see
   * PLACE) among engines that beat within `aliveMs`. Either way the placement is refreshed. `after`: placed only
   * once it resolves (the engines are read meanwhile, saving a round trip); if it rejects, nothing is placed.
   */
  async place(learnerId: string, opts: { aliveMs: number; prefer?: EngineLabels; after?: Promise<unknown> }): Promise<string> {
    const now = Date.now();
    const prefer = Object.entries(opts.prefer ?? {});
    const [registered] = await Promise.all([this.registered(), opts.after]);
    const alive = registered.filter((e) => e.beatAt >= now - opts.aliveMs);
    const candidates = alive.flatMap((e) => [e.name, String(e.capacity), prefer.every(([k, v]) => e.labels[k] === v) ? '1' : '0']);
    const k = this.keys;
    const engine = (await this.redis.eval(PLACE, 2, k.placement(learnerId), k.engineBeats(), learnerId, now + this.placementTtlMs, this.placementTtlMs, k.engineLearners(''), now, ...candidates)) as
      | string
      | null;
    if (!engine) throw new NoEngineError(alive.length === 0 ? 'no Docker engine is being served by a worker' : 'every Docker engine is full');
    return engine;
  }

  /** Takes the learner off their engine (they asked to be forgotten). */
  async unplace(learnerId: string): Promise<void> {
    const engine = await this.redis.get(this.keys.placement(learnerId));
    const m = this.redis.multi().del(this.keys.placement(learnerId));
    if (engine) m.zrem(this.keys.engineLearners(engine), learnerId);
    await m.exec();
  }

  async learnersOf(engine: string, now = Date.now()): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.engineLearners(engine), now, '+inf');
  }

  /** Engines whose last beat is older than `cutoff` (ms since the epoch). */
  async silentSince(cutoff: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.engineBeats(), '-inf', cutoff);
  }

  /** See DECLARE_DEAD: the learners who lost their lab with the engine, or undefined if it was not (or no longer) silent. */
  async declareDead(engine: string, cutoff: number, now = Date.now()): Promise<string[] | undefined> {
    const k = this.keys;
    const learners = (await this.redis.eval(DECLARE_DEAD, 3, k.engineBeats(), k.engines(), k.engineLearners(engine), engine, cutoff, now, k.placement(''))) as
      | string[]
      | null;
    return learners ?? undefined;
  }
}
