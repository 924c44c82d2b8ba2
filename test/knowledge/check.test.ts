import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_TABLE_NAMES, selfTestCards } from '../../src/knowledge/check.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { formatVerdictTable, type RunForCheck } from '../../src/lessons/self-test.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { assertServices, integrationGate } from '../helpers/services.js';
import { FIXTURE_KNOWLEDGE, REAL_KNOWLEDGE, realCurriculum } from './fixtures.js';

const gate = await integrationGate();

/** `sensei knowledge check` in CI: every card's try command, run for real, lands on an expected output. */
describe.runIf(gate.run)('every card’s try command against the real sandbox', () => {
  let p: Pipeline;
  let run: RunForCheck;
  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startPipeline({ POOL_SIZE: '2', SANDBOX_TIMEOUT_MS: '10000', WORKER_CONCURRENCY: '3' });
    run = async (learner, command) => (await p.queue.submit(learner, command, 'oneshot')).result;
  });
  afterAll(async () => p?.close());

  it('passes for the fixture cards, and fails a card whose output does not match', async () => {
    const knowledge = await loadKnowledge(FIXTURE_KNOWLEDGE, { curriculum: await realCurriculum() });
    const verdicts = await selfTestCards(knowledge, run, { learnerPrefix: 'cards-fixture' });
    expect(verdicts.filter((v) => v.status === 'fail'), formatVerdictTable(verdicts, CARD_TABLE_NAMES)).toEqual([]);
    expect(verdicts.filter((v) => v.status === 'pass').map((v) => v.lessonId).sort()).toEqual(['exit-code-137', 'memory-max', 'netns', 'overlayfs', 'pid-1-in-container']);
    expect(verdicts.find((v) => v.lessonId === 'cgroup-v1-vs-v2')).toMatchObject({ status: 'skipped', why: 'no try command' });

    const netns = knowledge.get('ja', 'netns')!;
    const wrong = { ...netns, try: { ...netns.try!, command: 'echo 2: eth0' } };
    const [verdict] = await selfTestCards({ list: () => [wrong] } as unknown as typeof knowledge, run, { learnerPrefix: 'cards-wrong' });
    expect(verdict).toMatchObject({ lessonId: 'netns', status: 'fail', why: expect.stringMatching(/^unmatched "unmatched" \(exit 0\): 2: eth0$/) });
  }, 120_000);

  it.runIf(existsSync(REAL_KNOWLEDGE))('passes for every real card in knowledge/', async () => {
    const knowledge = await loadKnowledge(REAL_KNOWLEDGE, { curriculum: await realCurriculum() });
    const verdicts = await selfTestCards(knowledge, run, { learnerPrefix: 'cards-real' });
    const failed = verdicts.filter((v) => v.status === 'fail');
    expect(failed, formatVerdictTable(failed, CARD_TABLE_NAMES)).toEqual([]);
    expect(verdicts).toHaveLength(knowledge.size);
  }, 600_000);
});
