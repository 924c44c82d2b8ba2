// Findings 13, 15 and 17, through `sensei worker`, `sensei run` and the chat: a re-run after a killed worker
// first removes the first run's container, a worker told to stop while Redis is down still exits and takes its
// pool with it, and a missing sandbox image is said once, plainly, with how to build it.
import { spawn, type ChildProcess } from 'node:child_process';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import type { Progress } from '../../src/queue/jobs.js';
import { CommandQueue } from '../../src/queue/producer.js';
import { startWorker, type RunningWorker } from '../../src/worker/start.js';
import { privateRedis, type PrivateRedis } from '../helpers/redis-server.js';
import { appContainers, assertServices, eventually, integrationGate, removeAppContainers, testConfig } from '../helpers/services.js';

const gate = await integrationGate();
const docker = new Docker({ socketPath: '/var/run/docker.sock' });

function startWorkerProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['bin/sensei.js', 'worker'], { env: { ...process.env, SENSEI_LOG: 'error', ...env }, stdio: 'ignore' });
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | null | 'timeout'> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return Promise.race([new Promise<number | null>((r) => child.once('exit', (code) => r(code))), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs))]);
}

describe.runIf(gate.run)('a worker killed mid-job', () => {
  const config = testConfig({ WORKER_LOCK_MS: '3000', SANDBOX_TIMEOUT_MS: '25000', REAP_INTERVAL_MS: '600000' });
  let child: ChildProcess | undefined;
  let rescuer: RunningWorker | undefined;
  let queue: CommandQueue | undefined;
  beforeAll(() => assertServices(gate.probe));
  afterAll(async () => {
    child?.kill('SIGKILL');
    await queue?.close();
    await rescuer?.close();
    await removeAppContainers(config);
  });

  it('has its command re-run only after the first run\'s container is gone, so it never runs twice', async () => {
    child = startWorkerProcess({ SENSEI_PREFIX: config.SENSEI_PREFIX, WORKER_LOCK_MS: '3000', SANDBOX_TIMEOUT_MS: '25000', POOL_SIZE: '0', REAP_INTERVAL_MS: '600000' });
    queue = await CommandQueue.create(config, silentLogger);
    await eventually(async () => (await queue!.workerCount()) >= 1 || undefined, 30_000);
    let startedOnce!: () => void;
    const started = new Promise<void>((r) => (startedOnce = r));
    const pending = queue.submit('twice', 'sleep 15; echo finished', 'oneshot', { onProgress: (p: Progress) => p.stage === 'started' && startedOnce() });
    pending.catch(() => {});
    await started;
    const [orphan] = await eventually(async () => {
      const list = await appContainers(config, 'sensei.kind=oneshot');
      return list.length === 1 ? list : undefined;
    }, 20_000);
    // Watch how the first run's container ends: finished on its own (exit 0) would be the command run twice.
    const events = (await docker.getEvents({ filters: { container: [orphan!.Id], event: ['die'] } })) as NodeJS.ReadableStream;
    const died = new Promise<string>((resolve) => events.on('data', (d: Buffer) => resolve(String((JSON.parse(d.toString()) as { Actor: { Attributes: { exitCode: string } } }).Actor.Attributes.exitCode))));
    child.kill('SIGKILL');
    rescuer = await startWorker(config, { log: silentLogger, poolSize: 0 });
    const { result } = await pending;
    expect(result.stdout).toBe('finished\n');
    expect(await died).not.toBe('0');
    (events as unknown as { destroy(): void }).destroy();
    expect((await appContainers(config)).some((c) => c.Id === orphan!.Id)).toBe(false);
  }, 120_000);
});

describe.runIf(gate.run)('a worker told to stop while Redis is down', () => {
  let redis: PrivateRedis;
  let child: ChildProcess | undefined;
  const config = testConfig();
  beforeAll(async () => {
    assertServices(gate.probe);
    redis = await privateRedis();
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await redis?.close();
    await removeAppContainers(config);
  });

  it('exits within a bound and removes its pool containers', async () => {
    child = startWorkerProcess({ SENSEI_PREFIX: config.SENSEI_PREFIX, REDIS_URL: redis.url, POOL_SIZE: '2' });
    await eventually(async () => (await appContainers(config, 'sensei.kind=pool')).filter((c) => c.State === 'running').length === 2 || undefined, 60_000, 250);
    await redis.kill();
    await new Promise((r) => setTimeout(r, 500));
    const stopping = Date.now();
    child.kill('SIGTERM');
    expect(await exitOf(child, 60_000)).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(45_000);
    expect(await appContainers(config, 'sensei.kind=pool')).toHaveLength(0);
  }, 150_000);
});

describe.runIf(gate.run)('a sandbox image that went missing', () => {
  const config = testConfig();
  const image = `${config.SENSEI_PREFIX}/sandbox:gone`;
  let worker: RunningWorker | undefined;
  beforeAll(async () => {
    assertServices(gate.probe);
    await docker.getImage(config.SANDBOX_IMAGE).tag({ repo: `${config.SENSEI_PREFIX}/sandbox`, tag: 'gone' });
  });
  afterAll(async () => {
    await worker?.close();
    await docker.getImage(image).remove().catch(() => {});
  });

  it('is reported once, naming the image and the command that builds it', async () => {
    worker = await startWorker({ ...config, SANDBOX_IMAGE: image }, { log: silentLogger, poolSize: 0 });
    // Untagging takes the image away from under the running worker.
    await docker.getImage(image).remove();
    // Spawned without blocking: the worker answering it runs in this process.
    const run = spawn(process.execPath, ['bin/sensei.js', 'run', '--learner', 'imageless', '--', 'echo hi'], {
      env: { ...process.env, SENSEI_PREFIX: config.SENSEI_PREFIX, SANDBOX_IMAGE: image, SENSEI_LOG: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    run.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await exitOf(run, 60_000)).toBe(1);
    const said = stderr.trim();
    expect(said).toContain(`The sandbox image ${image} is not on this Docker engine. Build it with \`npm run image\``);
    expect(said.match(/could not be run/gi) ?? []).toHaveLength(1);
    expect(said).not.toMatch(/no such container|HTTP code 404/i);
  }, 90_000);
});
