import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxLimits, type Config } from '../../src/config.js';
import { createDocker } from '../../src/sandbox/docker-client.js';
import { killLearnerProcesses } from '../../src/sandbox/runner.js';
import { SessionCleanups } from '../../src/sandbox/session-cleanup.js';
import { hardenedContainerSpec, KEEPER_USER, LEARNER_USER } from '../../src/sandbox/spec.js';
import { redisKeys } from '../../src/store/redis.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { assertServices, integrationGate, testConfig } from '../helpers/services.js';

const gate = await integrationGate();

/** Runs a shell line as the learner in the container and returns its stdout. */
async function asLearner(container: Docker.Container, line: string): Promise<string> {
  const exec = await container.exec({ Cmd: ['/bin/sh', '-c', line], User: LEARNER_USER, AttachStdout: true, AttachStderr: true });
  const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Duplex;
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', resolve);
    stream.once('error', reject);
  });
  // Multiplexed frames: an 8-byte header, then the payload.
  const all = Buffer.concat(chunks);
  let out = '';
  for (let at = 0; at + 8 <= all.length; at += 8 + all.readUInt32BE(at + 4)) {
    if (all[at] === 1) out += all.subarray(at + 8, at + 8 + all.readUInt32BE(at + 4)).toString();
  }
  return out;
}

const LEFTOVER = 'sleep 317';
const leaveBehind = (c: Docker.Container) => asLearner(c, `nohup ${LEFTOVER} >/dev/null 2>&1 &`);
const leftovers = async (c: Docker.Container) => (await asLearner(c, 'ps -e -o args=')).split('\n').filter((l) => l === LEFTOVER).length;

describe.runIf(gate.run)('the clean-up after a session command', () => {
  let config: Config;
  let docker: Docker;
  let redis: Redis;
  let container: Docker.Container;

  beforeAll(async () => {
    assertServices(gate.probe);
    config = testConfig();
    docker = createDocker(config);
    redis = new Redis(config.REDIS_URL);
    const spec = hardenedContainerSpec({
      image: config.SANDBOX_IMAGE,
      limits: sandboxLimits(config),
      cmd: ['sleep', 'infinity'],
      user: KEEPER_USER,
      labels: { app: config.SENSEI_PREFIX, workerId: 'test', learnerId: '', kind: 'pool', expiresAt: Date.now() + 120_000 },
    });
    // A container whose own environment puts a directory the learner can write first on the PATH.
    container = await docker.createContainer({ ...spec, Env: ['PATH=/tmp:/usr/local/bin:/usr/bin:/bin', 'HOME=/tmp'] });
    await container.start();
  });
  afterAll(async () => {
    await container?.remove({ force: true });
    redis?.disconnect();
  });

  it("kills what the learner left running by absolute path, never through a `kill` on the learner's PATH", async () => {
    await asLearner(container, 'printf "#!/bin/sh\\nexit 0\\n" > /tmp/kill; chmod +x /tmp/kill; printf "#!/bin/sh\\nexit 0\\n" > /tmp/env; chmod +x /tmp/env');
    await leaveBehind(container);
    expect(await leftovers(container)).toBe(1);
    await killLearnerProcesses(container);
    expect(await leftovers(container)).toBe(0);
  });

  it("makes a session's next command wait for this worker's clean-up, and deletes the marker after it", async () => {
    const keys = redisKeys(config.SENSEI_PREFIX);
    const cleanups = new SessionCleanups(redis, keys, 10_000);
    await leaveBehind(container);
    let finish!: () => void;
    const slowCleanup = new Promise<void>((resolve) => (finish = resolve)).then(() => killLearnerProcesses(container));
    const marker = cleanups.newMarker();
    const marked = cleanups.mark('s1', marker);
    cleanups.track('s1', slowCleanup, marked, marker);
    await marked;
    expect(await redis.exists(keys.sessionCleanup('s1'))).toBe(1);
    let settled = false;
    const next = cleanups.settle('s1', container, true).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(settled).toBe(false);
    finish();
    await next;
    expect(await leftovers(container)).toBe(0);
    expect(await redis.exists(keys.sessionCleanup('s1'))).toBe(0);
  });

  it("leaves a later command's marker alone when an earlier clean-up ends after it was set", async () => {
    const keys = redisKeys(config.SENSEI_PREFIX);
    const cleanups = new SessionCleanups(redis, keys, 10_000);
    let finish!: () => void;
    const slowCleanup = new Promise<void>((resolve) => (finish = resolve));
    const first = cleanups.newMarker();
    cleanups.track('s3', slowCleanup, cleanups.mark('s3', first), first);
    const second = cleanups.newMarker();
    await cleanups.mark('s3', second);
    finish();
    await cleanups.drain();
    expect(await redis.get(keys.sessionCleanup('s3'))).toBe(second);
  });

  it("cleans up itself when the marker says another worker's clean-up may still run", async () => {
    const cleanups = new SessionCleanups(redis, redisKeys(config.SENSEI_PREFIX), 10_000);
    await leaveBehind(container);
    await cleanups.settle('s2', container, false);
    expect(await leftovers(container)).toBe(1);
    await cleanups.settle('s2', container, true);
    expect(await leftovers(container)).toBe(0);
  });
});

describe.runIf(gate.run)('session commands through the pipeline', () => {
  let p: Pipeline;
  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startPipeline({ POOL_SIZE: '1' });
  });
  afterAll(async () => p?.close());

  it('kills a background process of a command that killed its own wrapper, before the next command runs', async () => {
    // The wrapper's own `kill -1` never runs: only the worker's clean-up from outside can end the sleep.
    const first = await p.run(`nohup ${LEFTOVER} >/dev/null 2>&1 & kill -KILL $(ps -o ppid= -p $(ps -o ppid= -p $$))`, { learner: 'escape', mode: 'session' });
    expect(first.result.stderr).not.toMatch(/SENSEI/);
    const second = await p.run('ps -e -o args=', { learner: 'escape', mode: 'session' });
    expect(second.newSession).toBe(false);
    expect(second.result.stdout.split('\n')).not.toContain(LEFTOVER);
  });
});
