// The fault scenarios: a worker SIGKILLed mid-job, Redis crashed and restarted (AOF) while commands queue and a
// learner is mid-lesson, the Docker engine restarted under sessions and lab containers, and the console
// killed mid-command and started again. Redis and the engine that fail are private to the scenario.
import { LESSONS_DIR } from '../../src/app.js';
import { loadCurriculum } from '../../src/lessons/index.js';
import { parseLabLine } from '../../src/lab/parse.js';
import { silentLogger } from '../../src/log.js';
import { CommandQueue } from '../../src/queue/producer.js';
import type { CommandJobResult } from '../../src/queue/jobs.js';
import { createDocker } from '../../src/sandbox/docker-client.js';
import { createRedis } from '../../src/store/redis.js';
import { RedisLearnerStore } from '../../src/store/learner-store.js';
import { Tutor } from '../../src/tutor/engine.js';
import { startWorker } from '../../src/worker/start.js';
import { startChat } from '../../test/helpers/chat-process.js';
import { privateRedis } from '../../test/helpers/redis-server.js';
import { canRunSecondEngine, secondEngine } from '../../test/helpers/second-engine.js';
import { chaosConfig, containersOf, exitOf, removeAll, senseiProcess, sleep, watchCompletions } from './setup.js';
import { fileAnswer, newTally, until, type Tally } from './tally.js';

const echoes = (expected: string) => (r: CommandJobResult) => r.result.exitCode === 0 && r.result.stdout === `${expected}\n`;

/** Submits a probe every half second until one is answered for real; ms from `since`. */
async function recovery(queue: CommandQueue, learner: string, since: number, timeoutMs = 120_000): Promise<number> {
  await until(async () => echoes('probe')(await queue.submit(learner, 'echo probe', 'oneshot')), timeoutMs, 500);
  return Date.now() - since;
}

export async function workerKilled(smoke: boolean): Promise<Tally> {
  const tally = newTally('worker SIGKILLed mid-job');
  const config = chaosConfig({ WORKER_LOCK_MS: '3000', REAP_INTERVAL_MS: '2000', SANDBOX_TIMEOUT_MS: '30000', POOL_SIZE: '0' });
  const docker = createDocker(config);
  const completions = await watchCompletions(docker, config.SENSEI_PREFIX);
  const first = senseiProcess(['worker'], config);
  const queue = await CommandQueue.create(config, silentLogger);
  let second: ReturnType<typeof senseiProcess> | undefined;
  try {
    await until(async () => (await queue.workerCount()) >= 1, 60_000);
    const n = smoke ? 4 : 12;
    let started = 0;
    const answers = Array.from({ length: n }, (_, i) =>
      queue.submit(`wk-${i}`, `sleep 6; echo wk-${i}`, 'oneshot', { onProgress: (p) => void (p.stage === 'started' && (started += 1)) }),
    );
    await until(async () => started >= Math.min(n, config.WORKER_CONCURRENCY), 60_000, 100);
    first.kill('SIGKILL');
    second = senseiProcess(['worker'], config);
    await until(async () => (await queue.workerCount()) >= 1, 60_000);
    const back = Date.now();
    const fates = await Promise.all(answers.map((a, i) => fileAnswer(tally, a, echoes(`wk-${i}`), 180_000)));
    tally.recoverMs = await recovery(queue, 'wk-probe', back);
    for (let i = 0; i < n; i++) if (completions.completedBy(`wk-${i}`) > 1) tally.duplicated += 1;
    // One reaper interval past the dead worker's liveness mark: its containers must be gone.
    await sleep(config.WORKER_LOCK_MS + 2 * config.REAP_INTERVAL_MS);
    tally.leaked = (await containersOf(docker, config.SENSEI_PREFIX)).length;
    tally.notes.push(`${fates.filter((f) => f === 'answered').length} of ${n} re-run to their real result after the kill`);
  } finally {
    completions.close();
    first.kill('SIGKILL');
    if (second) {
      second.kill('SIGTERM');
      await exitOf(second, 60_000);
    }
    await queue.close();
    await removeAll(docker, config.SENSEI_PREFIX);
  }
  return tally;
}

export async function redisRestarted(smoke: boolean): Promise<Tally> {
  const tally = newTally('Redis killed and restarted (AOF) mid-queue and mid-lesson');
  const redis = await privateRedis();
  const config = chaosConfig({ REDIS_URL: redis.url, POOL_SIZE: '1', WORKER_LOCK_MS: '8000', SANDBOX_TIMEOUT_MS: '20000' });
  const docker = createDocker(config);
  const completions = await watchCompletions(docker, config.SENSEI_PREFIX);
  const worker = await startWorker(config, { log: silentLogger });
  const queue = await CommandQueue.create(config, silentLogger);
  const storeRedis = createRedis(config.REDIS_URL, 'producer');
  try {
    const tutor = new Tutor({
      curriculum: await loadCurriculum(LESSONS_DIR),
      store: new RedisLearnerStore(storeRedis, config.SENSEI_PREFIX),
      run: (l, c, m, o) => queue.submit(l, c, m, o),
      runLab: (l, c, o) => queue.runLab(l, c, o),
      clearLab: (l) => queue.clearLab(l),
      defaultLang: 'en',
    });
    await tutor.handle('midlesson', { type: 'start', lessonId: 'container-is-a-process' });
    await tutor.handle('midlesson', { type: 'run-step' });
    await tutor.handle('midlesson', { type: 'next' });
    const before = (await tutor.whereIs('midlesson'))?.state;
    // AOF writes every second: what was written more than a second ago must survive a crash.
    await sleep(1_500);
    const n = smoke ? 4 : 12;
    const answers = Array.from({ length: n }, (_, i) => queue.submit(`rr-${i}`, `sleep 2; echo rr-${i}`, 'oneshot'));
    answers.forEach((a) => a.catch(() => {}));
    await sleep(700);
    await redis.kill();
    await sleep(3_000);
    await redis.start();
    const back = Date.now();
    await Promise.all(answers.map((a, i) => fileAnswer(tally, a, echoes(`rr-${i}`), 180_000)));
    tally.recoverMs = await recovery(queue, 'rr-probe', back);
    const after = (await tutor.whereIs('midlesson'))?.state;
    if (!after || !before || after.lessonId !== before.lessonId || after.stepIndex < before.stepIndex) tally.progressLost += 1;
    for (let i = 0; i < n; i++) if (completions.completedBy(`rr-${i}`) > 1) tally.duplicated += 1;
    tally.notes.push(`learner mid-lesson: step ${before ? before.stepIndex + 1 : '?'} before the crash, step ${after ? after.stepIndex + 1 : '?'} after`);
  } finally {
    completions.close();
    await queue.close();
    await worker.close();
    storeRedis.disconnect();
    tally.leaked = (await containersOf(docker, config.SENSEI_PREFIX)).length;
    await removeAll(docker, config.SENSEI_PREFIX);
    await redis.close();
  }
  return tally;
}

export async function engineRestarted(smoke: boolean, image: string): Promise<Tally> {
  const tally = newTally('Docker engine restarted under sessions and lab containers');
  if (!canRunSecondEngine()) {
    tally.notes.push('skipped: a second dockerd needs root and dockerd on this machine');
    return tally;
  }
  const engine = await secondEngine(image);
  const config = chaosConfig({ DOCKER_HOST: engine.host, POOL_SIZE: '2', SANDBOX_TIMEOUT_MS: '20000', REAP_INTERVAL_MS: '3000' });
  const worker = await startWorker(config, { log: silentLogger });
  const queue = await CommandQueue.create(config, silentLogger);
  try {
    const labs = smoke ? 1 : 3;
    for (let i = 0; i < labs; i++) {
      const parsed = parseLabLine('docker run -d --name kept alpine sleep 600');
      if (parsed.ok) await queue.runLab(`er-lab-${i}`, parsed.command);
    }
    for (let i = 0; i < labs; i++) await queue.submit(`er-session-${i}`, 'echo mine > note', 'session');
    await until(async () => worker.sandbox.warmCount === 2, 60_000);
    const n = smoke ? 3 : 8;
    const answers = Array.from({ length: n }, (_, i) =>
      queue.submit(`er-${i}`, `sleep 4; echo er-${i}`, i % 2 === 0 ? 'oneshot' : 'session'),
    );
    answers.forEach((a) => a.catch(() => {}));
    await sleep(2_000);
    const downMs = await engine.restart();
    const back = Date.now();
    await Promise.all(answers.map((a, i) => fileAnswer(tally, a, echoes(`er-${i}`), 180_000)));
    tally.recoverMs = await recovery(queue, 'er-probe', back);
    const running = async () =>
      (await engine.docker.listContainers({ filters: { label: [`sensei.app=${config.SENSEI_PREFIX}`, 'sensei.kind=pool'], status: ['running'] } })).length;
    await until(async () => worker.sandbox.warmCount === 2 && (await running()) >= 2, 60_000);
    tally.notes.push(`engine down ${(downMs / 1000).toFixed(1)} s; pool full of running containers again ${((Date.now() - back) / 1000).toFixed(1)} s after it was back`);
    // "Within one reaper interval": a one-shot still removing itself, or one the restarted engine is removing
    // on its own, is not a leak until the interval has passed with the reaper run.
    const leftovers = async () => (await containersOf(engine.docker, config.SENSEI_PREFIX)).filter((c) => c.Labels['sensei.kind'] !== 'lab' && c.State !== 'running');
    const interval = Date.now() + config.REAP_INTERVAL_MS;
    let left = await leftovers();
    while (left.length > 0 && Date.now() < interval) {
      await sleep(500);
      await worker.reap();
      left = await leftovers();
    }
    tally.leaked = left.length;
    if (left.length > 0) tally.notes.push(`left: ${left.map((c) => `${c.Labels['sensei.kind']} ${c.State} ${c.Status}`).join(', ')}`);
  } finally {
    await queue.close();
    await worker.close();
    await engine.close();
  }
  return tally;
}

export async function consoleKilled(): Promise<Tally> {
  const tally = newTally('console killed mid-command and started again');
  const config = chaosConfig({ POOL_SIZE: '0', WORKER_LOCK_MS: '3000', REAP_INTERVAL_MS: '2000' });
  const docker = createDocker(config);
  const completions = await watchCompletions(docker, config.SENSEI_PREFIX);
  const env = { SENSEI_PREFIX: config.SENSEI_PREFIX, LEARNER_COOLDOWN_MS: '0', POOL_SIZE: '0', WORKER_LOCK_MS: '3000', REAP_INTERVAL_MS: '2000' };
  const first = startChat(['--lang', 'en', '--learner', 'ck'], env);
  let second: ReturnType<typeof startChat> | undefined;
  try {
    await first.waitFor(/\S/, 60_000);
    first.type('$ sleep 6; echo first-ck');
    await sleep(3_000);
    first.child.kill('SIGKILL');
    await exitOf(first.child, 10_000);
    const restarted = Date.now();
    second = startChat(['--lang', 'en', '--learner', 'ck'], env);
    tally.accepted += 1;
    try {
      await second.waitFor(/was cut off when the chat closed/, 60_000);
      tally.clearFailure += 1;
    } catch {
      tally.lost += 1;
    }
    second.type('$ echo second-ck');
    tally.accepted += 1;
    try {
      await second.waitFor(/│ second-ck$/m, 90_000);
      tally.answeredOnce += 1;
      tally.recoverMs = Date.now() - restarted;
    } catch {
      tally.lost += 1;
    }
    if (/still running/.test(second.stdout())) tally.notes.push('a false "still running" promise was made');
    second.type('/quit');
    await second.exited(30_000);
    // The dead console's in-process worker left its container; the next worker's reaper removes it.
    const reaper = senseiProcess(['reap'], config);
    await exitOf(reaper, 60_000);
    await sleep(1_000);
    const left = await containersOf(docker, config.SENSEI_PREFIX);
    tally.leaked = left.length;
    if (left.length > 0) tally.notes.push(`left: ${left.map((c) => `${c.Labels['sensei.kind']} ${c.State} ${c.Status}`).join(', ')}`);
    const ran = completions.completedBy('ck');
    tally.duplicated = Math.max(0, ran - 1);
    tally.notes.push(`the cut command ran to its end ${ran === 0 ? 'never' : `${ran} time(s)`} (it is removed with the dead chat's worker's containers)`);
  } finally {
    completions.close();
    first.child.kill('SIGKILL');
    second?.child.kill('SIGKILL');
    await removeAll(docker, config.SENSEI_PREFIX);
  }
  return tally;
}
