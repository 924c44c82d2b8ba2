// The learner store in Redis: one JSON value per learner, changed by compare-and-set so that several
// bot processes never lose each other's updates.
import type { Redis } from 'ioredis';
import { parseLearnerState, type LearnerState, type LearnerStore } from '../tutor/state.js';
import { redisKeys, type RedisKeys } from './redis.js';

const SET_IF_UNCHANGED = `if (redis.call('get', KEYS[1]) or '') == ARGV[1] then redis.call('set', KEYS[1], ARGV[2]) return 1 else return 0 end`;

/** How long a stored state this version cannot read is kept aside, for a person to look at. */
const UNREADABLE_KEEP_SECONDS = 30 * 24 * 3600;

export class RedisLearnerStore implements LearnerStore {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
  }

  async get(learnerId: string): Promise<LearnerState | undefined> {
    return parseLearnerState(await this.redis.get(this.keys.learner(learnerId)));
  }

  async update(learnerId: string, init: () => LearnerState, change: (s: LearnerState) => LearnerState): Promise<LearnerState> {
    const key = this.keys.learner(learnerId);
    for (let attempt = 0; attempt < 50; attempt++) {
      const raw = await this.redis.get(key);
      const parsed = parseLearnerState(raw);
      // A stored state this version cannot read is kept aside, never silently overwritten.
      if (raw && !parsed) await this.redis.set(`${key}:unreadable:${Date.now()}`, raw, 'EX', UNREADABLE_KEEP_SECONDS);
      const next = { ...change(parsed ?? init()), updatedAt: Date.now() };
      // Compare-and-set: written only if nobody changed the value since we read it.
      const written = await this.redis.eval(SET_IF_UNCHANGED, 1, key, raw ?? '', JSON.stringify(next));
      if (written === 1) return next;
    }
    throw new Error(`could not save the learner state of ${learnerId} (too much contention)`);
  }

  async delete(learnerId: string): Promise<void> {
    await this.redis.del(this.keys.learner(learnerId));
  }
}
