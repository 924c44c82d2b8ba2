// The warm pool refills in idle time only: a container starting beside a running command slows it, and back to
// back a cold run costs the engine less than an exec into a pooled container plus its replacement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { appContainers, assertServices, integrationGate } from '../helpers/services.js';

const gate = await integrationGate();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(gate.run)('the warm pool', () => {
  let p: Pipeline;
  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startPipeline({ POOL_SIZE: '2', WORKER_CONCURRENCY: '2' });
    await p.worker.sandbox.whenPoolFull(30_000);
  }, 60_000);
  afterAll(async () => p?.close());

  it('does not refill while a command runs, and fills again once none does', async () => {
    const long = p.run('sleep 2.5; echo long-done', { learner: 'pool-long' });
    // Both pooled containers are taken: the long command's, then the short one's.
    await sleep(300);
    const short = await p.run('echo short-done', { learner: 'pool-short' });
    expect(short.result.stdout).toBe('short-done\n');
    // The short command answered while the long one still runs: no refill starts beside it. The engine holds the
    // two used containers at most (the short one's is being removed), never a new one.
    let most = 0;
    for (let i = 0; i < 8; i++) {
      most = Math.max(most, (await appContainers(p.config)).length);
      await sleep(100);
    }
    expect(most).toBeLessThanOrEqual(2);
    expect(p.worker.sandbox.warmCount).toBe(0);
    expect((await long).result.stdout).toBe('long-done\n');
    await p.worker.sandbox.whenPoolFull(30_000);
    expect(p.worker.sandbox.warmCount).toBe(2);
  }, 60_000);
});
