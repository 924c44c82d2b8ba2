import type { Curriculum } from '../lessons/curriculum.js';
import type { Lang } from '../lessons/schema.js';
import { findLessonsAbout } from '../tutor/intent.js';
import type { Card, Knowledge } from './knowledge.js';
import { ANSWER_THRESHOLD, confidenceOf } from './confidence.js';
import { screenQuestion, type NoAnswerReason } from './screen.js';
import { buildSearchIndex, searchCards, type Ranked, type Search, type SearchIndex, type SearchSettings } from './search.js';
import { phraseKey } from './tokenize.js';

/** What retrieval found for one question. `card` is set only when confidence reaches the threshold. */
export interface AskResult {
  card?: Card;
  /** 0..1, calibrated on the tune split; below ANSWER_THRESHOLD no card is asserted. */
  confidence: number;
  /** Up to 3 "did you mean" cards, given when no card is asserted. */
  suggestions: Card[];
  /** The most relevant lesson: the card's, else a suggestion's, else the lessons that talk about it. */
  lesson?: string;
  /** The 1-based step of that lesson, when the card names one. */
  step?: number;
  /** Why there is no card; absent when there is one. */
  reason?: NoAnswerReason;
}

export interface Ask {
  readonly knowledge: Knowledge;
  /** Pure: the best card for a question in a learner's language, or why there is none. */
  answer(question: string, lang: Lang): AskResult;
  /** Every card with evidence for the question, best first (the evaluation and "did you mean" read this). */
  rank(question: string, lang: Lang): Ranked[];
  /** The ranking with what the confidence is computed from. */
  search(question: string, lang: Lang): Search;
  /** Card titles for an autocomplete box as the learner types: at most `limit`, best first. */
  autocomplete(partial: string, lang: Lang, limit?: number): Card[];
}

const MAX_SUGGESTIONS = 3;
/** A suggestion must score at least this share of the best card, and explain this much of the question. */
const SUGGEST_MIN_SHARE = 0.25;
const SUGGEST_MIN_COVERAGE = 0.2;

/** What retrieval reads of the curriculum: the lessons of a language (a Curriculum, or its cached lessons). */
export type LessonList = Pick<Curriculum, 'list'>;

export function createAsk(deps: {
  cards: Knowledge;
  curriculum?: LessonList;
  /** Indexes built earlier (the cached bundle); others are built on first use. */
  indexes?: Partial<Record<Lang, SearchIndex>>;
  /** Other ranking knobs, for tuning on the evaluation's tune split. */
  settings?: SearchSettings;
}): Ask {
  const { cards: knowledge, curriculum } = deps;
  const indexes = new Map<Lang, SearchIndex>(Object.entries(deps.indexes ?? {}) as [Lang, SearchIndex][]);
  const indexFor = (lang: Lang): SearchIndex => {
    let index = indexes.get(lang);
    if (!index) indexes.set(lang, (index = buildSearchIndex(knowledge, lang, deps.settings)));
    return index;
  };
  const cardsOf = (ranked: readonly Ranked[], lang: Lang) => ranked.map((r) => knowledge.get(lang, r.id)).filter((c): c is Card => c !== undefined);

  const search = (question: string, lang: Lang) => searchCards(indexFor(lang), question);

  const lessonAbout = (question: string, lang: Lang): string | undefined =>
    curriculum ? findLessonsAbout(question, curriculum.list(lang), 1)[0]?.lesson.id : undefined;

  return {
    knowledge,
    rank: (question, lang) => search(question, lang).ranked,
    search,
    answer(question, lang) {
      const screened = screenQuestion(question);
      if (!screened.ok) return { confidence: 0, suggestions: [], reason: screened.reason };
      const found = search(screened.question, lang);
      const ranked = found.ranked;
      const confidence = confidenceOf(found);
      const best = ranked[0] ? knowledge.get(lang, ranked[0].id) : undefined;
      if (best && confidence >= ANSWER_THRESHOLD && !screened.pastedTrace) {
        return { card: best, confidence, suggestions: [], ...lessonOf(best) };
      }
      const top = ranked[0]?.score ?? 0;
      const suggestions = cardsOf(
        ranked.filter((r) => r.score >= top * SUGGEST_MIN_SHARE && r.coverage >= SUGGEST_MIN_COVERAGE).slice(0, MAX_SUGGESTIONS),
        lang,
      );
      const lesson = suggestions.find((s) => s.lesson)?.lesson ?? lessonAbout(screened.question, lang);
      return { confidence, suggestions, ...(lesson ? { lesson } : {}), reason: 'no-match' };
    },
    autocomplete(partial, lang, limit = 25) {
      const all = knowledge.list(lang);
      const typed = phraseKey(partial);
      if (typed === '') return all.slice(0, limit);
      // What the learner is typing names a card (its title, id or an alias) before it is a whole question.
      const named = all.filter((c) => [c.title, c.id, ...c.aliases].some((text) => startsAWord(phraseKey(text), typed)));
      return [...new Set([...named, ...cardsOf(search(partial, lang).ranked, lang)])].slice(0, limit);
    },
  };
}

function startsAWord(text: string, typed: string): boolean {
  const at = text.indexOf(typed);
  return at === 0 || (at > 0 && (text[at - 1] === ' ' || !/[a-z0-9]/.test(typed[0] ?? '')));
}

function lessonOf(card: Card): { lesson?: string; step?: number } {
  if (!card.lesson) return {};
  return card.step === undefined ? { lesson: card.lesson } : { lesson: card.lesson, step: card.step };
}
