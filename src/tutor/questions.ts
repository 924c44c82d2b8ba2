// Quick Q&A in the conversation: a question answered from the knowledge cards in the tutor's voice, with
// the card's command one press away (run in the learner's own sandbox and explained against the card's
// expectations) and the lesson that goes deeper; a weak match is never a guess.
import type { Lang } from '../lessons/index.js';
import type { AskResult } from '../knowledge/ask.js';
import type { Card, Knowledge } from '../knowledge/knowledge.js';
import { askWords, cardInBrief, type AskReply, type ReplyParts } from '../knowledge/reply.js';
import type { Block, Choice } from './reply.js';
import { pick, say, type Voice } from './voice.js';

/** What the tutor needs from the knowledge cards: an answer (with the optional model), and a card by id. */
export interface QuestionDesk {
  readonly knowledge: Knowledge;
  /** Answers a question; with keepUnanswered, one no card answers is kept for `sensei ask gaps`. */
  respond(question: string, lang: Lang, learnerId: string, opts: { keepUnanswered: boolean }): Promise<{ result: AskResult; reply: AskReply; parts: ReplyParts }>;
  /** The reply for one card, as if it had been asked (a "did you mean" press). */
  cardReply(card: Card, lang: Lang): { reply: AskReply; parts: ReplyParts };
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
  return answerBlocks(lang, desk.cardReply(card, lang).parts, { card, suggestions: [], ...(card.lesson ? { lesson: card.lesson } : {}), ...(currentLessonId ? { currentLessonId } : {}) });
}

/**
 * The answer blocks and the choices that go with it. The rest of a card is background, so a short reply (the
 * console, Discord) shows the core, the command and the question first and keeps it behind "More".
 */
export function answerBlocks(lang: Lang, parts: ReplyParts, opts: { card?: Card; suggestions: readonly Card[]; lesson?: string; currentLessonId?: string }): Block[] {
  const blocks: Block[] = [say(parts.first.join('\n\n'), opts.card ? 'point' : 'notice')];
  if (parts.more.length > 0) blocks.push(say(parts.more.join('\n\n'), 'background'));
  if (parts.last.length > 0) blocks.push(say(parts.last.join('\n\n'), 'question'));
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

/** What the tutor answered last: a card, or "did you mean" cards (and whether the card's definition led). */
export interface LastAnswer {
  cardId?: string;
  suggestions: string[];
  defined: boolean;
  /** It was already this card said briefly (after an earlier "I don't get it"). */
  brief?: boolean;
}

/**
 * "I don't get it" right after an answer means the answer did not land: the basics card it stands on (or the
 * same point in one line), said briefly; after a "did you mean" list, the nearest card. Undefined: nothing to go on.
 */
export function confusedBlocks(desk: QuestionDesk, v: Voice, last: LastAnswer, currentLessonId: string | undefined): { blocks: Block[]; shown: LastAnswer } | undefined {
  const w = askWords[v.lang];
  const answered = last.cardId ? desk.knowledge.get(v.lang, last.cardId) : undefined;
  const basics = answered ? basicsUnder(desk.knowledge, v.lang, answered) : undefined;
  const nearest = answered ? undefined : last.suggestions.map((id) => desk.knowledge.get(v.lang, id)).find((c) => c !== undefined);
  const card = basics ?? answered ?? nearest;
  if (!card) return undefined;
  // Said briefly already: the same words again would not help; the lesson shows it hands-on.
  const again = card === answered && last.brief === true;
  const lead = pick(basics ? w.fromBasics : again ? w.stillUnclear : answered ? w.inOneLine : w.nearest, v);
  const brief = again ? [] : cardInBrief(card, v.lang, { variant: v.turn, skipDefinition: card === answered && last.defined });
  const others = nearest ? last.suggestions.filter((id) => id !== nearest.id).flatMap((id) => desk.knowledge.get(v.lang, id) ?? []) : [];
  const choices: Choice[] = [];
  if (card.try && !again) choices.push({ label: LABELS[v.lang].tryIt, action: { type: 'try-card', cardId: card.id } });
  for (const other of others) choices.push({ label: other.title, action: { type: 'card', cardId: other.id } });
  if (card.lesson && card.lesson !== currentLessonId) choices.push({ label: LABELS[v.lang].lesson, action: { type: 'start', lessonId: card.lesson } });
  // The rest of that card waits behind "More": asked for after "I don't get it", it is more help, not a dead end.
  const rest = again ? [] : desk.cardReply(card, v.lang).parts.more;
  const blocks: Block[] = [say([lead, ...brief].join('\n\n'), 'point'), ...(rest.length > 0 ? [say(rest.join('\n\n'), 'background')] : []), say(w.whichWord, 'question')];
  if (choices.length > 0) blocks.push({ kind: 'choices', choices: choices.slice(0, 5) });
  return { blocks, shown: { cardId: card.id, suggestions: [], defined: card.what !== undefined, brief: true } };
}

/** The basics card a card stands on: tagged `basics`, sharing the most of the card's own topics. */
function basicsUnder(knowledge: Knowledge, lang: Lang, card: Card): Card | undefined {
  if (card.tags.includes(BASICS)) return undefined;
  let best: { card: Card; share: number } | undefined;
  for (const candidate of knowledge.list(lang)) {
    if (!candidate.tags.includes(BASICS)) continue;
    const topics = candidate.tags.filter((t) => t !== BASICS);
    const share = topics.filter((t) => card.tags.includes(t)).length / Math.max(1, topics.length);
    if (share > 0 && (!best || share > best.share)) best = { card: candidate, share };
  }
  return best?.card;
}

const BASICS = 'basics';
