// Quick Q&A in the conversation: a question answered from the knowledge cards in the tutor's voice, with
// the card's command one press away (run in the learner's own sandbox and explained against the card's
// expectations) and the lesson that goes deeper; a weak match is never a guess.
import type { Lang } from '../lessons/index.js';
import type { AskResult } from '../knowledge/ask.js';
import type { Card, Knowledge } from '../knowledge/knowledge.js';
import type { AskReply } from '../knowledge/reply.js';
import type { Block, Choice } from './reply.js';
import { say } from './voice.js';

/** What the tutor needs from the knowledge cards: an answer (with the optional model), and a card by id. */
export interface QuestionDesk {
  readonly knowledge: Knowledge;
  /** Answers a question; with keepUnanswered, one no card answers is kept for `sensei ask gaps`. */
  respond(question: string, lang: Lang, learnerId: string, opts: { keepUnanswered: boolean }): Promise<{ result: AskResult; reply: AskReply }>;
  /** The reply for one card, as if it had been asked (a "did you mean" press). */
  cardReply(card: Card, lang: Lang): AskReply;
  /** Card titles in `lang` for what a member has typed so far (Discord's autocomplete), best first. */
  titles(typed: string, lang: Lang, limit: number): { id: string; title: string }[];
  /** Records a learner's 👍/👎 on a card's answer (one vote per learner and card). */
  rate(cardId: string, learnerId: string, vote: 'up' | 'down'): Promise<void>;
}

const LABELS: Readonly<Record<Lang, { tryIt: string; lesson: string; thanks: string }>> = {
  ja: { tryIt: '▶ サンドボックスで試す', lesson: '📘 レッスンを始める', thanks: '評価ありがとう！ カードを良くするのに使わせてもらうね 🙏' },
  en: { tryIt: '▶ Run it in my sandbox', lesson: '📘 Start the lesson', thanks: 'Thanks for the rating! It helps me improve my notes 🙏' },
};

/** Said after a 👍/👎. */
export function ratedBlocks(lang: Lang): Block[] {
  return [say(LABELS[lang].thanks, 'notice')];
}

/** A "did you mean" card, pressed: its answer as if it had been asked; undefined when there is no such card. */
export function cardBlocks(desk: QuestionDesk | undefined, lang: Lang, cardId: string, currentLessonId: string | undefined): Block[] | undefined {
  const card = desk?.knowledge.get(lang, cardId);
  if (!desk || !card) return undefined;
  return answerBlocks(lang, desk.cardReply(card, lang), { card, suggestions: [], ...(card.lesson ? { lesson: card.lesson } : {}), ...(currentLessonId ? { currentLessonId } : {}) });
}

/** The answer blocks and the choices that go with it. */
export function answerBlocks(lang: Lang, reply: AskReply, opts: { card?: Card; suggestions: readonly Card[]; lesson?: string; currentLessonId?: string }): Block[] {
  const blocks: Block[] = [say(reply.answer, opts.card ? 'point' : 'notice')];
  const choices: Choice[] = [];
  if (opts.card?.try) choices.push({ label: LABELS[lang].tryIt, action: { type: 'try-card', cardId: opts.card.id } });
  for (const s of opts.suggestions.slice(0, 3)) choices.push({ label: s.title, action: { type: 'card', cardId: s.id } });
  if (opts.lesson && opts.lesson !== opts.currentLessonId) choices.push({ label: LABELS[lang].lesson, action: { type: 'start', lessonId: opts.lesson } });
  if (opts.card) {
    choices.push({ label: '👍', action: { type: 'rate', cardId: opts.card.id, vote: 'up' } });
    choices.push({ label: '👎', action: { type: 'rate', cardId: opts.card.id, vote: 'down' } });
  }
  if (choices.length > 0) blocks.push({ kind: 'choices', choices: choices.slice(0, 5) });
  return blocks;
}
