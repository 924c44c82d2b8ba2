import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWLEDGE_DIR, LESSONS_DIR } from '../../src/app.js';
import { createQuestionDesk } from '../../src/knowledge/desk.js';
import { AskGaps } from '../../src/knowledge/gaps.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { loadCurriculum } from '../../src/lessons/index.js';
import { RedisLearnerStore } from '../../src/store/learner-store.js';
import { createRedis } from '../../src/store/redis.js';
import { Tutor } from '../../src/tutor/engine.js';
import type { Block, Reply } from '../../src/tutor/reply.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { assertServices, integrationGate } from '../helpers/services.js';

const gate = await integrationGate();

const all = (r: Reply) => r.blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : [])).join('\n');
const output = (r: Reply) => r.blocks.find((b): b is Extract<Block, { kind: 'output' }> => b.kind === 'output');
const actions = (r: Reply) => r.blocks.flatMap((b) => (b.kind === 'choices' ? b.choices.map((c) => c.action) : []));

/** Quick Q&A in the conversation: a typed question, its card, its command run for real, and the lesson kept. */
describe.runIf(gate.run)('questions in the conversation', () => {
  let p: Pipeline;
  let tutor: Tutor;
  let gaps: AskGaps;
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'producer');

  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startPipeline({ POOL_SIZE: '1', SANDBOX_TIMEOUT_MS: '10000' });
    const curriculum = await loadCurriculum(LESSONS_DIR);
    const knowledge = await loadKnowledge(KNOWLEDGE_DIR, { curriculum });
    gaps = new AskGaps(redis, p.config.SENSEI_PREFIX);
    tutor = new Tutor({
      curriculum,
      store: new RedisLearnerStore(redis, p.config.SENSEI_PREFIX),
      run: (learner, command, mode, runOpts) => p.queue.submit(learner, command, mode, runOpts),
      runLab: (learner, command, runOpts) => p.queue.runLab(learner, command, runOpts),
      clearLab: (learner) => p.queue.clearLab(learner),
      defaultLang: 'en',
      questions: createQuestionDesk({ knowledge, curriculum, gaps }),
    });
  });
  afterAll(async () => {
    redis.disconnect();
    await p?.close();
  });

  it('answers "exit code 137" with its card, runs the card\'s command in the sandbox, and explains the real output', async () => {
    const reply = await tutor.handle('asker', { type: 'line', text: 'My container exited with code 137, what does that mean?' });
    expect(all(reply)).toMatch(/SIGKILL/);
    const tryIt = actions(reply).find((a) => a.type === 'try-card');
    expect(tryIt).toEqual({ type: 'try-card', cardId: 'exit-code-137' });
    expect(actions(reply)).toContainEqual({ type: 'start', lessonId: 'memory-and-oom' });
    const ran = await tutor.handle('asker', { type: 'line', text: '1' });
    expect(output(ran)?.result.stdout).toMatch(/exit=137/);
    expect(all(ran)).toMatch(/128 \+ 9/);
    // 👎 on the answer is recorded against its card.
    expect(actions(reply)).toContainEqual({ type: 'rate', cardId: 'exit-code-137', vote: 'down' });
    await tutor.handle('asker', { type: 'rate', cardId: 'exit-code-137', vote: 'down' });
    expect((await gaps.worstCards(10)).some((c) => c.cardId === 'exit-code-137')).toBe(true);
  });

  it('answers inside a lesson and keeps the learner where they were; a Japanese question is searched in Japanese', async () => {
    await tutor.handle('mid-lesson', { type: 'start', lessonId: 'host-view', step: 2 });
    const before = (await tutor.whereIs('mid-lesson'))!.state;
    const reply = await tutor.handle('mid-lesson', { type: 'line', text: 'ネットワーク名前空間って何？' });
    expect(all(reply)).toMatch(/network/i);
    const after = (await tutor.whereIs('mid-lesson'))!.state;
    expect([after.lessonId, after.stepIndex]).toEqual([before.lessonId, before.stepIndex]);
  });

  it('never guesses on a weak match, offers "did you mean" choices, and keeps the unanswered question', async () => {
    const reply = await tutor.handle('unsure-asker', { type: 'line', text: 'how do I set up a kubernetes ingress controller?' });
    expect(actions(reply).some((a) => a.type === 'try-card')).toBe(false);
    const gapsNow = await gaps.topGaps(50);
    expect(gapsNow.some((g) => /ingress/.test(g.text))).toBe(true);
    // Small talk is not a question and is never kept.
    await tutor.handle('unsure-asker', { type: 'line', text: 'thanks a lot!' });
    expect((await gaps.topGaps(50)).some((g) => /thanks/.test(g.text))).toBe(false);
  });
});
