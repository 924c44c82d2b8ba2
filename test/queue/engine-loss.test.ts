// The producer hears that an engine was lost with one registry check per lane, however many jobs wait on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { placementTtlMs } from '../../src/config.js';
import { EngineLossWatch } from '../../src/queue/lanes.js';
import { EngineRegistry } from '../../src/store/engine-registry.js';
import { createRedis } from '../../src/store/redis.js';
import { assertServices, integrationGate, testConfig } from '../helpers/services.js';

const gate = await integrationGate();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The real registry, counting how often it is asked. */
class CountingRegistry extends EngineRegistry {
  checks = 0;
  override async isRegistered(engine: string): Promise<boolean> {
    this.checks += 1;
    return super.isRegistered(engine);
  }
}

describe.runIf(gate.run)('the engine-loss watch of a lane', () => {
  const config = testConfig();
  let redis: Redis;
  let registry: CountingRegistry;
  beforeAll(async () => {
    assertServices(gate.probe);
    redis = createRedis(config.REDIS_URL, 'producer');
    registry = new CountingRegistry(redis, config.SENSEI_PREFIX, placementTtlMs(config));
    await registry.beat({ name: 'e1', labels: {}, capacity: 10, containers: 0, version: 'test' });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${config.SENSEI_PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('checks once per interval for all waiting jobs, tells each of them, and stops when nobody waits', async () => {
    const watch = new EngineLossWatch(registry, 'e1', 100);
    const waits = Array.from({ length: 20 }, () => watch.wait());
    await sleep(350);
    // 20 jobs over about three intervals: a handful of checks, not 60.
    expect(registry.checks).toBeGreaterThanOrEqual(1);
    expect(registry.checks).toBeLessThanOrEqual(4);
    expect(waits.some((w) => w.happened())).toBe(false);

    expect(await registry.declareDead('e1', Date.now() + 1)).toBeDefined();
    const answers = await Promise.all(waits.map((w) => w.answer));
    expect(answers.every((a) => !a.ok && /e1 was lost/.test(a.reason))).toBe(true);
    expect(waits.every((w) => w.happened())).toBe(true);

    // Nobody waits any more: no more checks.
    for (const w of waits) w.stop();
    const after = registry.checks;
    await sleep(300);
    expect(registry.checks).toBe(after);
  });

  it('stops checking when its last job stops waiting', async () => {
    await registry.beat({ name: 'e2', labels: {}, capacity: 10, containers: 0, version: 'test' });
    const watch = new EngineLossWatch(registry, 'e2', 50);
    const before = registry.checks;
    const one = watch.wait();
    const two = watch.wait();
    await sleep(130);
    one.stop();
    await sleep(120);
    expect(registry.checks).toBeGreaterThan(before);
    two.stop();
    const after = registry.checks;
    await sleep(200);
    expect(registry.checks).toBe(after);
    expect(one.happened() || two.happened()).toBe(false);
    watch.close();
  });
});
