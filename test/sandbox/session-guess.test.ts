import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { CommandQueue } from '../../src/queue/producer.js';
import { createDocker } from '../../src/sandbox/docker-client.js';
import { redisKeys } from '../../src/store/redis.js';
import { startWorker, type RunningWorker } from '../../src/worker/start.js';
import { assertServices, integrationGate, removeAppContainers, testConfig } from '../helpers/services.js';

const gate = await integrationGate();

// A worker creates a session command's exec in the container it last saw the session in, while it reads the
// session's record; the record decides. Two workers on one engine, as when several serve it.
describe.runIf(gate.run)('a session another worker moved', () => {
  const config = testConfig({ POOL_SIZE: '0', REAP_INTERVAL_MS: '600000' });
  let a: RunningWorker | undefined;
  let b: RunningWorker | undefined;
  let queue: CommandQueue | undefined;

  beforeAll(async () => {
    assertServices(gate.probe);
    [a, b] = await Promise.all([startWorker(config, { log: silentLogger, endSessionsOnClose: true }), startWorker(config, { log: silentLogger, endSessionsOnClose: true })]);
    queue = await CommandQueue.create(config, silentLogger);
  });
  afterAll(async () => {
    await queue?.close();
    await Promise.all([a?.close(), b?.close()]);
    await removeAppContainers(config); // The container whose record was dropped is the reaper's, which is off here.
  });

  it('runs in the container the record names, not the one this worker last saw', async () => {
    const first = await a!.sandbox.run('mover', 'echo a > ~/where', 'session');
    expect(first.newSession).toBe(true);
    // The record goes (as /forget does), the old container keeps running until a reaper pass; b starts a new one.
    await queue!.dropSessions('mover');
    const onB = await b!.sandbox.run('mover', 'echo b > ~/where', 'session');
    expect(onB.newSession).toBe(true);
    // a still remembers the old container, which is alive: its guess is wrong, and the record wins.
    const again = await a!.sandbox.run('mover', 'cat ~/where', 'session');
    expect(again.newSession).toBe(false);
    expect(again.result.stdout).toBe('b\n');
  }, 60_000);

  it('starts a new session when the container it last saw is gone and there is no record', async () => {
    await a!.sandbox.run('leaver', 'echo here > ~/mark', 'session');
    await b!.sandbox.endSession('leaver');
    const fresh = await a!.sandbox.run('leaver', 'cat ~/mark 2>/dev/null || echo none', 'session');
    expect(fresh.newSession).toBe(true);
    expect(fresh.sessionLost).toBeUndefined();
    expect(fresh.result.stdout).toBe('none\n');
  }, 60_000);

  it('says the session was lost when the container the record names has died', async () => {
    await a!.sandbox.run('dying', 'echo here > ~/mark', 'session');
    const redis = new Redis(config.REDIS_URL);
    const id = (JSON.parse((await redis.get(redisKeys(config.SENSEI_PREFIX).session('dying')))!) as { containerId: string }).containerId;
    redis.disconnect();
    const docker = createDocker(config);
    await docker.getContainer(id!).kill();
    const after = await a!.sandbox.run('dying', 'cat ~/mark 2>/dev/null || echo none', 'session');
    expect(after.newSession).toBe(true);
    expect(after.sessionLost).toBe(true);
    expect(after.result.stdout).toBe('none\n');
  }, 60_000);
});
