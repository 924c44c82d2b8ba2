// The engine registry: choosing an engine (pure), and placements, beats and death in real Redis.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineReport } from '../../src/engine-report.js';
import { EngineRegistry, NoEngineError, parseEngineLabels, type EngineStatus } from '../../src/store/engine-registry.js';
import { assertServices, integrationGate, testConfig } from '../helpers/services.js';

const engine = (name: string, learners: number, capacity = 10, labels: Record<string, string> = { cgroup: '1' }): EngineStatus => ({
  name,
  learners,
  capacity,
  labels,
  containers: 0,
  version: '20.10',
  beatAt: 0,
});

describe('engine labels and the doctor’s report', () => {
  it('reads labels as k=v pairs', () => {
    expect(parseEngineLabels('cgroup=2, zone=tokyo,bad,=x')).toEqual({ cgroup: '2', zone: 'tokyo' });
    expect(parseEngineLabels(undefined)).toEqual({});
  });

  it('reports engines for the doctor, silent ones as warnings, a few learners by name', () => {
    const now = 100_000;
    const lines = engineReport(
      [{ ...engine('b', 0), beatAt: now - 40_000 }, { ...engine('a', 12), beatAt: now - 1_000 }],
      new Map([['a', Array.from({ length: 12 }, (_, i) => `learner-${i}`)]]),
      now,
      15_000,
    );
    expect(lines.map((l) => l.level)).toEqual(['ok', 'ok', 'WARN']);
    expect(lines[0]?.text).toMatch(/^engine a: alive \(beat 1 s ago\), cgroup=1, learners 12\/10/);
    expect(lines[1]?.text).toContain('learner-9 (+2 more)');
    expect(lines[2]?.text).toMatch(/^engine b: SILENT for 40 s/);
    expect(engineReport([], new Map(), now, 15_000)[0]?.level).toBe('WARN');
  });
});

const gate = await integrationGate();

describe.runIf(gate.run)('the engine registry in Redis', () => {
  const config = testConfig();
  let redis: Redis;
  let registry: EngineRegistry;
  const beat = (name: string, at = Date.now(), capacity = 10) =>
    registry.beat({ name, labels: { cgroup: '1' }, capacity, containers: 0, version: 'test' }, at);

  beforeAll(() => {
    assertServices(gate.probe);
    redis = new Redis(config.REDIS_URL);
    registry = new EngineRegistry(redis, config.SENSEI_PREFIX, 60_000);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${config.SENSEI_PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('places learners where there is room and keeps them there', async () => {
    await expect(registry.place('nobody-yet', { aliveMs: 10_000 })).rejects.toThrow(NoEngineError);
    await beat('e1');
    await beat('e2');
    const placed = await Promise.all(Array.from({ length: 6 }, (_, i) => registry.place(`p-${i}`, { aliveMs: 10_000 })));
    expect(placed.filter((e) => e === 'e1').length).toBeGreaterThanOrEqual(2);
    expect(placed.filter((e) => e === 'e2').length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 6; i++) expect(await registry.place(`p-${i}`, { aliveMs: 10_000 })).toBe(placed[i]);
    const engines = await registry.engines();
    expect(engines.reduce((n, e) => n + e.learners, 0)).toBe(6);
  });

  it('places a new learner by preferred labels first, then by free room as a share of capacity', async () => {
    const fresh = new EngineRegistry(redis, `${config.SENSEI_PREFIX}-order`, 60_000);
    const at = Date.now();
    await fresh.beat({ name: 'small', labels: { cgroup: '1' }, capacity: 4, containers: 0, version: 't' }, at);
    await fresh.beat({ name: 'big', labels: { cgroup: '2' }, capacity: 100, containers: 0, version: 't' }, at);
    // Both empty: a tie, broken by name (big). Then free room as a share: small 4/4 beats big 99/100; then big 99/100 beats small 3/4.
    const first = [];
    for (const l of ['o1', 'o2', 'o3']) first.push(await fresh.place(l, { aliveMs: 10_000 }));
    expect(first).toEqual(['big', 'small', 'big']);
    // Preferring cgroup=1 sends the next ones to small until it is full (4), then to big.
    const preferred = [];
    for (const l of ['o4', 'o5', 'o6', 'o7', 'o8']) preferred.push(await fresh.place(l, { aliveMs: 10_000, prefer: { cgroup: '1' } }));
    expect(preferred).toEqual(['small', 'small', 'small', 'big', 'big']);
    // A beat older than aliveMs takes an engine out of the choice (but not a learner already on it).
    await fresh.beat({ name: 'big', labels: { cgroup: '2' }, capacity: 100, containers: 0, version: 't' }, at - 60_000);
    await expect(fresh.place('o9', { aliveMs: 10_000 })).rejects.toThrow(/full/);
    expect(await fresh.place('o1', { aliveMs: 10_000 })).toBe('big');
  });

  it('declares a silent engine dead once, hands back its learners, and places them anew', async () => {
    await beat('e1', Date.now() - 60_000);
    const onE1 = await registry.learnersOf('e1');
    expect(onE1.length).toBeGreaterThan(0);
    const cutoff = Date.now() - 30_000;
    expect(await registry.silentSince(cutoff)).toEqual(['e1']);
    const [first, second] = await Promise.all([registry.declareDead('e1', cutoff), registry.declareDead('e1', cutoff)]);
    // Exactly one of two watchers gets the learners.
    expect([first, second].filter((x) => x !== undefined)).toEqual([expect.arrayContaining(onE1)]);
    expect(await registry.isRegistered('e1')).toBe(false);
    for (const learner of onE1) {
      expect(await registry.placementOf(learner)).toBeUndefined();
      expect(await registry.place(learner, { aliveMs: 10_000 })).toBe('e2');
    }
    // An engine that beats again is not declared dead.
    await beat('e2');
    expect(await registry.declareDead('e2', cutoff)).toBeUndefined();
  });
});
