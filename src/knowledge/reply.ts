// The answer as the learner reads it: a card's answer in the tutor's voice, or the kind "not sure, did you
// mean…" text; plus the structured parts (`sensei ask --json`, buttons in the adapters). Pure.

import type { Lang } from '../lessons/schema.js';
import { askEn } from '../tutor/phrases/ask-en.js';
import { askJa } from '../tutor/phrases/ask-ja.js';
import type { AskWords } from '../tutor/phrases/ask-words.js';
import type { AskResult } from './ask.js';
import { asksWhatItIs, explainNumbers, splitAnswer, withoutRepeats } from './core.js';
import type { Card } from './knowledge.js';
import { MAX_QUESTION_CHARS } from './screen.js';

/** The reply's contract, as `sensei ask --json` prints it: exactly these keys. */
export interface AskReply {
  /** Markdown. */
  answer: string;
  lesson: string | null;
  card: string | null;
  confidence: number;
  try: { command: string } | null;
  sources: string[];
  /** Card ids offered as "did you mean" choices. */
  suggestions: string[];
}

export const askWords: Readonly<Record<Lang, AskWords>> = { ja: askJa, en: askEn };

export interface ComposeOptions {
  /** The lesson's title in the learner's language, for the "go deeper" line. */
  lessonTitle?: (id: string) => string | undefined;
  /** Picks among the interchangeable wordings (e.g. a hash of the question), so replies vary but stay reproducible. */
  variant?: number;
  /** A language model's rewrite of the card's answer, already made safe; replaces the opener and the card's text. */
  rewritten?: string;
  /** Whether the unanswered question was kept for `sensei ask gaps` (the reply says so). */
  noted?: boolean;
  /** The learner's question: a "what is X?" gets the card's definition first, and its byte counts are worked out. */
  question?: string;
}

function pick<T>(bank: readonly T[], variant: number): T {
  return bank[Math.abs(Math.trunc(variant)) % bank.length] as T;
}

/** Inline code that survives a backtick inside the command. */
function inlineCode(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/**
 * The answer in three parts, so a phone shows the first and keeps the rest one tap away: `first` is the opener,
 * the core and the command that shows it; `more` is the rest of the card and the lesson; `last` is the inviting question.
 */
export interface ReplyParts {
  first: string[];
  more: string[];
  last: string[];
}

export function composeReply(result: AskResult, lang: Lang, opts: ComposeOptions = {}): AskReply {
  return composeParts(result, lang, opts).reply;
}

/** The reply (its `answer` is the parts joined) and its parts. */
export function composeParts(result: AskResult, lang: Lang, opts: ComposeOptions = {}): { reply: AskReply; parts: ReplyParts } {
  const w = askWords[lang];
  const variant = opts.variant ?? 0;
  const confidence = Math.round(result.confidence * 1000) / 1000;
  const lessonLine = (line: (p: { title: string; id: string; step?: number }) => string, id: string | undefined, step?: number) => {
    if (!id) return undefined;
    return line({ title: opts.lessonTitle?.(id) ?? id, id, ...(step !== undefined ? { step } : {}) });
  };
  const card = result.card;
  if (card) {
    const command = card.try?.command;
    const tryLine = command ? pick(w.tryIt, variant)({ code: inlineCode(command) }) : undefined;
    const deeper = lessonLine(w.deeper, result.lesson, result.step);
    // The short true core first, then the command that shows it, then the rest; a model's rewrite stays whole.
    const body = opts.rewritten ? undefined : cardBody(card, lang, opts.question);
    const parts: ReplyParts = body
      ? { first: [pick(w.opener, variant), body.first, tryLine ?? ''], more: [...body.more, deeper ?? ''], last: [] }
      : { first: [[...numbersIn(opts.question, card, lang), opts.rewritten ?? ''].join('\n\n'), [tryLine, deeper].filter(Boolean).join('\n')], more: [], last: [] };
    parts.last.push(pick(command ? w.inviteRun : w.inviteMore, variant));
    const clean = (list: string[]) => list.filter((p) => p !== '');
    const shaped = { first: clean(parts.first), more: clean(parts.more), last: clean(parts.last) };
    return {
      reply: {
        answer: [...shaped.first, ...shaped.more, ...shaped.last].join('\n\n'),
        lesson: result.lesson ?? null,
        card: card.id,
        confidence,
        try: command ? { command } : null,
        sources: [...card.sources],
        suggestions: [],
      },
      parts: shaped,
    };
  }
  const answer = noAnswerText(result, w, variant, opts, lessonLine);
  return {
    reply: { answer, lesson: result.lesson ?? null, card: null, confidence, try: null, sources: [], suggestions: result.suggestions.map((s) => s.id) },
    parts: { first: [answer], more: [], last: [] },
  };
}

/** The card's core (its definition for a "what is X?"; a number asked about, worked out), and the rest. */
function cardBody(card: Card, lang: Lang, question: string | undefined): { first: string; more: string[] } {
  const { core, more } = splitAnswer(card.answer);
  const definition = question !== undefined && asksWhatItIs(question) ? card.what?.trim() : undefined;
  const numbers = numbersIn(question, card, lang);
  // After a definition, a sentence of the card that only says it again is left out (it read twice).
  const rest = definition ? withoutRepeats(more, definition) : more;
  return { first: [...numbers, definition ?? core].join('\n'), more: rest.map(flowed) };
}

/** A card said as briefly as it can be: its definition (or its first sentence), then the command that shows it. */
export function cardInBrief(card: Card, lang: Lang, opts: { variant?: number; skipDefinition?: boolean } = {}): string[] {
  const core = (opts.skipDefinition ? undefined : card.what?.trim()) || splitAnswer(card.answer).core;
  const command = card.try?.command;
  return [flowed(core), ...(command ? [pick(askWords[lang].tryIt, opts.variant ?? 0)({ code: inlineCode(command) })] : [])];
}

const numbersIn = (question: string | undefined, card: Card, lang: Lang) => (question === undefined ? [] : explainNumbers(question, card, lang));

function noAnswerText(
  result: AskResult,
  w: AskWords,
  variant: number,
  opts: ComposeOptions,
  lessonLine: (line: AskWords['lessonMayHelp'], id: string | undefined) => string | undefined,
): string {
  switch (result.reason) {
    case 'empty':
      return w.empty;
    case 'too-long':
      return w.tooLong({ max: MAX_QUESTION_CHARS });
    case 'no-words':
      return w.noWords;
    case 'other-language':
      return w.otherLanguage;
    default: {
      const choices = result.suggestions.map((s, i) => `${i + 1}. ${s.title}`).join('\n');
      const lines = [choices ? `${pick(w.notSure, variant)}\n${choices}` : pick(w.noIdea, variant), lessonLine(w.lessonMayHelp, result.lesson)];
      if (opts.noted) lines.push(w.noted);
      return lines.filter(Boolean).join('\n\n');
    }
  }
}

const CJK = /[\u3000-\u30FF\u3400-\u9FFF\uFF00-\uFFEF]/u;
const LIST_ITEM = /^\s*(?:[-*•]|\d+\.)\s/;

/**
 * Card answers are wrapped by hand in their YAML files; chat shows every newline, so the lines of a paragraph
 * are joined again (with no space between Japanese characters). Blank lines and list items stay.
 */
export function flowed(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) =>
      paragraph.split('\n').reduce((joined, raw) => {
        const line = raw.trim();
        if (joined === '') return line;
        if (LIST_ITEM.test(raw)) return `${joined}\n${line}`;
        const glue = CJK.test(joined.slice(-1)) && CJK.test(line[0] ?? '') ? '' : ' ';
        return `${joined}${glue}${line}`;
      }, ''),
    )
    .join('\n\n');
}

/** A small stable number from a text, to pick wordings without randomness. */
export function variantOf(text: string): number {
  let hash = 0;
  for (const ch of text) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return hash;
}
