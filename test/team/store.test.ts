// Learning events kept in the real Redis: what the board, digest and export derive from them, privacy, and
// /forget leaving no trace of a learner anywhere under the team's keys.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import { loadCurriculum, type Curriculum } from '../../src/lessons/index.js';
import { exportCsv } from '../../src/team/render.js';
import { TeamService } from '../../src/team/service.js';
import { TeamStore } from '../../src/team/store.js';
import { dayLabel, localDay } from '../../src/team/time.js';
import { anonymousId, toCsv } from '../../src/team/views.js';
import type { LearningEvent } from '../../src/tutor/learning-events.js';
import { assertServices, integrationGate, testConfig } from '../helpers/services.js';

const gate = await integrationGate();
const GUILD = '111111111111111111';
const LESSON = 'container-is-a-process';
const NOW = Date.parse('2026-12-03T03:00:00Z'); // Thursday noon in Tokyo
const DAY = 86_400_000;

describe.runIf(gate.run)('team store on Redis', () => {
  let redis: Redis;
  let prefix: string;
  let curriculum: Curriculum;
  let team: TeamService;
  let now = NOW;

  const event = (learnerId: string, type: LearningEvent['type'], extra: Partial<LearningEvent> = {}): Promise<void> =>
    team.record({ type, learnerId, guildId: GUILD, lessonId: LESSON, hintsUsed: 0, at: now, ...extra });

  beforeAll(async () => {
    assertServices(gate.probe);
    const config = testConfig();
    prefix = config.SENSEI_PREFIX;
    redis = new Redis(config.REDIS_URL);
    curriculum = await loadCurriculum(LESSONS_DIR);
    team = new TeamService(new TeamStore(redis, prefix), curriculum, () => now);
    // alice: finished lesson 1 over three days in a row; bob: stuck on step 2; carol: started last month.
    for (const [offset, step] of [[2, 1], [1, 2], [0, 3]] as const) {
      now = NOW - offset * DAY;
      if (offset === 2) await event('alice', 'lesson-started', { step: 1 });
      await event('alice', 'step-passed', { step });
    }
    await event('alice', 'lesson-completed', { step: 3 });
    await event('bob', 'lesson-started', { step: 1 });
    await event('bob', 'step-passed', { step: 1 });
    await event('bob', 'hint-used', { step: 2, hintsUsed: 1 });
    await event('bob', 'stuck', { step: 2, detail: 'three-tries' });
    now = NOW - 40 * DAY;
    await event('carol', 'lesson-started', { step: 1 });
    now = NOW;
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('an admin’s change counts at once in another bot process: boards off, then on again', async () => {
    const other = new TeamService(new TeamStore(redis, prefix), curriculum, () => now);
    expect((await other.board(GUILD, { period: 'week', lang: 'en' })).ok).toBe(true);
    await team.store.setSettings(GUILD, { boards: 'off' });
    expect(await other.board(GUILD, { period: 'week', lang: 'en' })).toEqual({ ok: false, reason: 'boards-off' });
    await team.store.setSettings(GUILD, { boards: undefined });
    expect((await other.board(GUILD, { period: 'week', lang: 'en' })).ok).toBe(true);
  });

  it('keeps every event in the capped stream and a record per learner', async () => {
    const stream = await redis.xrange(`${prefix}:team:g:${GUILD}:events`, '-', '+');
    expect(stream).toHaveLength(10);
    expect(await team.streak(GUILD, 'alice')).toMatchObject({ days: 3, activeToday: true });
    expect(await team.streak(GUILD, 'bob')).toMatchObject({ days: 1, activeToday: true });
  });

  it('names on the board only those who chose /privacy show; the rest count in totals', async () => {
    const week = await team.board(GUILD, { period: 'week', lang: 'en' });
    if (!week.ok) throw new Error('board refused');
    expect(week.model).toMatchObject({ learners: 3, active: 2, members: [], finishers: { names: [], others: 1 }, streaks: [] });
    expect(week.model.lessons.find((l) => l.id === LESSON)).toMatchObject({ started: 2, finished: 1 });

    await team.setPrivacy(GUILD, 'alice', 'Alice <@123> **bold**');
    const shown = await team.board(GUILD, { period: 'week', lang: 'en' });
    if (!shown.ok) throw new Error('board refused');
    expect(shown.model.members).toEqual([{ name: 'Alice 123 bold', done: 1 }]);
    expect(shown.model.finishers).toEqual({ names: ['Alice 123 bold'], others: 0 });
    expect(shown.model.streaks).toEqual([{ name: 'Alice 123 bold', count: 3 }]);

    const all = await team.board(GUILD, { period: 'all', lang: 'en' });
    if (!all.ok) throw new Error('board refused');
    expect(all.model.lessons.find((l) => l.id === LESSON)).toMatchObject({ started: 3, finished: 1 });

    await team.setPrivacy(GUILD, 'alice', undefined);
    const hidden = await team.board(GUILD, { period: 'week', lang: 'en' });
    expect(hidden.ok && hidden.model.members).toEqual([]);
    await team.store.setSettings(GUILD, { boards: 'off' });
    expect(await team.board(GUILD, { period: 'week', lang: 'en' })).toEqual({ ok: false, reason: 'boards-off' });
    await team.store.setSettings(GUILD, { boards: 'on' });
  });

  it('digests the last seven full days: finishers, newcomers, where learners got stuck, what is next', async () => {
    now = NOW + DAY;
    const digest = await team.digest(GUILD, 'weekly', 'en');
    now = NOW;
    expect(digest).toMatchObject({ kind: 'weekly', from: '2026-11-27', to: '2026-12-03', finished: { count: 1 }, newcomers: { count: 2 }, learners: 3 });
    expect(digest.stuck).toEqual([{ lessonTitle: curriculum.get('en', LESSON)!.title, step: 2, stepTitle: curriculum.get('en', LESSON)!.steps[1]!.title, learners: 1 }]);
    expect(digest.nextUp).toMatchObject({ lessonId: LESSON, learners: 2 });
  });

  it('exports one row per learner, anonymous unless shown, and CSV a spreadsheet cannot misread', async () => {
    const result = await team.export(GUILD);
    if (!result.ok) throw new Error('export refused');
    const salt = await team.store.salt(GUILD);
    const bob = result.rows.find((r) => r.member === anonymousId(salt, 'bob'));
    expect(bob).toMatchObject({ lessonsDone: 0, currentLesson: LESSON, currentStep: 1, streak: 1, hintsUsed: 1, stuckOn: `${LESSON}#2`, lastActive: `${dayLabel(localDay(NOW, 'Asia/Tokyo'))} 12:00+09:00` });
    expect(result.rows.map((r) => r.member).join()).not.toMatch(/alice|bob|carol/);
    expect(anonymousId('another-server', 'bob')).not.toBe(anonymousId(salt, 'bob'));
    const csv = exportCsv(result.rows, 'en');
    expect(csv.split('\r\n')[0]).toBe('member,lessons_done,current_lesson,current_step,last_active,streak_days,hints_used,stuck_on');
    expect(toCsv(['a'], [['=cmd()'], ['x,"y"']])).toBe("a\r\n'=cmd()\r\n\"x,\"\"y\"\"\"\r\n");
  });

  it('forgets a learner everywhere: no key or value under the team’s keys mentions them, totals drop', async () => {
    await team.setPrivacy(GUILD, 'bob', 'Bob');
    await team.store.setReminder(GUILD, 'bob', true);
    await team.store.saveCohort(GUILD, { name: 'spring', lessons: [LESSON], deadline: '2026-12-31' });
    await team.store.joinCohort(GUILD, 'spring', 'bob', true);
    await team.store.saveDraft('bob', { guildId: GUILD, lessonId: LESSON, step: 2, command: 'ps' });
    await team.store.saveHelp(GUILD, { threadId: '222', askerId: 'bob', lessonId: LESSON, step: 2, status: 'open' });
    await team.store.claim(GUILD, 'remind:bob:123', 60);
    expect(await dump(redis, prefix)).toContain('bob');

    await team.forget('bob');
    const left = await dump(redis, prefix);
    expect(left).not.toContain('bob');
    expect(left).toContain('alice');
    const board = await team.board(GUILD, { period: 'all', lang: 'en' });
    expect(board.ok && board.model.learners).toBe(2);
    expect(board.ok && board.model.lessons.find((l) => l.id === LESSON)).toMatchObject({ started: 2, finished: 1 });
    expect((await redis.xrange(`${prefix}:team:g:${GUILD}:events`, '-', '+')).length).toBe(6);
  });
});

/** Every team key and its contents, as one string. */
async function dump(redis: Redis, prefix: string): Promise<string> {
  const parts: string[] = [];
  for (const key of await redis.keys(`${prefix}:team:*`)) {
    const type = await redis.type(key);
    const value =
      type === 'string' ? await redis.get(key)
      : type === 'hash' ? await redis.hgetall(key)
      : type === 'set' ? await redis.smembers(key)
      : type === 'zset' ? await redis.zrange(key, '0', '-1')
      : type === 'stream' ? await redis.xrange(key, '-', '+')
      : type;
    parts.push(`${key} ${JSON.stringify(value)}`);
  }
  return parts.join('\n');
}
