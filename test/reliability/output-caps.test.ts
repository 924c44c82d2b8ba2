// Findings 1 and 12, through the chat: every answer is held to one byte cap and says it was cut, a command
// names at most 10 containers, Redis keeps only capped results for minutes, a nearly full Redis is refused
// kindly, and the queue's bound holds when 100 learners type at once.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import { loadCurriculum } from '../../src/lessons/index.js';
import { silentLogger } from '../../src/log.js';
import { RESULT_KEEP_S } from '../../src/queue/producer.js';
import { CommandQueue } from '../../src/queue/producer.js';
import { MemoryLearnerStore } from '../../src/store/memory-learner-store.js';
import { Tutor } from '../../src/tutor/engine.js';
import { renderForTerminal } from '../../src/console/render.js';
import { privateRedis, type PrivateRedis } from '../helpers/redis-server.js';
import { startTutorPipeline, type TutorPipeline } from '../helpers/tutor-pipeline.js';
import { assertServices, integrationGate, removeAppContainers, testConfig } from '../helpers/services.js';

const gate = await integrationGate();
const CAP = 16 * 1024;

describe.runIf(gate.run)('output caps, through the chat', () => {
  let p: TutorPipeline;
  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startTutorPipeline({ SANDBOX_OUTPUT_BYTES: String(CAP), SANDBOX_TIMEOUT_MS: '10000' });
  });
  afterAll(async () => {
    await p?.close();
    if (p) await removeAppContainers(p.config);
  });

  it('cuts a huge docker inspect to the one cap, says so, and stores no more than that in Redis', async () => {
    expect((await p.say('capped', 'docker run -d --name big alpine sleep 600')).result?.exitCode).toBe(0);
    const template = '{{json .}}'.repeat(40);
    const names = Array.from({ length: 10 }, () => 'big').join(' ');
    const said = await p.say('capped', `docker inspect -f '${template}' ${names}`);
    const result = said.result!;
    expect(Buffer.byteLength(result.stdout) + Buffer.byteLength(result.stderr)).toBeLessThanOrEqual(CAP);
    expect(result.truncated).toBe(true);
    expect(said.text).toMatch(/The output was too long; only the first 16 KiB are shown/);
    // What Redis keeps is the capped answer, for minutes.
    const jobs = await p.engineJobs(['completed']);
    const inspected = jobs.find((j) => j.data.kind === 'lab' && j.data.lab.kind === 'inspect');
    expect(inspected).toBeDefined();
    const redis = new Redis(p.config.REDIS_URL);
    try {
      const stored = await redis.hget(`${p.config.SENSEI_PREFIX}:${inspected!.queueName}:${inspected!.id}`, 'returnvalue');
      expect(Buffer.byteLength(stored ?? '')).toBeLessThan(CAP * 1.3 + 2_048);
    } finally {
      redis.disconnect();
    }
    expect(inspected!.opts.removeOnComplete).toMatchObject({ age: RESULT_KEEP_S });
    expect(RESULT_KEEP_S).toBeLessThanOrEqual(600);
  });

  it('refuses, in the tutor\'s words, a command naming more than 10 containers', async () => {
    const said = await p.say('many', `docker stats --no-stream ${Array.from({ length: 11 }, (_, i) => `c${i}`).join(' ')}`);
    expect(said.result).toBeUndefined();
    expect(said.text).toMatch(/names 11 containers; the lab answers for up to 10 at once/);
  });
});

describe.runIf(gate.run)('Redis near its maxmemory', () => {
  let redis: PrivateRedis;
  let p: TutorPipeline | undefined;
  beforeAll(async () => {
    assertServices(gate.probe);
    redis = await privateRedis({ maxmemory: '8mb' });
  });
  afterAll(async () => {
    await p?.close();
    await redis?.close();
  });

  it('refuses a new command kindly instead of failing on Redis\'s OOM error', async () => {
    p = await startTutorPipeline({ REDIS_URL: redis.url });
    expect((await p.say('roomy', '$ echo fits')).result?.stdout).toBe('fits\n');
    const filler = new Redis(redis.url);
    try {
      // Up to 92% of maxmemory: past the app's 90%, still short of Redis's own refusal.
      const used = async () => Number(/^used_memory:(\d+)/m.exec(await filler.info('memory'))?.[1]);
      for (let i = 0; (await used()) < 8 * 1024 * 1024 * 0.92; i++) await filler.set(`filler-${i}`, 'x'.repeat(32 * 1024));
    } finally {
      filler.disconnect();
    }
    await new Promise((r) => setTimeout(r, 1_100));
    const said = await p.say('roomy', '$ echo no-room');
    expect(said.result).toBeUndefined();
    expect(said.text).toMatch(/almost out of room for waiting commands. Please send it again in a few minutes/);
  }, 120_000);
});

describe.runIf(gate.run)('the bound on waiting commands', () => {
  it('holds when 100 learners type at once: at most QUEUE_MAX_WAITING wait, the rest hear "the queue is full"', async () => {
    const config = testConfig({ QUEUE_MAX_WAITING: '50' });
    // No worker: every admitted command stays waiting.
    const queue = await CommandQueue.create(config, silentLogger);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const tutor = new Tutor({
      curriculum: await loadCurriculum(LESSONS_DIR),
      store: new MemoryLearnerStore(),
      // One-shot, on the shared queue: with no worker there is no engine to place a session on.
      run: (learner, command, _mode, runOpts) => queue.submit(learner, command, 'oneshot', runOpts),
      runLab: (learner, command, runOpts) => queue.runLab(learner, command, runOpts),
      clearLab: (learner) => queue.clearLab(learner),
      defaultLang: 'en',
    });
    try {
      const answers = Array.from({ length: 100 }, (_, i) =>
        tutor.handle(`crowd-${i}`, { type: 'command', command: 'echo hi' }).then((r) => renderForTerminal(r, { color: false }).text),
      );
      const refused = await new Promise<number>((resolve) => {
        let settled = 0;
        let full = 0;
        for (const answer of answers) {
          void answer.then((text) => {
            if (/the queue is full \(50 waiting\)/.test(text)) full += 1;
            settled += 1;
            if (settled === 50) setTimeout(() => resolve(full), 2_000);
          });
        }
      });
      expect(refused).toBe(50);
      const waiting = await queue.queue.getJobCounts('waiting');
      expect(waiting.waiting).toBe(50);
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      await queue.queue.obliterate({ force: true });
      await queue.close();
    }
  }, 120_000);
});
