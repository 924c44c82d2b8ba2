import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAsk } from '../../src/knowledge/ask.js';
import { parseEvalQuestions, runEval, summarize } from '../../src/knowledge/evaluate.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { REAL_KNOWLEDGE, realCurriculum } from './fixtures.js';

const QUESTIONS = fileURLToPath(new URL('../fixtures/ask-questions.yaml', import.meta.url));
const present = existsSync(QUESTIONS) && existsSync(REAL_KNOWLEDGE);
if (!present) process.stderr.write('[ask eval skipped: it needs knowledge/ and test/fixtures/ask-questions.yaml]\n');

/** The retrieval evaluation in CI, on the TUNE split only (the held split is reported by `npm run eval:ask`). */
describe.runIf(present)('ask evaluation on the tune split', () => {
  it.each(['ja', 'en'] as const)('%s: top-1 at least 0.9, confidently wrong at most 0.03, every label a real card', async (lang) => {
    const curriculum = await realCurriculum();
    const knowledge = await loadKnowledge(REAL_KNOWLEDGE, { curriculum });
    const questions = parseEvalQuestions(readFileSync(QUESTIONS, 'utf8')).filter((q) => q.split === 'tune' && q.lang === lang);
    const rows = runEval(createAsk({ cards: knowledge, curriculum }), questions);
    const m = summarize(rows, lang, 'tune', new Set(knowledge.list(lang).map((c) => c.id)));
    const misses = rows.filter((r) => r.ranked[0] !== r.question.card).map((r) => `${r.question.card} → ${r.ranked[0]}: ${r.question.q}`);
    expect(m.unknownLabels).toEqual([]);
    expect(m.questions).toBeGreaterThanOrEqual(100);
    expect(m.top1, misses.join('\n')).toBeGreaterThanOrEqual(0.9);
    expect(m.confidentlyWrong).toBeLessThanOrEqual(0.03);
    // Abstaining on everything would be "never wrong": most questions must still get their card.
    expect(m.answeredRight).toBeGreaterThanOrEqual(0.7);
  }, 60_000);
});
