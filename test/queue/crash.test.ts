import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { SubmitError } from '../../src/queue/errors.js';
import type { Progress } from '../../src/queue/jobs.js';
import { CommandQueue } from '../../src/queue/producer.js';
import { startWorker, type RunningWorker } from '../../src/worker/start.js';
import { appContainers, assertServices, eventually, integrationGate, testConfig } from '../helpers/services.js';

const gate = await integrationGate();

describe.runIf(gate.run)('a worker killed mid-job', () => {
  const config = testConfig({ WORKER_LOCK_MS: '3000', REAP_INTERVAL_MS: '1000', SANDBOX_TIMEOUT_MS: '8000' });
  let child: ChildProcess | undefined;
  let rescuer: RunningWorker | undefined;
  let queue: CommandQueue | undefined;

  beforeAll(() => assertServices(gate.probe));
  afterAll(async () => {
    child?.kill('SIGKILL');
    await queue?.close();
    await rescuer?.close();
  });

  it('has its job recovered by another worker, and its container reaped', async () => {
    // A separate worker process, as `sensei worker` runs in production.
    child = spawn(process.execPath, ['bin/sensei.js', 'worker'], {
      env: {
        ...process.env,
        SENSEI_PREFIX: config.SENSEI_PREFIX,
        WORKER_LOCK_MS: '3000',
        SANDBOX_TIMEOUT_MS: '8000',
        POOL_SIZE: '0',
        SENSEI_LOG: 'error',
      },
      stdio: 'ignore',
    });
    queue = await CommandQueue.create(config, silentLogger);
    await eventually(async () => (await queue!.workerCount()) >= 1 || undefined, 20_000);

    let startedOnce!: () => void;
    const started = new Promise<void>((r) => (startedOnce = r));
    const pending = queue.submit('survivor', 'sleep 2; echo finished', 'oneshot', {
      onProgress: (p: Progress) => p.stage === 'started' && startedOnce(),
    });
    pending.catch(() => {});
    await started;
    // The dead worker's container is there while its command runs.
    const orphans = await eventually(async () => {
      const list = await appContainers(config, 'sensei.kind=oneshot');
      return list.length === 1 ? list : undefined;
    });
    child.kill('SIGKILL');

    rescuer = await startWorker(config, { log: silentLogger, poolSize: 0, endSessionsOnClose: true });
    let outcome: string;
    try {
      outcome = (await pending).result.stdout;
    } catch (err) {
      // Failing is acceptable only with a clear reason.
      expect(err).toBeInstanceOf(SubmitError);
      outcome = (err as Error).message;
    }
    expect(outcome).toMatch(/^finished\n$|stalled|could not be run/);
    // The orphaned container (its worker's liveness mark expired) is removed by the rescuer's reaper.
    await eventually(
      async () => !(await appContainers(config)).some((c) => c.Id === orphans[0]!.Id) || undefined,
      20_000,
    );
  }, 60_000);
});
