/**
 * `npm run bench`: latency, throughput and memory of the execution pipeline against the engine's own floors, all
 * measured in this one run on this machine, so the ratios compare like with like. The floors go through the
 * Engine API directly (bench/engine-floors.ts); the docker CLI's are shown for comparison with older runs.
 *
 *   npx tsx bench/bench.ts            the full run (a few minutes)
 *   npx tsx bench/bench.ts --smoke    a few iterations of everything, for CI: checks that every path runs
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { loadConfig, type Config } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { CommandQueue } from '../src/queue/producer.js';
import { startWorker } from '../src/worker/start.js';
import { createDocker } from '../src/sandbox/docker-client.js';
import { LEARNER_USER } from '../src/sandbox/spec.js';
import type { ExecutionMode } from '../src/sandbox/types.js';
import { apiColdSample, apiThroughput, openExecFloor } from './engine-floors.js';
import { botMemory, workerMemory, type MemoryPoint } from './memory.js';

const SMOKE = process.argv.includes('--smoke');
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? (SMOKE ? 3 : 21));
const THROUGHPUT_JOBS = Number(process.env.BENCH_JOBS ?? (SMOKE ? 4 : 32));
/** The smoke runs every path once at one concurrency level; the full run compares three. */
const CONCURRENCY_LEVELS = SMOKE ? [4] : [1, 4, 8];
const ACTIVE_LEARNERS = Number(process.env.BENCH_ACTIVE_LEARNERS ?? (SMOKE ? 10 : 1000));
const LIVE_SESSIONS = Number(process.env.BENCH_LIVE_SESSIONS ?? (SMOKE ? 2 : 50));
const BOT_RSS_TARGET_MB = 150;
const run = promisify(execFile);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

function benchConfig(overrides: Record<string, string>): Config {
  return loadConfig(process.env, {
    SENSEI_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
    LEARNER_COOLDOWN_MS: '0',
    SENSEI_LOG: 'error',
    QUEUE_MAX_WAITING: '1000',
    ...overrides,
  });
}

const floorArgs = (image: string) => [
  '--network', 'none', '--read-only', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
  '--user', LEARNER_USER, '--memory', '256m', '--memory-swap', '256m', '--pids-limit', '64', '--init', image,
];

/** The docker CLI's floors: they include starting the CLI process itself, so they are soft. */
async function cliFloors(image: string) {
  const dockerRun: number[] = [];
  for (let i = 0; i < SAMPLES; i++) dockerRun.push(await time(() => run('docker', ['run', '--rm', ...floorArgs(image), 'true'])));
  const { stdout } = await run('docker', ['run', '-d', '--rm', ...floorArgs(image), 'sleep', 'infinity']);
  const id = stdout.trim();
  const dockerExec: number[] = [];
  try {
    for (let i = 0; i < SAMPLES; i++) dockerExec.push(await time(() => run('docker', ['exec', '-u', LEARNER_USER, id, 'true'])));
  } finally {
    await run('docker', ['rm', '-f', id]);
  }
  return { dockerRun, dockerExec };
}

/**
 * The path's latency and its floor's, sample by sample in turns (floor, path, floor, path, ...), so the load of a
 * shared machine drifting during the run weighs on both alike. Each is taken with the worker idle.
 */
async function roundTrips(mode: ExecutionMode, poolSize: number, floorSample: () => Promise<number>) {
  const config = benchConfig({ POOL_SIZE: String(poolSize) });
  const worker = await startWorker(config, { log: silentLogger, endSessionsOnClose: true });
  const queue = await CommandQueue.create(config, silentLogger);
  const ours: number[] = [];
  const floor: number[] = [];
  try {
    if (mode === 'session') await queue.submit('bench', 'true', 'session');
    for (let i = 0; i < SAMPLES; i++) {
      // Learners type slowly; the pool refills between their commands, so measure it full.
      await worker.sandbox.whenIdle();
      floor.push(await floorSample());
      await worker.sandbox.whenIdle();
      ours.push(await time(() => queue.submit('bench', 'true', mode)));
    }
  } finally {
    await queue.close();
    await worker.close();
  }
  return { ours, floor };
}

/** Jobs per second through the queue with `concurrency` submissions in flight at once. */
async function pipelineThroughput(concurrency: number) {
  const config = benchConfig({ POOL_SIZE: '2', WORKER_CONCURRENCY: String(concurrency), GLOBAL_CONCURRENCY: String(concurrency) });
  const worker = await startWorker(config, { log: silentLogger, endSessionsOnClose: true });
  const queue = await CommandQueue.create(config, silentLogger);
  await worker.sandbox.whenPoolFull();
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      while (next < THROUGHPUT_JOBS) {
        next += 1;
        await queue.submit(`lane-${lane}`, 'true', 'oneshot');
      }
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  await queue.close();
  await worker.close();
  return THROUGHPUT_JOBS / seconds;
}

const ms = (x: number) => `${x.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const out = (line = '') => process.stdout.write(`${line}\n`);
const load = () => loadavg().map((x) => x.toFixed(2)).join(', ');

function memoryRows(what: string, unit: string, points: MemoryPoint[]): void {
  for (const { count, memory } of points) {
    const caches = memory.caches ? Object.entries(memory.caches).map(([name, n]) => `${n} ${name}`).join(', ') : '—';
    out(`| ${what} | ${count} ${unit} | ${mb(memory.rss)} | ${mb(memory.heapUsedAfterGc)} | ${caches} |`);
  }
}

async function main() {
  const config = benchConfig({});
  const docker = createDocker(config);
  const began = performance.now();
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  out(`Container Sensei benchmark${SMOKE ? ' (smoke: a few iterations, figures not comparable)' : ''} — ${date} UTC — load average ${load()} — ${SAMPLES} samples each, ${THROUGHPUT_JOBS} jobs per throughput run`);
  out();

  const execFloor = await openExecFloor(docker, config);
  const cold = await roundTrips('oneshot', 0, () => apiColdSample(docker, config));
  const warm = await roundTrips('oneshot', 2, execFloor.sample);
  const session = await roundTrips('session', 0, execFloor.sample);
  await execFloor.close();
  const cli = await cliFloors(config.SANDBOX_IMAGE);

  // Each path against the floor samples taken in turns with its own; the floor rows show all of them.
  const execFloors = [...warm.floor, ...session.floor];
  const execP50 = pct(execFloors, 50);
  const coldP50 = pct(cold.floor, 50);
  const ratio = (path: { ours: number[]; floor: number[] }) => pct(path.ours, 50) / pct(path.floor, 50);
  const rows: [string, number[], string][] = [
    ['floor: exec `true`, Engine API', execFloors, `1.00× exec floor`],
    ['floor: create → start → wait → remove, Engine API', cold.floor, '1.00× cold floor'],
    ['docker exec (CLI, measured after the others)', cli.dockerExec, `${(pct(cli.dockerExec, 50) / execP50).toFixed(2)}× exec floor`],
    ['docker run --rm (CLI, measured after the others)', cli.dockerRun, `${(pct(cli.dockerRun, 50) / coldP50).toFixed(2)}× cold floor`],
    ['one-shot cold (no pool)', cold.ours, `${ratio(cold).toFixed(2)}× cold floor`],
    ['one-shot warm (pool)', warm.ours, `${ratio(warm).toFixed(2)}× exec floor`],
    ['session command', session.ours, `${ratio(session).toFixed(2)}× exec floor`],
  ];
  out('| path | p50 | p95 | p50 ÷ its floor\'s p50 (floor sampled in turns with the path) |');
  out('|---|---:|---:|---:|');
  for (const [name, xs, vsFloor] of rows) out(`| ${name} | ${ms(pct(xs, 50))} | ${ms(pct(xs, 95))} | ${vsFloor} |`);

  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const targets: [string, number, number][] = [
    ['warm one-shot p50 ≤ 1.25× API exec floor', ratio(warm), 1.25],
    ['session command p50 ≤ 1.15× API exec floor', ratio(session), 1.15],
    ['cold one-shot p50 ≤ 1.15× API create-start-wait-remove floor', ratio(cold), 1.15],
  ];
  out();
  out('| target | measured | verdict |');
  out('|---|---:|---|');
  for (const [name, ratio, limit] of targets) out(`| ${name} | ${ratio.toFixed(2)}× | ${verdict(ratio <= limit)} |`);

  out();
  out('| concurrency | pipeline jobs/s | raw engine jobs/s (API, no queue) | ratio (target ≥ 90%) |');
  out('|---:|---:|---:|---|');
  for (const c of CONCURRENCY_LEVELS) {
    // Side by side, raw first and pipeline second, so drift on a noisy machine affects both alike.
    const raw = await apiThroughput(docker, config, c, THROUGHPUT_JOBS);
    const ours = await pipelineThroughput(c);
    const ratio = ours / raw;
    out(`| ${c} | ${ours.toFixed(1)} | ${raw.toFixed(1)} | ${(ratio * 100).toFixed(0)}% ${verdict(ratio >= 0.9)} |`);
  }

  const bot = await botMemory(ACTIVE_LEARNERS);
  const worker = await workerMemory(LIVE_SESSIONS);
  out();
  out('| process (own process, run as bench/discord.ts runs it) | with | RSS | JS heap after full GC | discord.js caches |');
  out('|---|---:|---:|---:|---|');
  memoryRows('bot (discord.js, router, tutor app)', 'learners in a lesson', bot.points);
  memoryRows('worker (sandbox, pool, queue consumer)', 'live sessions', worker.points);
  const botRss = bot.points.at(-1)!.memory.rss;
  out();
  out(`Redis held ${bot.redisKeys} keys for the ${ACTIVE_LEARNERS} learners (${bot.unanswered} lesson starts unanswered); the worker had ${worker.liveSessions} live sessions.`);
  out();
  out('| target | measured | verdict |');
  out('|---|---:|---|');
  out(`| bot RSS ≤ ${BOT_RSS_TARGET_MB} MB with ${ACTIVE_LEARNERS} active learners | ${mb(botRss)} | ${verdict(botRss <= BOT_RSS_TARGET_MB * 2 ** 20 && bot.unanswered === 0)} |`);
  out();
  out(`(bench.ts took ${((performance.now() - began) / 1000).toFixed(0)} s; load average at the end ${load()})`);
  if (SMOKE && (bot.unanswered > 0 || worker.liveSessions !== LIVE_SESSIONS)) {
    process.stderr.write('smoke: a lesson start went unanswered or a session was not live\n');
    process.exit(1);
  }
}

await main();
process.exit(0);
