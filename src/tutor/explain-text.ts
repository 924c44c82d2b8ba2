// The explanation phrases in the learner's language.
import type { Lang } from '../lessons/index.js';
import { explainEn } from './phrases/explain-en.js';
import { explainJa } from './phrases/explain-ja.js';
import type { ExplainWords } from './phrases/explain-words.js';

export function explainWords(lang: Lang): ExplainWords {
  return lang === 'ja' ? explainJa : explainEn;
}
