// One contract for every LearnerStore: the engine may use either and must not tell the difference.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLearnerStore } from '../../src/store/learner-store.js';
import { MemoryLearnerStore } from '../../src/store/memory-learner-store.js';
import { redisKeys } from '../../src/store/redis.js';
import { newLearnerState, type LearnerStore } from '../../src/tutor/state.js';
import { assertServices, integrationGate, testConfig } from '../helpers/services.js';

const init = () => newLearnerState('ja');

function contract(make: () => LearnerStore): void {
  it('has nothing for a learner it never saw', async () => {
    expect(await make().get('nobody')).toBeUndefined();
  });

  it('starts a learner from init, applies the change, and gives back what it saved', async () => {
    const store = make();
    const before = Date.now();
    const saved = await store.update('new-one', init, (s) => ({ ...s, lang: 'en', lessonId: 'container-is-a-process' }));
    expect(saved).toMatchObject({ v: 1, lang: 'en', lessonId: 'container-is-a-process', stepIndex: 0 });
    expect(saved.updatedAt).toBeGreaterThanOrEqual(before);
    expect(await store.get('new-one')).toEqual(saved);
    const next = await store.update('new-one', () => {
      throw new Error('init is only for a learner with no state');
    }, (s) => ({ ...s, stepIndex: s.stepIndex + 1 }));
    expect(next).toMatchObject({ lang: 'en', stepIndex: 1 });
  });

  it('loses no update when many change the same learner at once (compare-and-set)', async () => {
    const store = make();
    await Promise.all(Array.from({ length: 25 }, () => store.update('busy', init, (s) => ({ ...s, turn: s.turn + 1 }))));
    expect((await store.get('busy'))?.turn).toBe(25);
  });

  it('keeps learners apart', async () => {
    const store = make();
    await store.update('a', init, (s) => ({ ...s, attempts: 3 }));
    await store.update('b', init, (s) => ({ ...s, attempts: 5 }));
    expect((await store.get('a'))?.attempts).toBe(3);
    expect((await store.get('b'))?.attempts).toBe(5);
  });

  it('forgets a learner on delete, and starts them afresh afterwards', async () => {
    const store = make();
    await store.update('leaving', init, (s) => ({ ...s, completed: ['container-is-a-process'] }));
    await store.delete('leaving');
    expect(await store.get('leaving')).toBeUndefined();
    expect((await store.update('leaving', init, (s) => s)).completed).toEqual([]);
    await store.delete('never-there');
  });

  it('never hands out its own copy: changing a returned state changes nothing stored', async () => {
    const store = make();
    const saved = await store.update('copy', init, (s) => ({ ...s, completed: ['x'] }));
    saved.completed.push('y');
    (await store.get('copy'))?.completed.push('z');
    expect((await store.get('copy'))?.completed).toEqual(['x']);
  });
}

describe('the in-memory learner store', () => {
  contract(() => new MemoryLearnerStore());
});

const gate = await integrationGate();

describe.runIf(gate.run)('the Redis learner store (real Redis)', () => {
  const config = testConfig();
  const keys = redisKeys(config.SENSEI_PREFIX);
  let redis: Redis;
  let other: Redis;
  beforeAll(() => {
    assertServices(gate.probe);
    redis = new Redis(config.REDIS_URL);
    other = new Redis(config.REDIS_URL);
  });
  afterAll(async () => {
    const left = await redis?.keys(`${config.SENSEI_PREFIX}:*`);
    if (left?.length) await redis.del(...left);
    redis?.disconnect();
    other?.disconnect();
  });

  contract(() => new RedisLearnerStore(redis, config.SENSEI_PREFIX));

  it('loses no update between two processes (two connections) either', async () => {
    const a = new RedisLearnerStore(redis, config.SENSEI_PREFIX);
    const b = new RedisLearnerStore(other, config.SENSEI_PREFIX);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).update('two-procs', init, (s) => ({ ...s, turn: s.turn + 1 }))));
    expect((await a.get('two-procs'))?.turn).toBe(20);
  });

  it('keeps a state it cannot read aside instead of overwriting it', async () => {
    const store = new RedisLearnerStore(redis, config.SENSEI_PREFIX);
    const key = keys.learner('from-the-future');
    await redis.set(key, JSON.stringify({ v: 2, something: 'new' }));
    expect(await store.get('from-the-future')).toBeUndefined();
    const fresh = await store.update('from-the-future', init, (s) => s);
    expect(fresh.v).toBe(1);
    const aside = await redis.keys(`${key}:unreadable:*`);
    expect(aside).toHaveLength(1);
    expect(await redis.get(aside[0] as string)).toBe(JSON.stringify({ v: 2, something: 'new' }));
    expect(await redis.ttl(aside[0] as string)).toBeGreaterThan(29 * 24 * 3600);
  });
});
