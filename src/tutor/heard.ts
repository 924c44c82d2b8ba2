// The words for hearing a learner as a person would (src/tutor/phrases/heard-*.ts), by language.
import type { Lang } from '../lessons/index.js';
import { heardEn } from './phrases/heard-en.js';
import { heardJa } from './phrases/heard-ja.js';
import type { HeardWords } from './phrases/heard-words.js';

const HEARD: Readonly<Record<Lang, HeardWords>> = { ja: heardJa, en: heardEn };

export function heardWords(lang: Lang): HeardWords {
  return HEARD[lang];
}
