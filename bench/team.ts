/**
 * `npm run bench` (team part): the study board for a server of 1,000 members and the export of 1,000
 * learners, on generated learning events in the local Redis. Targets: board under 2 s, export under 5 s.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LESSONS_DIR } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { boardPayload } from '../src/discord/team/embeds.js';
import { loadCurriculum, type Lesson } from '../src/lessons/index.js';
import { createRedis } from '../src/store/redis.js';
import { exportCsv } from '../src/team/render.js';
import { TeamService } from '../src/team/service.js';
import { TeamStore } from '../src/team/store.js';
import type { LearningEvent } from '../src/tutor/learning-events.js';

const run = promisify(execFile);
const MEMBERS = Number(process.env.BENCH_TEAM_MEMBERS ?? 1000);
const RUNS = 10;
const GUILD = '424242424242424242';
const DAY = 86_400_000;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const value = await fn();
  return [performance.now() - t, value];
}

/** A plausible history: each learner works through a few lessons over the last eight weeks. */
function historyOf(learnerId: string, lessons: readonly Lesson[], seed: number): LearningEvent[] {
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  const events: LearningEvent[] = [];
  let at = Date.now() - (20 + random(40)) * DAY;
  const base = { learnerId, guildId: GUILD, hintsUsed: 0 };
  for (const lesson of lessons.slice(0, 1 + random(6))) {
    events.push({ ...base, type: 'lesson-started', lessonId: lesson.id, step: 1, at });
    for (let step = 1; step <= lesson.steps.length; step++) {
      at += random(3) * DAY + random(3_600_000);
      if (at > Date.now()) return events;
      if (random(4) === 0) events.push({ ...base, type: 'hint-used', lessonId: lesson.id, step, hintsUsed: 1, at });
      if (random(12) === 0) events.push({ ...base, type: 'stuck', lessonId: lesson.id, step, hintsUsed: 3, at, detail: 'three-tries' });
      events.push({ ...base, type: 'step-passed', lessonId: lesson.id, step, at });
    }
    events.push({ ...base, type: 'lesson-completed', lessonId: lesson.id, step: lesson.steps.length, at });
  }
  return events;
}

const config = loadConfig(process.env, { SENSEI_PREFIX: `bench-${randomBytes(3).toString('hex')}`, SENSEI_LOG: 'error' });
const redis = createRedis(config.REDIS_URL, 'producer');
try {
  const curriculum = await loadCurriculum(LESSONS_DIR);
  const team = new TeamService(new TeamStore(redis, config.SENSEI_PREFIX), curriculum);
  const lessons = curriculum.list('en');
  const [seedMs, events] = await timed(async () => {
    let count = 0;
    const learners = Array.from({ length: MEMBERS }, (_, i) => `discord-1000000000${String(i).padStart(8, '0')}`);
    for (let i = 0; i < learners.length; i += 200) {
      await Promise.all(
        learners.slice(i, i + 200).map(async (learnerId, j) => {
          for (const event of historyOf(learnerId, lessons, i + j + 1)) await team.record(event);
          count += 1;
          // Everyone is shown by name: the board's worst case.
          await team.setPrivacy(GUILD, learnerId, `member-${i + j}`);
        }),
      );
    }
    return { learners: count, events: await redis.xlen(`${config.SENSEI_PREFIX}:team:g:${GUILD}:events`) };
  });

  const board: number[] = [];
  let embedChars = 0;
  for (let i = 0; i < RUNS; i++) {
    const [ms, payload] = await timed(async () => {
      const result = await team.board(GUILD, { period: (['week', 'month', 'all'] as const)[i % 3]!, lang: 'ja' });
      if (!result.ok) throw new Error('board refused');
      return boardPayload(result.model, 'ja');
    });
    board.push(ms);
    embedChars = Math.max(embedChars, JSON.stringify(payload.embeds).length);
  }

  const exports: number[] = [];
  let rows = 0;
  for (let i = 0; i < 5; i++) {
    const [ms, csv] = await timed(async () => {
      const result = await team.export(GUILD);
      if (!result.ok) throw new Error('export refused');
      rows = result.rows.length;
      return exportCsv(result.rows, 'en');
    });
    exports.push(ms);
    if (csv.length === 0) throw new Error('empty export');
  }

  const bin = fileURLToPath(new URL('../bin/sensei.js', import.meta.url));
  const report = () => run(process.execPath, [bin, 'team', 'report', '--guild', GUILD, '--csv'], { env: { ...process.env, SENSEI_PREFIX: config.SENSEI_PREFIX }, maxBuffer: 64 * 1024 * 1024 });
  // Once untimed: it transpiles src/ into dist/ if a source changed, as the first `sensei ask` after an edit does.
  await report();
  const cliRuns: number[] = [];
  let cliRows = 0;
  for (let i = 0; i < 3; i++) {
    const [ms, cli] = await timed(report);
    cliRuns.push(ms);
    cliRows = cli.stdout.trim().split('\r\n').length - 1;
  }
  if (cliRows !== rows) throw new Error(`sensei team report printed ${cliRows} rows, the export has ${rows}`);
  // The floor: node itself starting and exiting, in this run on this machine.
  const floor: number[] = [];
  for (let i = 0; i < 3; i++) floor.push((await timed(() => run(process.execPath, ['-e', ''])))[0]);

  console.log(`\nTeam features (${events.learners} members, ${events.events} events generated in ${(seedMs / 1000).toFixed(1)} s):`);
  console.log('| measure | p50 | p95 | max | target |');
  console.log('|---|---|---|---|---|');
  console.log(`| /board, ${MEMBERS} members all shown (week, month, all time; embed ≤ ${embedChars} chars) | ${pct(board, 50).toFixed(0)} ms | ${pct(board, 95).toFixed(0)} ms | ${Math.max(...board).toFixed(0)} ms | < 2000 ms |`);
  console.log(`| /team export, ${rows} rows to CSV | ${pct(exports, 50).toFixed(0)} ms | ${pct(exports, 95).toFixed(0)} ms | ${Math.max(...exports).toFixed(0)} ms | < 5000 ms |`);
  console.log(`| sensei team report --csv (new process, ${cliRows} rows; median of 3) | ${pct(cliRuns, 50).toFixed(0)} ms | | ${Math.max(...cliRuns).toFixed(0)} ms | < 5000 ms |`);
  console.log(`| floor: node -e '' (new process, median of 3) | ${pct(floor, 50).toFixed(0)} ms | | ${Math.max(...floor).toFixed(0)} ms | |`);
  console.log(`(load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores)`);
} finally {
  const keys = await redis.keys(`${config.SENSEI_PREFIX}:*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  redis.disconnect();
}
