import type { Lang } from '../lessons/languages.js';
import type { Ask, AskResult } from './ask.js';
import type { Card } from './knowledge.js';
import { rewriteWithModel, type ModelOutcome, type ModelSettings } from './llm.js';
import { composeParts, variantOf, type AskReply, type ComposeOptions, type ReplyParts } from './reply.js';

/** Cards the model may use besides the answer: close runners-up that explain much of the question. */
const MODEL_CONTEXT_CARDS = 3;

export interface RespondOptions extends Omit<ComposeOptions, 'rewritten' | 'variant' | 'question'> {
  /** The optional language model; without it (the default) the answer is the card's own. */
  model?: ModelSettings;
}

export interface AskResponse {
  result: AskResult;
  reply: AskReply;
  /** The reply's answer in parts: what a phone shows first, and the rest (src/knowledge/reply.ts). */
  parts: ReplyParts;
  /** What the model did, when one is configured and a card was found. */
  model?: ModelOutcome;
}

/**
 * Answers a question end to end: retrieval, then (only for a confident card, and only when configured) the
 * model's rewrite from the retrieved cards, else the card as written.
 */
export async function respond(ask: Ask, question: string, lang: Lang, opts: RespondOptions = {}): Promise<AskResponse> {
  const result = ask.answer(question, lang);
  const { model, ...options } = opts;
  const compose = { ...options, question };
  const variant = variantOf(question);
  if (!result.card || !model) return { result, ...composeParts(result, lang, { ...compose, variant }) };
  const context = modelContext(ask, question, lang, result.card);
  const outcome = await rewriteWithModel(model, { question, lang, cards: context });
  return { result, ...composeParts(result, lang, { ...compose, variant, ...(outcome.ok ? { rewritten: outcome.text } : {}) }), model: outcome };
}

function modelContext(ask: Ask, question: string, lang: Lang, card: Card): Card[] {
  const ranked = ask.rank(question, lang);
  const top = ranked[0]?.score ?? 0;
  const others = ranked
    .filter((r) => r.id !== card.id && r.score >= top / 2 && r.coverage >= 0.3)
    .map((r) => ask.knowledge.get(lang, r.id))
    .filter((c): c is Card => c !== undefined);
  return [card, ...others].slice(0, MODEL_CONTEXT_CARDS);
}
