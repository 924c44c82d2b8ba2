import { z } from 'zod';
import { commandSchema, expectationSchema, expected, idSchema, textOf, unexpectedSchema } from '../lessons/schema.js';

/** An answer is read in a chat message: at most this many characters once its markdown is rendered. */
export const MAX_ANSWER_RENDERED = 700;

const text = (max: number) => textOf(max, `is longer than ${max} characters; keep it short`);

/** Roughly what a reader sees of markdown: code spans, emphasis and link syntax take no room. */
export function renderedLength(markdown: string): number {
  const shown = markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return [...shown].length;
}

const answer = text(1200).superRefine((value, ctx) => {
  const length = renderedLength(value);
  if (length > MAX_ANSWER_RENDERED) ctx.addIssue({ code: 'custom', message: `is ${length} characters once rendered; keep it at most ${MAX_ANSWER_RENDERED}` });
});

const phrasing = text(200);

/** What the card's subject is, in one or two sentences: the core a "what is X?" question gets first. */
export const MAX_WHAT_RENDERED = 240;
const what = text(400).superRefine((value, ctx) => {
  const length = renderedLength(value);
  if (length > MAX_WHAT_RENDERED) ctx.addIssue({ code: 'custom', message: `is ${length} characters once rendered; keep it to one or two sentences (${MAX_WHAT_RENDERED})` });
});

function noRepeats(what: string) {
  return (items: readonly string[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const key = item;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index], message: `repeats the ${what} "${item}"` });
      seen.add(key);
    });
  };
}

const source = z
  .string(expected('a URL'))
  .trim()
  .regex(/^https:\/\/[^\s]+$/, 'should be an https:// URL of a primary source');

/** A card's "try it": one command run in the learner's sandbox, explained by the output it really gives. */
export const cardTrySchema = z.strictObject({
  command: commandSchema.max(500, 'is longer than 500 characters; sandbox commands stay short'),
  expect: z.array(expectationSchema, expected('a list of expectations')).min(1, 'needs at least one expectation'),
  unexpected: z.array(unexpectedSchema, expected('a list of unexpected results')).optional(),
});

/** One knowledge card in one language (`knowledge/<lang>/<id>.yaml`); see docs/ASK.md. */
export const cardSchema = z
  .strictObject({
    id: idSchema,
    /** The card's question, as a title. */
    title: text(120),
    /** Ways people ask it, in this file's language. */
    asked: z.array(phrasing, expected('a list of questions')).min(3, 'needs at least 3 ways people ask it').max(12, 'has more than 12 phrasings').superRefine(noRepeats('question')),
    /** Terms in both languages and spellings (katakana and English side by side, abbreviations, misspellings). */
    aliases: z.array(text(80), expected('a list of terms')).min(1, 'needs at least one alias').superRefine(noRepeats('alias')),
    answer,
    what: what.optional(),
    try: cardTrySchema.optional(),
    /** The lesson that goes deeper, and optionally its 1-based step. */
    lesson: idSchema.optional(),
    step: z.number(expected('a step number')).int('should be a whole number').min(1, 'starts at 1').optional(),
    sources: z.array(source, expected('a list of URLs')).min(1, 'needs at least one source').max(3, 'has more than 3 sources; keep the primary ones'),
    tags: z.array(idSchema, expected('a list of tags')).min(1, 'needs at least one tag'),
  })
  .superRefine((card, ctx) => {
    if (card.step !== undefined && card.lesson === undefined) {
      ctx.addIssue({ code: 'custom', path: ['step'], message: 'needs `lesson`: a step is a step of a lesson' });
    }
    const ids = [...(card.try?.expect ?? []), ...(card.try?.unexpected ?? [])].map((e) => e.id);
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index) ctx.addIssue({ code: 'custom', path: ['try'], message: `repeats the expectation id \`${id}\`` });
    });
  });

export type CardData = z.infer<typeof cardSchema>;
export type CardTry = z.infer<typeof cardTrySchema>;
