// A worker checks, as it takes a job, that someone still waits for it. The check runs beside the container's
// preparation (off the command's path), but the learner's command never starts before it has passed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { engineQueueName, type JobData, type JobResult } from '../../src/queue/jobs.js';
import { createRedis } from '../../src/store/redis.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { appContainers, assertServices, eventually, integrationGate } from '../helpers/services.js';

const gate = await integrationGate();

describe.runIf(gate.run)('the start check of a job', () => {
  let p: Pipeline;
  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startPipeline({ POOL_SIZE: '1' });
    await p.worker.sandbox.whenPoolFull(30_000);
  }, 60_000);
  afterAll(async () => {
    await p?.close();
    if (p) expect(await appContainers(p.config)).toHaveLength(0);
  });

  /** Adds a job as a producer would, but with no producer waiting for it (no waiter mark). */
  async function orphan(queueName: string, jobId: string, mode: 'oneshot' | 'session'): Promise<string | undefined> {
    const redis = createRedis(p.config.REDIS_URL, 'producer');
    const queue = new Queue<JobData, JobResult>(queueName, { connection: redis, prefix: p.config.SENSEI_PREFIX });
    try {
      const data: JobData = { kind: 'command', command: 'echo ran > ~/proof', mode, profile: 'default', learnerId: 'orphaned', submittedAt: Date.now(), waiter: true };
      await queue.add('run', data, { jobId, attempts: 1 });
      return await eventually(async () => {
        const job = await queue.getJob(jobId);
        return (await job?.isFailed()) ? job?.failedReason : undefined;
      }, 30_000, 100);
    } finally {
      await queue.close();
      redis.disconnect();
    }
  }

  it('does not run a session command nobody waits for, in a new session or an open one', async () => {
    await p.queue.engines.place('orphaned', { aliveMs: p.config.ENGINE_DEAD_MS });
    const reason = await orphan(engineQueueName(p.worker.engine), 'orphan-session', 'session');
    expect(reason).toMatch(/nobody waits for this command/);
    const after = await p.run('cat ~/proof 2>/dev/null || echo no-proof', { learner: 'orphaned', mode: 'session' });
    expect(after.newSession).toBe(true);
    expect(after.result.stdout).toBe('no-proof\n');
    // In the session that exists now, the exec is prepared beside the check, and never started.
    expect(await orphan(engineQueueName(p.worker.engine), 'orphan-session-2', 'session')).toMatch(/nobody waits for this command/);
    const again = await p.run('cat ~/proof 2>/dev/null || echo no-proof', { learner: 'orphaned', mode: 'session' });
    expect(again.newSession).toBe(false);
    expect(again.result.stdout).toBe('no-proof\n');
  }, 60_000);

  it('does not run a one-shot command nobody waits for, and the next one runs as usual', async () => {
    const reason = await orphan('commands', 'orphan-oneshot', 'oneshot');
    expect(reason).toMatch(/nobody waits for this command/);
    expect((await p.run('echo still-fine', { learner: 'orphaned-2' })).result.stdout).toBe('still-fine\n');
  }, 60_000);
});
