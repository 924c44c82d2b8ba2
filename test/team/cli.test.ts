// `sensei team report`: the export's rows in the terminal, as an aligned table or CSV, on the real Redis.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandTeam } from '../../src/team/cli.js';
import { TeamStore } from '../../src/team/store.js';
import { assertServices, integrationGate, testConfig } from '../helpers/services.js';

const gate = await integrationGate();
const GUILD = '333333333333333333';
const BIG_GUILD = '444444444444444444';
const BIN = fileURLToPath(new URL('../../bin/sensei.js', import.meta.url));

function sink(): { stream: NodeJS.WritableStream; text: () => string } {
  let text = '';
  const write = (s: string, done?: (error?: Error | null) => void) => {
    text += s;
    done?.();
    return true;
  };
  return { stream: { write } as unknown as NodeJS.WritableStream, text: () => text };
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

  it('runs as its own process (precompiled) and prints every row of a big server into a pipe', async () => {
    const store = new TeamStore(redis, config.SENSEI_PREFIX);
    const at = Date.parse('2026-12-01T01:00:00Z');
    const learners = Array.from({ length: 2500 }, (_, i) => `discord-${7_000_000 + i}`);
    for (let i = 0; i < learners.length; i += 100) {
      await Promise.all(learners.slice(i, i + 100).map((learnerId) => store.record({ type: 'lesson-started', learnerId, guildId: BIG_GUILD, lessonId: 'container-is-a-process', step: 1, hintsUsed: 0, at })));
    }
    // Into a pipe whose reader is slow to start, as `| less` is: a process that exits before its output drains cuts it short.
    const slowPipe = `"$0" "$1" team report --guild ${BIG_GUILD} --csv | (sleep 1; cat)`;
    const { stdout } = await promisify(execFile)('sh', ['-c', slowPipe, process.execPath, BIN], { env: { ...process.env, REDIS_URL: config.REDIS_URL, SENSEI_PREFIX: config.SENSEI_PREFIX }, maxBuffer: 16 * 1024 * 1024 });
    // More than a pipe holds (64 KiB).
    expect(stdout.length).toBeGreaterThan(64 * 1024);
    const lines = stdout.split('\r\n').filter((l) => l !== '');
    expect(lines).toHaveLength(2501);
    expect(lines.slice(1).every((l) => /^anon-[0-9a-f]{10},0,container-is-a-process,1,2026-12-01 10:00\+09:00,0,0,$/.test(l))).toBe(true);
  }, 60_000);
});
