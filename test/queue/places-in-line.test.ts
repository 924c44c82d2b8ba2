import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlacesInLine } from '../../src/queue/places-in-line.js';
import { assertServices, integrationGate, testConfig } from '../helpers/services.js';

const gate = await integrationGate();

describe.runIf(gate.run)('places in line', () => {
  let redis: Redis;
  const key = `${testConfig().SENSEI_PREFIX}:wait`;
  beforeAll(() => {
    assertServices(gate.probe);
    redis = new Redis(testConfig().REDIS_URL);
  });
  afterAll(async () => {
    await redis?.del(key);
    redis?.disconnect();
  });

  it('tells every waiting job its place from one reading of the wait list, and stops when asked', async () => {
    // Jobs are pushed on the left and taken from the right: c is next in line.
    await redis.lpush(key, 'c', 'b', 'a');
    let readings = 0;
    const lrange = redis.lrange.bind(redis);
    redis.lrange = ((...args: Parameters<typeof lrange>) => {
      readings += 1;
      return lrange(...args);
    }) as typeof redis.lrange;
    const places = new PlacesInLine(redis, key, 50);
    const seen: Record<string, number[]> = { a: [], b: [], c: [], gone: [] };
    const stops = await Promise.all(['a', 'b', 'c', 'gone'].map((id) => places.watch(id, (p) => seen[id]!.push(p))));
    expect(readings).toBe(1);
    expect(seen).toEqual({ a: [3], b: [2], c: [1], gone: [] });
    await redis.rpop(key);
    await new Promise((r) => setTimeout(r, 120));
    expect(seen.a!.at(-1)).toBe(2);
    for (const stop of stops) stop();
    const after = readings;
    await new Promise((r) => setTimeout(r, 150));
    expect(readings).toBe(after);
  });
});
