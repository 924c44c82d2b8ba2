import { parseLabLine } from '../../src/lab/parse.js';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../src/lessons/index.js';
import { formatVerdictTable, selfTestLessons } from '../../src/lessons/self-test.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { assertServices, integrationGate } from '../helpers/services.js';

const gate = await integrationGate();

/** `sensei lessons check` in CI: every step's command, run for real, lands on an expected output. */
describe.runIf(gate.run)('every lesson step against the real sandbox', () => {
  let p: Pipeline;
  beforeAll(async () => {
    assertServices(gate.probe);
    // The OOM steps push 300 MB through a pipe: seconds on a quiet machine, more on a busy one.
    p = await startPipeline({ POOL_SIZE: '2', SANDBOX_TIMEOUT_MS: '30000', WORKER_CONCURRENCY: '3' });
  });
  afterAll(async () => p?.close());

  it('passes on this host', async () => {
    const curriculum = await loadCurriculum(fileURLToPath(new URL('../../lessons', import.meta.url)));
    const verdicts = await selfTestLessons(curriculum, async (learner, command, mode, profile) => {
      if (mode !== 'lab') return (await p.queue.submit(learner, command, mode, { profile })).result;
      const parsed = parseLabLine(command);
      if (!parsed.ok) throw new Error(`the lab refuses ${command}: ${parsed.refusal.code}`);
      return (await p.queue.runLab(learner, parsed.command)).result;
    }, {
      learnerPrefix: 'selftest',
    });
    const failed = verdicts.filter((v) => v.status === 'fail');
    expect(failed, formatVerdictTable(failed)).toEqual([]);
    expect(verdicts.filter((v) => v.status === 'pass').length).toBeGreaterThanOrEqual(48);
  }, 400_000);
});
