// How sure retrieval is of its best card, in 0..1: a logistic function of the evidence, fitted on the tune
// split of test/fixtures/ask-questions.yaml (`npm run eval:ask -- --fit`; see docs/ASK.md).

import type { Search } from './search.js';

/**
 * Below this, no card is asserted: the tutor offers "did you mean" choices instead of a guess. The model is a
 * probability of being right, so 0.9 reads "answer when nine in ten such answers are right"; on the tune split
 * it keeps confidently-wrong answers near 2% (docs/ASK.md).
 */
export const ANSWER_THRESHOLD = 0.9;

/** Logistic-regression coefficients over the features below. */
export type ConfidenceModel = { readonly [K in keyof ConfidenceFeatures | 'bias']: number };

export const CONFIDENCE_MODEL: ConfidenceModel = {
  bias: -2.812,
  logScore: 3.403,
  margin: 1.135,
  alias: 0.938,
  logTerms: -1.483,
};

export interface ConfidenceFeatures {
  logScore: number;
  /** (best − second) / best: 1 when nothing else competes. */
  margin: number;
  /** 1 when an alias of the best card appears whole in the question. */
  alias: number;
  /**
   * log(1 + search terms in the question, weighted as in the score: a kanji/katakana bigram counts half, so a
   * Japanese word is not counted several times): a long question piles up score without being any surer.
   */
  logTerms: number;
}

export function confidenceFeatures({ ranked, terms }: Search): ConfidenceFeatures | undefined {
  const [best, second] = ranked;
  if (!best || best.score <= 0) return undefined;
  return {
    logScore: Math.log1p(best.score),
    margin: (best.score - (second?.score ?? 0)) / best.score,
    alias: best.alias ? 1 : 0,
    logTerms: Math.log1p(terms),
  };
}

export function confidenceOf(search: Search, model: ConfidenceModel = CONFIDENCE_MODEL): number {
  const f = confidenceFeatures(search);
  if (!f) return 0;
  let x = model.bias;
  for (const key of Object.keys(f) as (keyof ConfidenceFeatures)[]) x += model[key] * f[key];
  return 1 / (1 + Math.exp(-x));
}
