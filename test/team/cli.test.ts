// `sensei team report`: the export's rows in the terminal, as an aligned table or CSV, on the real Redis.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandTeam } from '../../src/team/cli.js';
import { TeamStore } from '../../src/team/store.js';
import { assertServices, integrationGate, testConfig } from '../helpers/services.js';

const gate = await integrationGate();
const GUILD = '333333333333333333';

function sink(): { stream: NodeJS.WritableStream; text: () => string } {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

describe.runIf(gate.run)('sensei team report', () => {
  const config = testConfig();
  let redis: Redis;

  beforeAll(async () => {
    assertServices(gate.probe);
    redis = new Redis(config.REDIS_URL);
    const store = new TeamStore(redis, config.SENSEI_PREFIX);
    const at = Date.parse('2026-12-01T01:00:00Z');
    await store.record({ type: 'lesson-started', learnerId: 'discord-1', guildId: GUILD, lessonId: 'overlayfs', step: 1, hintsUsed: 0, at });
    await store.record({ type: 'lesson-started', learnerId: 'discord-2', guildId: GUILD, lessonId: 'container-is-a-process', step: 1, hintsUsed: 0, at });
    await store.setVisible(GUILD, 'discord-1', '山田');
  });

  afterAll(async () => {
    const keys = await redis.keys(`${config.SENSEI_PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('prints a table whose columns line up, wide characters counted twice', async () => {
    const out = sink();
    expect(await commandTeam(config, ['report', '--guild', GUILD], out.stream)).toBe(0);
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^member\s+lessons_done\s+current_lesson/);
    const yamada = lines.find((l) => l.startsWith('山田'))!;
    const anon = lines.find((l) => l.startsWith('anon-'))!;
    // "山田" takes 4 columns on a terminal: the second column starts at the same place in every row.
    const secondColumn = (line: string) => [.../^\S+\s+/.exec(line)![0]].reduce((w, ch) => w + (/[\u3000-\u9fff]/.test(ch) ? 2 : 1), 0);
    expect(secondColumn(yamada)).toBe(lines[0]!.indexOf('lessons_done'));
    expect(secondColumn(anon)).toBe(lines[0]!.indexOf('lessons_done'));
    expect(lines.join('\n')).toContain('2026-12-01 10:00');
  });

  it('prints CSV with --csv, and says clearly what is wrong otherwise', async () => {
    const out = sink();
    expect(await commandTeam(config, ['report', '--guild', GUILD, '--csv', '--lang', 'ja'], out.stream)).toBe(0);
    expect(out.text().split('\r\n')[0]).toBe('メンバー,修了レッスン数,今のレッスン,今のステップ,最終活動,連続日数,ヒント回数,つまずいたステップ');
    const err = sink();
    expect(await commandTeam(config, ['report'], sink().stream, err.stream)).toBe(2);
    expect(err.text()).toContain('--guild ID');
    const empty = sink();
    expect(await commandTeam(config, ['report', '--guild', '999'], sink().stream, empty.stream)).toBe(0);
    expect(empty.text()).toContain('No learners recorded for server 999');
    const cohort = sink();
    expect(await commandTeam(config, ['report', '--guild', GUILD, '--cohort', 'nope'], sink().stream, cohort.stream)).toBe(1);
    expect(cohort.text()).toContain('no cohort called “nope”');
  });
});
