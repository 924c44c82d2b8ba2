// Two real Docker engines (the main one and a second dockerd started by scripts/second-engine.sh), a worker
// for each, and the tutor app in front. 200 commands from 50 learners: each learner's lab lives on one engine
// and every lab command lands there; none is lost. Then the second engine is killed: its learners are told
// within 30 s, the first engine's learners see no error, and a lost learner's next `docker run` works.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTutorApp, type TutorApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { parseLabLine } from '../../src/lab/parse.js';
import { silentLogger } from '../../src/log.js';
import type { Reply } from '../../src/tutor/reply.js';
import { startWorker, type RunningWorker } from '../../src/worker/start.js';
import { assertServices, integrationGate, testConfig } from '../helpers/services.js';

const gate = await integrationGate();
const SCRIPT = fileURLToPath(new URL('../../scripts/second-engine.sh', import.meta.url));
const ENGINE_DIR = process.env['SECOND_ENGINE_DIR'] ?? '/tmp/sensei-engine-b';
const LEARNERS = 50;

/** Whether a second engine was already answering before this suite (then it is left running afterwards). */
function secondEngineAnswers(): boolean {
  return spawnSync('docker', ['-H', `unix://${ENGINE_DIR}/engine.sock`, 'version'], { timeout: 20_000 }).status === 0;
}

function secondEngine(action: 'start' | 'kill' | 'stop'): string {
  const r = spawnSync('bash', [SCRIPT, action, ENGINE_DIR], { encoding: 'utf8', timeout: 240_000 });
  if (r.status !== 0) throw new Error(`second-engine.sh ${action} failed: ${r.stderr || r.error?.message}`);
  return r.stdout.trim();
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Figures for docs/ENGINES.md, on stderr so they show in the test run. */
function report(line: string): void {
  process.stderr.write(`[two engines] ${line}\n`);
}

describe.runIf(gate.run)('two engines', () => {
  let base: Config;
  let socketB: string;
  let leaveRunning = false;
  const docker: Record<string, Docker> = {};
  const workers: RunningWorker[] = [];
  let app: TutorApp;
  let redis: Redis;
  const notices: { learner: string; at: number; reply: Reply }[] = [];
  const learners = Array.from({ length: LEARNERS }, (_, i) => `eng-${i}`);
  const boxes = new Map<string, string>();

  const lab = async (learner: string, line: string) => {
    const parsed = parseLabLine(line);
    if (!parsed.ok) throw new Error(`the lab refused ${line}`);
    return (await app.queue.runLab(learner, parsed.command)).result;
  };

  beforeAll(async () => {
    assertServices(gate.probe);
    leaveRunning = secondEngineAnswers();
    socketB = secondEngine('start');
    base = testConfig({ SENSEI_INLINE_WORKER: 'false', SANDBOX_TIMEOUT_MS: '20000', QUEUE_MAX_WAITING: '1000', WORKER_LOCK_MS: '15000' });
    const configA: Config = { ...base, ENGINE_NAME: 'engine-a' };
    const configB: Config = { ...base, ENGINE_NAME: 'engine-b', DOCKER_HOST: `unix://${socketB}` };
    docker['engine-a'] = new Docker({ socketPath: base.DOCKER_SOCKET });
    docker['engine-b'] = new Docker({ socketPath: socketB });
    workers.push(await startWorker(configA, { log: silentLogger, endSessionsOnClose: true }));
    workers.push(await startWorker(configB, { log: silentLogger, endSessionsOnClose: true }));
    app = await startTutorApp(base, silentLogger, { defaultLang: 'en' });
    app.deliverNoticesWith(async (learner, reply) => void notices.push({ learner, at: Date.now(), reply }));
    redis = new Redis(base.REDIS_URL);
    // Each learner has talked to the tutor, so it knows them (and their language) when it must tell them.
    for (const learner of learners) await app.tutor.handle(learner, { type: 'hello' });
  }, 300_000);

  afterAll(async () => {
    secondEngine('start');
    await app?.close();
    for (const w of workers) await w.close();
    for (const d of Object.values(docker)) {
      const left = await d.listContainers({ all: true, filters: { label: [`sensei.app=${base.SENSEI_PREFIX}`] } }).catch(() => []);
      await Promise.allSettled(left.map((c) => d.getContainer(c.Id).remove({ force: true, v: true })));
    }
    const keys = await redis.keys(`${base.SENSEI_PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    if (!leaveRunning) secondEngine('stop');
  }, 300_000);

  it('runs 200 commands from 50 learners, each lab command on its learner’s engine, none lost', async () => {
    const latencies: number[] = [];
    const timed = async <T>(work: () => Promise<T>): Promise<T> => {
      const started = Date.now();
      const out = await work();
      latencies.push(Date.now() - started);
      return out;
    };
    const started = Date.now();
    const outcomes = await Promise.allSettled(
      learners.map(async (learner, i) => {
        const run = await timed(() => lab(learner, 'docker run -d --name box alpine sleep 900'));
        expect(run.exitCode, run.stderr).toBe(0);
        const id = run.stdout.trim();
        boxes.set(learner, id);
        const hostname = await timed(() => lab(learner, 'docker exec box cat /etc/hostname'));
        expect(hostname.stdout.trim()).toBe(id.slice(0, 12));
        const echo = await timed(() => app.queue.submit(learner, `echo one-shot-${i}`, 'oneshot'));
        expect(echo.result.stdout).toBe(`one-shot-${i}\n`);
        const ps = await timed(() => lab(learner, 'docker ps'));
        expect(ps.stdout).toContain('box');
      }),
    );
    const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [`${learners[i]}: ${String(o.reason)}`] : []));
    expect(failed).toEqual([]);
    const seconds = (Date.now() - started) / 1000;
    expect(latencies).toHaveLength(4 * LEARNERS);

    // Every learner's container is on the engine they are placed on, and only there.
    const perEngine: Record<string, number> = { 'engine-a': 0, 'engine-b': 0 };
    for (const learner of learners) {
      const engine = await app.queue.engines.placedOn(learner);
      expect(engine === 'engine-a' || engine === 'engine-b').toBe(true);
      const other = engine === 'engine-a' ? 'engine-b' : 'engine-a';
      const id = boxes.get(learner)!;
      expect((await docker[engine!]!.getContainer(id).inspect()).Config.Labels['sensei.learner']).toBe(learner);
      await expect(docker[other]!.getContainer(id).inspect()).rejects.toMatchObject({ statusCode: 404 });
      perEngine[engine!] = (perEngine[engine!] ?? 0) + 1;
    }
    expect(perEngine['engine-a']).toBeGreaterThanOrEqual(LEARNERS / 4);
    expect(perEngine['engine-b']).toBeGreaterThanOrEqual(LEARNERS / 4);
    report(
      `200 commands from ${LEARNERS} learners in ${seconds.toFixed(1)} s; per command p50 ${percentile(latencies, 50)} ms, ` +
        `p95 ${percentile(latencies, 95)} ms, max ${Math.max(...latencies)} ms; learners per engine ${JSON.stringify(perEngine)}`,
    );
  }, 600_000);

  it('tells a killed engine’s learners within 30 s, while the other engine’s learners see no error', async () => {
    const onA: string[] = [];
    const onB: string[] = [];
    for (const learner of learners) ((await app.queue.engines.placedOn(learner)) === 'engine-a' ? onA : onB).push(learner);
    expect(onB.length).toBeGreaterThan(0);

    // Learners on engine A keep working through the whole outage.
    let stop = false;
    const errorsOnA: string[] = [];
    let commandsOnA = 0;
    const keepWorking = onA.slice(0, 10).map(async (learner, i) => {
      while (!stop) {
        try {
          const ps = await lab(learner, 'docker ps');
          if (!ps.stdout.includes('box')) errorsOnA.push(`${learner}: docker ps lost the box`);
          const echo = await app.queue.submit(learner, `echo still-${i}`, 'oneshot');
          if (echo.result.stdout !== `still-${i}\n`) errorsOnA.push(`${learner}: echo said ${JSON.stringify(echo.result.stdout)}`);
          commandsOnA += 2;
        } catch (err) {
          errorsOnA.push(`${learner}: ${String(err)}`);
        }
      }
    });

    const killedAt = Date.now();
    secondEngine('kill');
    const until = killedAt + 45_000;
    while (Date.now() < until && !onB.every((l) => notices.some((n) => n.learner === l))) await new Promise((r) => setTimeout(r, 250));
    const told = onB.map((l) => notices.find((n) => n.learner === l));
    expect(told.every((n) => n !== undefined)).toBe(true);
    const slowest = Math.max(...told.map((n) => n!.at - killedAt));
    expect(slowest).toBeLessThanOrEqual(30_000);
    expect(notices.filter((n) => onA.includes(n.learner))).toEqual([]);
    const text = told[0]!.reply.blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : [])).join('\n');
    expect(text).toContain('stopped answering');
    expect(text).toContain('docker run');

    // A few seconds more of work on A after the notices, then stop.
    await new Promise((r) => setTimeout(r, 5_000));
    stop = true;
    await Promise.all(keepWorking);
    expect(errorsOnA).toEqual([]);
    expect(commandsOnA).toBeGreaterThan(10);

    // A lost learner starts again: placed on the live engine, and it works.
    const lost = onB[0]!;
    expect(await app.queue.engines.placementOf(lost)).toBeUndefined();
    const again = await lab(lost, 'docker run -d --name box alpine sleep 60');
    expect(again.exitCode, again.stderr).toBe(0);
    expect(await app.queue.engines.placedOn(lost)).toBe('engine-a');
    await docker['engine-a']!.getContainer(again.stdout.trim()).inspect();
    report(
      `engine-b killed: ${onB.length} learners told in at most ${(slowest / 1000).toFixed(1)} s ` +
        `(ENGINE_HEARTBEAT_MS ${base.ENGINE_HEARTBEAT_MS}, ENGINE_DEAD_MS ${base.ENGINE_DEAD_MS}); ` +
        `${commandsOnA} commands from ${Math.min(10, onA.length)} learners on engine-a meanwhile, ${errorsOnA.length} errors`,
    );
  }, 300_000);
});
