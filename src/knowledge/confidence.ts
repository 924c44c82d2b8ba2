// How sure retrieval is of its best card, in 0..1: a logistic function of the evidence, fitted on the tune
// split of test/fixtures/ask-questions.yaml (`npm run eval:ask -- --fit`; see docs/ASK.md).

import type { Ranked } from './search.js';

/**
 * Below this, no card is asserted: the tutor offers "did you mean" choices instead of a guess. The model is a
 * probability of being right, so 0.9 reads "answer when nine in ten such answers are right"; on the tune split
 * it keeps confidently-wrong answers near 2% (docs/ASK.md).
 */
export const ANSWER_THRESHOLD = 0.9;

/** Logistic-regression coefficients over the features below. */
export type ConfidenceModel = { readonly [K in keyof ConfidenceFeatures | 'bias']: number };

export const CONFIDENCE_MODEL: ConfidenceModel = {
  bias: -4.368,
  logScore: 2.358,
  margin: 0.876,
  coverage: 0.599,
  alias: 1.495,
};

export interface ConfidenceFeatures {
  logScore: number;
  /** (best − second) / best: 1 when nothing else competes. */
  margin: number;
  coverage: number;
  alias: number;
}

export function confidenceFeatures(ranked: readonly Ranked[]): ConfidenceFeatures | undefined {
  const [best, second] = ranked;
  if (!best || best.score <= 0) return undefined;
  return {
    logScore: Math.log1p(best.score),
    margin: (best.score - (second?.score ?? 0)) / best.score,
    coverage: best.coverage,
    alias: best.alias ? 1 : 0,
  };
}

export function confidenceOf(ranked: readonly Ranked[], model: ConfidenceModel = CONFIDENCE_MODEL): number {
  const f = confidenceFeatures(ranked);
  if (!f) return 0;
  const x = model.bias + model.logScore * f.logScore + model.margin * f.margin + model.coverage * f.coverage + model.alias * f.alias;
  return 1 / (1 + Math.exp(-x));
}
