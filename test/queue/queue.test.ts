import { createServer, connect, type Server, type Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, silentLogger, type Logger } from '../../src/log.js';
import { SubmitError } from '../../src/queue/errors.js';
import { Queue } from 'bullmq';
import { engineQueueName, type Progress } from '../../src/queue/jobs.js';
import { LearnerClaims } from '../../src/queue/claims.js';
import { CommandQueue, WAITER_TTL_MS } from '../../src/queue/producer.js';
import { startWorker, type RunningWorker } from '../../src/worker/start.js';
import { createRedis, redisKeys, warnUnlessNoEviction } from '../../src/store/redis.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { assertServices, integrationGate, testConfig } from '../helpers/services.js';

const gate = await integrationGate();

async function refusal(p: Promise<unknown>): Promise<SubmitError['refusal']> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SubmitError) return err.refusal;
    throw err;
  }
  throw new Error('expected the submission to be refused');
}

describe.runIf(gate.run)('the producer API', () => {
  const open: Pipeline[] = [];
  const pipeline = async (o: Parameters<typeof startPipeline>[0] = {}) => {
    const p = await startPipeline(o);
    open.push(p);
    return p;
  };
  beforeAll(() => assertServices(gate.probe));
  afterEach(async () => {
    await Promise.all(open.splice(0).map((p) => p.close()));
  });

  it('refuses bad input clearly and queues nothing', async () => {
    const p = await pipeline();
    expect(await refusal(p.run(''))).toMatchObject({ code: 'invalid-command', reason: 'empty' });
    expect(await refusal(p.run('   \n '))).toMatchObject({ code: 'invalid-command', reason: 'empty' });
    expect(await refusal(p.run('x'.repeat(2001)))).toMatchObject({ code: 'invalid-command', reason: 'too-long', limit: 2000 });
    expect(await refusal(p.run('echo a\u0000b'))).toMatchObject({ code: 'invalid-command', reason: 'control-characters' });
    expect(await refusal(p.run('echo hi', { learner: 'bad id with spaces' }))).toEqual({ code: 'invalid-learner' });
    const counts = await p.queue.queue.getJobCounts();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    // Unicode is fine, and the learner is not blocked by the refusals.
    const { result } = await p.run("echo 'コンテナ 🐳'");
    expect(result.stdout).toBe('コンテナ 🐳\n');
  });

  it('answers "still running" to a second command from the same learner (single flight)', async () => {
    const p = await pipeline();
    const first = p.run('sleep 1; echo first', { learner: 'eager' });
    await new Promise((r) => setTimeout(r, 100));
    expect(await refusal(p.run('echo second', { learner: 'eager' }))).toEqual({ code: 'busy' });
    expect((await first).result.stdout).toBe('first\n');
    // Once the first is done, the learner can go on.
    expect((await p.run('echo third', { learner: 'eager' })).result.stdout).toBe('third\n');
  });

  it('takes over a learner left in flight by a producer that died, and is busy while a live one waits', async () => {
    const p = await pipeline();
    const keys = redisKeys(p.config.SENSEI_PREFIX);
    const redis = createRedis(p.config.REDIS_URL, 'producer', silentLogger);
    try {
      // A job whose producer is gone: its in-flight mark is still there, its waiter mark has lapsed.
      await redis.set(keys.inflight('orphan'), 'ghost-job', 'PX', 15_000);
      expect((await p.run('echo taken-over', { learner: 'orphan' })).result.stdout).toBe('taken-over\n');
      // A holder whose producer still waits (its waiter mark is there) keeps the learner busy.
      await redis.set(keys.waiter('live-job'), '1', 'PX', 15_000);
      await redis.set(keys.inflight('orphan'), 'live-job', 'PX', 15_000);
      expect(await refusal(p.run('echo second', { learner: 'orphan' }))).toEqual({ code: 'busy' });
      expect(await redis.get(keys.inflight('orphan'))).toBe('live-job');
    } finally {
      redis.disconnect();
    }
  });

  it('renews every waiting job\'s marks together, and stops renewing a job once it is no longer waited for', async () => {
    const config = testConfig();
    const keys = redisKeys(config.SENSEI_PREFIX);
    const redis = createRedis(config.REDIS_URL, 'producer', silentLogger);
    const claims = new LearnerClaims(redis, keys, config, 60_000);
    try {
      for (const [learner, job] of [['ann', 'job-a'], ['bob', 'job-b']]) {
        await redis.set(keys.inflight(learner!), job!, 'PX', 5_000);
        await redis.set(keys.waiter(job!), '1', 'PX', 5_000);
      }
      const stopA = claims.keepWaiting('ann', 'job-a');
      const stopB = claims.keepWaiting('bob', 'job-b');
      stopA();
      // After one renewal (every 3 s) the job still waited for has its marks back at WAITER_TTL_MS; the other's run down.
      await new Promise((r) => setTimeout(r, 3_400));
      expect(await redis.pttl(keys.waiter('job-b'))).toBeGreaterThan(WAITER_TTL_MS - 1_500);
      expect(await redis.pttl(keys.inflight('bob'))).toBeGreaterThan(WAITER_TTL_MS - 1_500);
      expect(await redis.pttl(keys.waiter('job-a'))).toBeLessThan(2_000);
      expect(await redis.pttl(keys.inflight('ann'))).toBeLessThan(2_000);
      stopB();
    } finally {
      await redis.del(keys.inflight('ann'), keys.waiter('job-a'), keys.inflight('bob'), keys.waiter('job-b'));
      redis.disconnect();
    }
  });

  it('applies the per-learner cooldown and says how long to wait', async () => {
    // A burst of 2 at once, then one per 30 s (long enough that a slow machine cannot refill it mid-test).
    const p = await pipeline({ LEARNER_COOLDOWN_MS: '30000', LEARNER_BURST: '2' });
    await p.run('true', { learner: 'quick' });
    await p.run('true', { learner: 'quick' });
    const r = await refusal(p.run('true', { learner: 'quick' }));
    expect(r.code).toBe('cooldown');
    expect(r.code === 'cooldown' && r.retryInMs).toBeGreaterThan(1000);
    // Other learners are not affected.
    await p.run('true', { learner: 'someone-else' });
  });

  it('refuses with a clear message when the queue is full', async () => {
    const config = testConfig({ QUEUE_MAX_WAITING: '1' });
    // No worker: jobs stay waiting.
    const queue = await CommandQueue.create(config, silentLogger);
    try {
      const waiting = queue.submit('a', 'true', 'oneshot');
      waiting.catch(() => {});
      await new Promise((r) => setTimeout(r, 200));
      const r = await refusal(queue.submit('b', 'true', 'oneshot'));
      expect(r).toEqual({ code: 'queue-full', limit: 1 });
      expect(new SubmitError(r).message).toMatch(/queue is full/);
      // A session command's engine is looked up beside the claim: the claim's refusal is the answer, nothing is placed.
      expect(await refusal(queue.submit('c', 'true', 'session'))).toEqual({ code: 'queue-full', limit: 1 });
      expect(await queue.engines.placementOf('c')).toBeUndefined();
    } finally {
      await queue.queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('reports progress: queued with position, started, finished', async () => {
    const p = await pipeline({ WORKER_CONCURRENCY: '1', GLOBAL_CONCURRENCY: '1' });
    const seen: Progress[] = [];
    const blocker = p.queue.submit('blocker', 'sleep 1', 'oneshot');
    await new Promise((r) => setTimeout(r, 150));
    const { result } = await p.queue.submit('watcher', 'echo done', 'oneshot', { onProgress: (x) => seen.push(x) });
    await blocker;
    expect(result.stdout).toBe('done\n');
    expect(seen[0]).toEqual({ stage: 'queued', position: 1 });
    expect(seen.map((s) => s.stage)).toEqual(['queued', 'started', 'finished']);
  });

  it('does not retry a command that failed on its own (non-zero exit is a result)', async () => {
    const p = await pipeline();
    const { result } = await p.run('echo nope >&2; exit 42', { learner: 'failing' });
    expect(result.exitCode).toBe(42);
    const [job] = await p.queue.queue.getJobs(['completed']);
    expect(job?.attemptsMade).toBe(1);
  });

  it('answers a burst of 50 submissions from 10 learners, keeping single flight and the concurrency cap', async () => {
    const p = await pipeline({ WORKER_CONCURRENCY: '8', GLOBAL_CONCURRENCY: '3', QUEUE_MAX_WAITING: '100' });
    const submissions = Array.from({ length: 50 }, (_, i) => {
      const learner = `burst-${i % 10}`;
      return p
        .run(`sleep 0.3; echo ${learner}`, { learner })
        .then((r) => ({ learner, ok: true as const, stdout: r.result.stdout }))
        .catch((err: unknown) => ({ learner, ok: false as const, code: err instanceof SubmitError ? err.refusal.code : String(err) }));
    });
    const answers = await Promise.all(submissions);
    expect(answers).toHaveLength(50);
    for (let l = 0; l < 10; l++) {
      const mine = answers.filter((a) => a.learner === `burst-${l}`);
      const ran = mine.filter((a) => a.ok);
      expect(ran).toHaveLength(1);
      expect(ran[0]).toMatchObject({ stdout: `burst-${l}\n` });
      expect(mine.filter((a) => !a.ok).every((a) => !a.ok && a.code === 'busy')).toBe(true);
    }
    const jobs = await p.queue.queue.getJobs(['completed']);
    expect(jobs).toHaveLength(10);
    const spans = jobs.map((j) => [j.processedOn ?? 0, j.finishedOn ?? 0] as const);
    const maxOverlap = Math.max(...spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length));
    expect(maxOverlap).toBeLessThanOrEqual(3);
    expect(maxOverlap).toBeGreaterThanOrEqual(2);
  });
});

describe.runIf(gate.run)('infrastructure faults', () => {
  let worker: RunningWorker | undefined;
  let queue: CommandQueue | undefined;
  let proxy: Server | undefined;
  const sockets = new Set<Socket>();
  const dir = mkdtempSync(join(tmpdir(), 'sensei-proxy-'));
  const proxyPath = join(dir, 'docker.sock');

  /** A pass-through to the real engine that the test can cut, as if the engine went away. */
  const openProxy = () =>
    new Promise<void>((resolve) => {
      proxy = createServer((client) => {
        const upstream = connect('/var/run/docker.sock');
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', drop);
        upstream.on('error', drop);
      });
      proxy.listen(proxyPath, resolve);
    });
  const cutProxy = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      proxy?.close(() => resolve());
    });

  beforeAll(() => assertServices(gate.probe));
  afterAll(async () => {
    await queue?.close();
    await worker?.close();
    await cutProxy();
  });

  it('retries a command when the engine is unreachable, then runs it', async () => {
    await openProxy();
    const config = testConfig({ DOCKER_SOCKET: proxyPath, JOB_ATTEMPTS: '4' });
    worker = await startWorker(config, { log: silentLogger, endSessionsOnClose: true });
    queue = await CommandQueue.create(config, silentLogger);
    await cutProxy();
    const pending = queue.submit('patient', 'echo made-it', 'oneshot');
    setTimeout(() => void openProxy(), 1_500);
    const { result } = await pending;
    expect(result.stdout).toBe('made-it\n');
    const [job] = await queue.queue.getJobs(['completed']);
    expect(job?.attemptsMade).toBeGreaterThanOrEqual(2);
  });
});

describe.runIf(gate.run)('Redis settings', () => {
  beforeAll(() => assertServices(gate.probe));

  it('warns when maxmemory-policy is not noeviction', async () => {
    const config = testConfig();
    const redis = createRedis(config.REDIS_URL, 'producer');
    const warnings: string[] = [];
    const log: Logger = { ...createLogger('silent'), warn: (m) => warnings.push(m) };
    const [, before] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    try {
      await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
      expect(await warnUnlessNoEviction(redis, log)).toBe('allkeys-lru');
      expect(warnings.join()).toMatch(/noeviction/);
      warnings.length = 0;
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
      expect(await warnUnlessNoEviction(redis, log)).toBe('noeviction');
      expect(warnings).toHaveLength(0);
    } finally {
      await redis.config('SET', 'maxmemory-policy', before);
      redis.disconnect();
    }
  });
});

describe.runIf(gate.run)('forgetting a learner', () => {
  let p: Pipeline;
  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startPipeline({ POOL_SIZE: '0', REAP_INTERVAL_MS: '60000' });
  });
  afterAll(async () => p?.close());

  it('removes their jobs and session records, and the reaper then removes their container', async () => {
    await p.run('echo secret-command', { learner: 'leaving', mode: 'session' });
    await p.run('echo other', { learner: 'staying' });
    // A session command went to the queue of the learner's engine; a one-shot one to the shared queue.
    const redis = createRedis(p.config.REDIS_URL, 'producer');
    const engineQueue = new Queue(engineQueueName(p.worker.engine), { connection: redis, prefix: p.config.SENSEI_PREFIX });
    const finished = async () => [...(await p.queue.queue.getJobs(['completed'])), ...(await engineQueue.getJobs(['completed']))];
    try {
      expect((await finished()).some((j) => j.data.learnerId === 'leaving')).toBe(true);
      expect(await p.queue.engines.placedOn('leaving')).toBe(p.worker.engine);
      await p.queue.forgetLearner('leaving');
      const after = await finished();
      expect(after.some((j) => j.data.learnerId === 'leaving')).toBe(false);
      expect(after.some((j) => j.data.learnerId === 'staying')).toBe(true);
      expect(await p.queue.engines.placedOn('leaving')).toBeUndefined();
      expect(await p.worker.reap()).toBe(1);
    } finally {
      await engineQueue.close();
      redis.disconnect();
    }
  });
});
