/**
 * `npm run bench`: latency and throughput of the execution pipeline against the engine's own floors,
 * all measured in this one run on this machine, so the ratios compare like with like.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { loadConfig, sandboxLimits, type Config } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { CommandQueue } from '../src/queue/producer.js';
import { startWorker } from '../src/worker/start.js';
import { createDocker } from '../src/sandbox/docker-client.js';
import { hardenedContainerSpec, LEARNER_USER } from '../src/sandbox/spec.js';
import type { ExecutionMode } from '../src/sandbox/types.js';

const run = promisify(execFile);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 21);
const THROUGHPUT_JOBS = Number(process.env.BENCH_JOBS ?? 32);

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

async function floors(image: string) {
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

async function roundTrips(mode: ExecutionMode, poolSize: number) {
  const config = benchConfig({ POOL_SIZE: String(poolSize) });
  const worker = await startWorker(config, { log: silentLogger, endSessionsOnClose: true });
  const queue = await CommandQueue.create(config, silentLogger);
  const samples: number[] = [];
  try {
    if (mode === 'session') await queue.submit('bench', 'true', 'session');
    for (let i = 0; i < SAMPLES; i++) {
      // Learners type slowly; the pool refills between their commands, so measure it full.
      await worker.sandbox.whenIdle();
      samples.push(await time(() => queue.submit('bench', 'true', mode)));
    }
  } finally {
    await queue.close();
    await worker.close();
  }
  return samples;
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

/** The engine's own capacity: create, start, wait and remove with the same spec, no queue. */
async function rawThroughput(config: Config, concurrency: number) {
  const docker = createDocker(config);
  const spec = hardenedContainerSpec({
    image: config.SANDBOX_IMAGE,
    limits: sandboxLimits(config),
    cmd: ['true'],
    user: LEARNER_USER,
    labels: { app: 'bench-raw', workerId: 'bench', learnerId: '', kind: 'oneshot', expiresAt: Date.now() + 600_000 },
  });
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < THROUGHPUT_JOBS) {
        next += 1;
        const c = await docker.createContainer(spec);
        await c.start();
        await c.wait({ condition: 'not-running' });
        await c.remove({ force: true });
      }
    }),
  );
  return THROUGHPUT_JOBS / ((performance.now() - t) / 1000);
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

async function main() {
  const config = benchConfig({});
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  process.stdout.write(`Container Sensei benchmark — ${date} UTC — ${SAMPLES} samples each, ${THROUGHPUT_JOBS} jobs per throughput run\n\n`);

  const f = await floors(config.SANDBOX_IMAGE);
  const cold = await roundTrips('oneshot', 0);
  const warm = await roundTrips('oneshot', 2);
  const session = await roundTrips('session', 0);

  const rows: [string, number[]][] = [
    ['floor: docker run --rm (CLI)', f.dockerRun],
    ['floor: docker exec (CLI)', f.dockerExec],
    ['one-shot cold (no pool)', cold],
    ['one-shot warm (pool)', warm],
    ['session exec', session],
  ];
  process.stdout.write('| path | p50 | p95 |\n|---|---:|---:|\n');
  for (const [name, xs] of rows) process.stdout.write(`| ${name} | ${ms(pct(xs, 50))} | ${ms(pct(xs, 95))} |\n`);

  const warmVsExec = pct(warm, 50) / pct(f.dockerExec, 50);
  const runVsWarm = pct(f.dockerRun, 50) / pct(warm, 50);
  process.stdout.write('\n| target | measured | verdict |\n|---|---:|---|\n');
  process.stdout.write(`| warm p50 ≤ 1.5× docker exec p50 | ${warmVsExec.toFixed(2)}× | ${warmVsExec <= 1.5 ? 'met' : 'MISSED'} |\n`);
  process.stdout.write(`| warm p50 ≥ 3× faster than docker run --rm p50 | ${runVsWarm.toFixed(2)}× | ${runVsWarm >= 3 ? 'met' : 'MISSED'} |\n`);

  process.stdout.write('\n| concurrency | pipeline jobs/s | raw engine jobs/s | ratio (target ≥ 85%) |\n|---:|---:|---:|---|\n');
  for (const c of [1, 4, 8]) {
    // Side by side, raw first and pipeline second, so drift on a noisy machine affects both alike.
    const raw = await rawThroughput(config, c);
    const ours = await pipelineThroughput(c);
    const ratio = ours / raw;
    process.stdout.write(`| ${c} | ${ours.toFixed(1)} | ${raw.toFixed(1)} | ${(ratio * 100).toFixed(0)}% ${ratio >= 0.85 ? 'met' : 'MISSED'} |\n`);
  }
}

await main();
process.exit(0);
