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
/** Autocomplete reads no further than this: a title is far shorter, and a paste must not slow the box down. */
const AUTOCOMPLETE_MAX_CHARS = 100;
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

  // A card's own title (an autocomplete pick, say) is that card, whatever the ranking makes of its wording.
  const titled = new Map<Lang, Map<string, Card>>();
  const byTitle = (question: string, lang: Lang): Card | undefined => {
    let map = titled.get(lang);
    if (!map) titled.set(lang, (map = new Map(knowledge.list(lang).map((c) => [phraseKey(c.title), c]))));
    return map.get(phraseKey(question));
  };

  // With nothing typed yet: the cards in the order the lessons teach them, those of no lesson last.
  const starterOrder = (lang: Lang): Card[] => {
    const lessons = curriculum?.list(lang).map((l) => l.id) ?? [];
    const place = (c: Card) => (c.lesson && lessons.includes(c.lesson) ? lessons.indexOf(c.lesson) * 1000 + (c.step ?? 0) : Number.MAX_SAFE_INTEGER);
    return [...knowledge.list(lang)].sort((a, b) => place(a) - place(b));
  };

  const lessonAbout = (question: string, lang: Lang): string | undefined =>
    curriculum ? findLessonsAbout(question, curriculum.list(lang), 1)[0]?.lesson.id : undefined;

  return {
    knowledge,
    rank: (question, lang) => search(question, lang).ranked,
    search,
    answer(question, lang) {
      const screened = screenQuestion(question);
      if (!screened.ok) return { confidence: 0, suggestions: [], reason: screened.reason };
      const picked = byTitle(screened.question, lang);
      if (picked) return { card: picked, confidence: 1, suggestions: [], ...lessonOf(picked) };
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
      const clipped = partial.slice(0, AUTOCOMPLETE_MAX_CHARS);
      const typed = phraseKey(clipped);
      if (typed === '') return starterOrder(lang).slice(0, limit);
      // What the learner is typing names a card (its title, id or an alias) before it is a whole question.
      // Where it names the card: 0 its title, 1 its id, 2 an alias; undefined when it does not.
      const namedIn = (c: Card) => {
        const at = [[c.title], [c.id], c.aliases].findIndex((texts) => texts.some((text) => startsAWord(phraseKey(text), typed)));
        return at < 0 ? undefined : at;
      };
      const ranked = cardsOf(search(clipped, lang).ranked, lang);
      // Named cards in the ranking's order; those it missed (a half-typed word) by where they are named, shorter titles first.
      const order = (c: Card) => (ranked.includes(c) ? ranked.indexOf(c) : ranked.length + namedIn(c)! * 1000 + c.title.length);
      const named = all.filter((c) => namedIn(c) !== undefined).sort((a, b) => order(a) - order(b));
      return [...new Set([...named, ...ranked])].slice(0, limit);
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
