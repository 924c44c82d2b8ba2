import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocker } from '../../src/sandbox/docker-client.js';
import { createSandboxContainer } from '../../src/sandbox/runner.js';
import { LEARNER_USER } from '../../src/sandbox/spec.js';
import { sandboxLimits } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { appContainers, assertServices, integrationGate } from '../helpers/services.js';

const gate = await integrationGate();

describe.runIf(gate.run)('the reaper', () => {
  let p: Pipeline;
  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startPipeline({ SESSION_IDLE_TTL_MS: '10000', POOL_SIZE: '1' });
    await p.worker.sandbox.whenPoolFull();
  });
  afterAll(async () => p?.close());

  it('removes containers past their lifetime and those of vanished workers, but keeps live ones', async () => {
    const ctx = {
      docker: createDocker(p.config),
      image: p.config.SANDBOX_IMAGE,
      limits: sandboxLimits(p.config),
      app: p.config.SENSEI_PREFIX,
      seccomp: {},
      log: silentLogger,
    };
    const expired = await createSandboxContainer(
      { ...ctx, workerId: p.worker.id },
      { kind: 'oneshot', learnerId: 'x', cmd: ['true'], user: LEARNER_USER, lifetimeMs: -1 },
    );
    const orphan = await createSandboxContainer(
      { ...ctx, workerId: 'a-worker-that-crashed' },
      { kind: 'oneshot', learnerId: 'x', cmd: ['true'], user: LEARNER_USER, lifetimeMs: 60_000 },
    );
    const removed = await p.worker.reap();
    expect(removed).toBe(2);
    const left = (await appContainers(p.config)).map((c) => c.Id);
    expect(left).not.toContain(expired.id);
    expect(left).not.toContain(orphan.id);
    // The live worker's warm container stays.
    expect(left).toHaveLength(1);
  });

  it('removes a session container once the session has been idle past its TTL', async () => {
    await p.run('echo hi > ~/x', { learner: 'idle-one', mode: 'session' });
    await p.worker.sandbox.whenPoolFull();
    expect(await p.worker.reap()).toBe(0);
    const before = (await appContainers(p.config)).length;
    await new Promise((r) => setTimeout(r, 10_500));
    expect(await p.worker.reap()).toBe(1);
    expect((await appContainers(p.config)).length).toBe(before - 1);
    // The learner simply gets a fresh session next time.
    const next = await p.run('cat ~/x', { learner: 'idle-one', mode: 'session' });
    expect(next.newSession).toBe(true);
    expect(next.result.stderr).toMatch(/No such file/);
  }, 30_000);
});
