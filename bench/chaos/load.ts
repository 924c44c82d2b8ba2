// The load scenarios: many learners at once through the real queue and sandbox, and one learner flooding the
// lab (log flood, spinning containers, a fork bomb) while another learner's commands are timed.
import { parseLabLine } from '../../src/lab/parse.js';
import { silentLogger } from '../../src/log.js';
import { CommandQueue } from '../../src/queue/producer.js';
import type { CommandJobResult } from '../../src/queue/jobs.js';
import { createDocker } from '../../src/sandbox/docker-client.js';
import { startWorker } from '../../src/worker/start.js';
import { canRunSecondEngine, secondEngine } from '../../test/helpers/second-engine.js';
import { chaosConfig, containersOf, removeAll, sleep } from './setup.js';
import { fileAnswer, newTally, pct, type Tally } from './tally.js';
import { daemonCpu } from './engine-cpu.js';

export async function manyLearners(smoke: boolean): Promise<Tally> {
  const learners = smoke ? 10 : 100;
  const each = 5;
  const tally = newTally(`${learners * each} commands from ${learners} learners at once`);
  const config = chaosConfig({ POOL_SIZE: '2', QUEUE_MAX_WAITING: '200' });
  const docker = createDocker(config);
  const worker = await startWorker(config, { log: silentLogger });
  const queue = await CommandQueue.create(config, silentLogger);
  const latencies: number[] = [];
  const rssBefore = process.memoryUsage().rss;
  const started = Date.now();
  try {
    await Promise.all(
      Array.from({ length: learners }, async (_, l) => {
        for (let k = 0; k < each; k++) {
          const t = Date.now();
          const expected = `ml-${l}-${k}`;
          const fate = await fileAnswer(tally, queue.submit(`ml-${l}`, `echo ${expected}`, 'oneshot'), (r: CommandJobResult) => r.result.stdout === `${expected}\n`, 300_000);
          if (fate === 'answered') latencies.push(Date.now() - t);
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    tally.notes.push(
      `p50 ${pct(latencies, 50)} ms, p95 ${pct(latencies, 95)} ms per command (queue wait included); ${(tally.answeredOnce / seconds).toFixed(1)} commands/s; ` +
        `this process (producer and worker) grew by ${Math.round((process.memoryUsage().rss - rssBefore) / 1048576)} MiB`,
    );
  } finally {
    await queue.close();
    await worker.close();
    tally.leaked = (await containersOf(docker, config.SENSEI_PREFIX)).length;
    await removeAll(docker, config.SENSEI_PREFIX);
  }
  return tally;
}

export interface FloodFigures {
  tally: Tally;
  quietP50: number;
  floodP50: number;
  /** dockerd (and its containerd and shims) CPU, in % of one core, during three `yes` floods: raw docker, then the lab's. */
  engineCpu?: { raw: number; lab: number };
}

/**
 * One learner floods (three `yes` log floods, a spinning container, a fork bomb through exec) while another
 * learner's one-line commands are timed, before and during, in the same run. On an engine of its own when
 * this machine can start one, so the figures are that engine's alone.
 */
export async function floodNeighbour(smoke: boolean, image: string): Promise<FloodFigures> {
  const tally = newTally('one learner floods the lab, another keeps working');
  const engine = canRunSecondEngine() ? await secondEngine(image) : undefined;
  const config = chaosConfig({ POOL_SIZE: '2', LAB_MAX_RUNNING: '4', LAB_CPU_BUDGET_S: '3600', ...(engine ? { DOCKER_HOST: engine.host } : {}) });
  const docker = createDocker(config);
  const worker = await startWorker(config, { log: silentLogger });
  const queue = await CommandQueue.create(config, silentLogger);
  const samples = smoke ? 7 : 21;
  const lab = async (learner: string, line: string) => {
    const parsed = parseLabLine(line);
    if (!parsed.ok) throw new Error(`${line}: ${parsed.refusal.code}`);
    return queue.runLab(learner, parsed.command);
  };
  const timeCalm = async () => {
    const xs: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t = Date.now();
      await fileAnswer(tally, queue.submit('calm', `echo calm-${i}`, 'oneshot'), (r: CommandJobResult) => r.result.stdout === `calm-${i}\n`, 60_000);
      xs.push(Date.now() - t);
    }
    return xs;
  };
  try {
    await timeCalm();
    const quiet = await timeCalm();
    let engineCpu: FloodFigures['engineCpu'];
    if (engine) {
      const raw = await rawYesFlood(engine.docker, image);
      engineCpu = { raw: await daemonCpu(engine.pid(), 5_000), lab: 0 };
      await Promise.all(raw.map((c) => c.remove({ force: true })));
    }
    for (const name of ['y1', 'y2', 'y3']) await lab('flooder', `docker run -d --name ${name} alpine yes`);
    await lab('flooder', `docker run -d --name spin alpine sh -c 'while :; do :; done'`);
    const bomb = lab('flooder', `docker exec spin sh -c 'b(){ b|b& }; b'`).catch(() => undefined);
    await sleep(2_000);
    if (engine && engineCpu) engineCpu.lab = await daemonCpu(engine.pid(), 5_000);
    const flooded = await timeCalm();
    await bomb;
    const quietP50 = pct(quiet, 50);
    const floodP50 = pct(flooded, 50);
    tally.notes.push(`calm learner p50 ${quietP50} ms quiet, ${floodP50} ms during the flood (${(floodP50 / quietP50).toFixed(2)}×)`);
    if (engineCpu) tally.notes.push(`engine CPU during three \`yes\` floods: ${engineCpu.raw}% of a core as plain docker runs, ${engineCpu.lab}% as lab containers`);
    return { tally, quietP50, floodP50, ...(engineCpu ? { engineCpu } : {}) };
  } finally {
    await queue.close();
    await worker.close();
    await removeAll(docker, config.SENSEI_PREFIX);
    await engine?.close();
  }
}

/** Three `docker run -d IMAGE yes` as a laptop would run them (local log driver, nothing capped): the baseline. */
async function rawYesFlood(docker: ReturnType<typeof createDocker>, image: string) {
  const made = [];
  for (let i = 0; i < 3; i++) {
    const c = await docker.createContainer({
      Image: image,
      Cmd: ['yes'],
      HostConfig: { NetworkMode: 'none', LogConfig: { Type: 'local', Config: { 'max-size': '256k', 'max-file': '1', compress: 'false' } } },
    });
    await c.start();
    made.push(c);
  }
  await sleep(1_000);
  return made;
}
