import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AskGaps, formatGapsReport, normalizeGapText } from '../../src/knowledge/gaps.js';
import { createRedis } from '../../src/store/redis.js';
import { assertServices, integrationGate, testConfig } from '../helpers/services.js';

const gate = await integrationGate();

describe('normalizeGapText', () => {
  it('counts "What is X?" and "what  is x ？" as one question', () => {
    expect(normalizeGapText('What is  eBPF？ ')).toBe('what is ebpf');
    expect(normalizeGapText('What is eBPF?')).toBe(normalizeGapText('what is ebpf'));
    expect([...normalizeGapText('x'.repeat(1000))]).toHaveLength(300);
  });
});

describe.runIf(gate.run)('unanswered questions and ratings in Redis', () => {
  const config = testConfig();
  let redis: Redis;
  let gaps: AskGaps;

  beforeAll(async () => {
    assertServices(gate.probe);
    redis = createRedis(config.REDIS_URL, 'producer');
    gaps = new AskGaps(redis, config.SENSEI_PREFIX);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${config.SENSEI_PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('counts questions no card answered, with who asked and when, most asked first', async () => {
    await gaps.recordUnanswered('What is eBPF?', 'en', 'alice', new Date('2026-11-30T10:00:00Z'));
    await gaps.recordUnanswered('what is ebpf', 'en', 'bob', new Date('2026-11-30T11:00:00Z'));
    await gaps.recordUnanswered('What is eBPF ?', 'en', 'bob', new Date('2026-11-30T12:00:00Z'));
    await gaps.recordUnanswered('Helmってなに', 'ja', 'alice', new Date('2026-11-30T09:00:00Z'));
    const top = await gaps.topGaps();
    expect(top).toEqual([
      { text: 'what is ebpf', lang: 'en', count: 3, learners: 2, lastSeen: new Date('2026-11-30T12:00:00Z') },
      { text: 'helmってなに', lang: 'ja', count: 1, learners: 1, lastSeen: new Date('2026-11-30T09:00:00Z') },
    ]);
    expect(await gaps.topGaps(1)).toHaveLength(1);
  });

  it('keeps one vote per learner and card (the latest), and lists the worst-rated cards', async () => {
    await gaps.rate('netns', 'alice', 'down');
    await gaps.rate('netns', 'bob', 'down');
    await gaps.rate('netns', 'carol', 'up');
    await gaps.rate('overlayfs', 'alice', 'down');
    await gaps.rate('overlayfs', 'alice', 'down');
    await gaps.rate('overlayfs', 'bob', 'up');
    await gaps.rate('overlayfs', 'carol', 'up');
    await gaps.rate('pid-1-in-container', 'alice', 'up');
    await gaps.rate('cgroup-v1-vs-v2', 'bob', 'down');
    await gaps.rate('cgroup-v1-vs-v2', 'bob', 'up');
    expect(await gaps.worstCards()).toEqual([
      { cardId: 'netns', up: 1, down: 2, score: 2 / 5 },
      { cardId: 'overlayfs', up: 2, down: 1, score: 3 / 5 },
    ]);
  });

  it('forgets a learner: their share of each count, their learner id, and their votes', async () => {
    await gaps.forgetLearner('bob');
    expect(await gaps.topGaps()).toEqual([
      { text: 'what is ebpf', lang: 'en', count: 1, learners: 1, lastSeen: new Date('2026-11-30T12:00:00Z') },
      { text: 'helmってなに', lang: 'ja', count: 1, learners: 1, lastSeen: new Date('2026-11-30T09:00:00Z') },
    ]);
    expect(await gaps.worstCards()).toEqual([
      { cardId: 'netns', up: 1, down: 1, score: 2 / 4 },
      { cardId: 'overlayfs', up: 1, down: 1, score: 2 / 4 },
    ]);
    await gaps.forgetLearner('alice');
    expect(await gaps.topGaps()).toEqual([]);
    expect(await gaps.worstCards()).toEqual([]);
    // Nothing of alice or bob is left under the prefix.
    const left = await redis.keys(`${config.SENSEI_PREFIX}:*`);
    expect(left.filter((k) => /alice|bob|gap:|gap-learners:/.test(k))).toEqual([]);
    await gaps.forgetLearner('nobody');
  });

  it('keeps at most maxGaps questions, dropping the least asked with its records', async () => {
    const prefix = `${config.SENSEI_PREFIX}-cap`;
    const small = new AskGaps(redis, prefix, { maxGaps: 3 });
    const at = (hour: number) => new Date(`2026-11-30T${String(hour).padStart(2, '0')}:00:00Z`);
    await small.recordUnanswered('asked twice', 'en', 'l1', at(8));
    await small.recordUnanswered('asked twice', 'en', 'l2', at(9));
    await small.recordUnanswered('asked once a', 'en', 'l1', at(10));
    await small.recordUnanswered('asked once b', 'en', 'l1', at(11));
    // Full: a new question pushes out the least asked, the longest unseen first ("once a"), never itself.
    for (const hour of [12, 13, 14]) await small.recordUnanswered('asked three times', 'en', 'l3', at(hour));
    const top = await small.topGaps();
    expect(top.map((g) => [g.text, g.count])).toEqual([['asked three times', 3], ['asked twice', 2], ['asked once b', 1]]);
    expect(await redis.keys(`${prefix}:ask:gap:*`)).toHaveLength(3);
    expect(await redis.keys(`${prefix}:ask:gap-learners:*`)).toHaveLength(3);
    // A learner whose question was dropped can still be forgotten without bringing it back.
    await small.forgetLearner('l1');
    expect((await small.topGaps()).map((g) => [g.text, g.count])).toEqual([['asked three times', 3], ['asked twice', 1]]);
    await redis.del(...(await redis.keys(`${prefix}:*`)));
  });

  it('prints a readable report', async () => {
    const text = formatGapsReport(
      [{ text: 'what is ebpf', lang: 'en', count: 3, learners: 2, lastSeen: new Date('2026-11-30T12:00:00Z') }],
      [{ cardId: 'netns', up: 1, down: 2, score: 0.4 }],
    );
    expect(text).toContain('   3×  [en] what is ebpf  (2 learners, last 2026-11-30 12:00)');
    expect(text).toMatch(/netns\s+1 \/ 2\s+score 0\.40/);
    expect(formatGapsReport([], [])).toContain('(none yet)');
  });
});
