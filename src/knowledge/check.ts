import { join } from 'node:path';
import { lessonLanguages } from '../lessons/languages.js';
import { inLanes, runAndJudge, type RunForCheck, type StepVerdict } from '../lessons/self-test.js';
import { knowledgeDirOf } from './bundle.js';
import type { Knowledge } from './knowledge.js';

/**
 * `sensei knowledge check`: every card's `try` command, run for real in a fresh sandbox, must give an
 * output one of its expectations names. Parity makes the commands and matchers the same in every language,
 * so the primary language's cards are enough. Verdicts use the lessons' shape: lessonId is the card id.
 */
export async function selfTestCards(knowledge: Knowledge, run: RunForCheck, opts: { learnerPrefix: string; parallel?: number; only?: string[] }): Promise<StepVerdict[]> {
  const cards = knowledge.list(lessonLanguages[0]).filter((c) => !opts.only?.length || opts.only.includes(c.id));
  return inLanes(cards, opts.parallel ?? 3, async (card, i): Promise<StepVerdict> => {
    if (!card.try) return { lessonId: card.id, stepId: 'try', mode: 'oneshot', status: 'skipped', why: 'no try command' };
    const command = card.try.command;
    const verdict = await runAndJudge(card.try, () => run(`${opts.learnerPrefix}-${i}`, command, 'oneshot', 'default'));
    return { lessonId: card.id, stepId: 'try', mode: 'oneshot', ...verdict };
  });
}

export const CARD_TABLE_NAMES = { lesson: 'card', step: 'check', plural: 'cards' } as const;

/** The cards, checked against the curriculum; a problem in either comes back as the message to print. */
export async function loadCheckedKnowledge(root: string): Promise<{ ok: true; knowledge: Knowledge } | { ok: false; message: string }> {
  const { loadCurriculum, CurriculumError } = await import('../lessons/index.js');
  const { loadKnowledge } = await import('./loader.js');
  const { KnowledgeError } = await import('./cards.js');
  try {
    const curriculum = await loadCurriculum(join(root, 'lessons'));
    return { ok: true, knowledge: await loadKnowledge(knowledgeDirOf(root), { curriculum }) };
  } catch (err) {
    if (err instanceof CurriculumError || err instanceof KnowledgeError) return { ok: false, message: err.message };
    throw err;
  }
}
