// The retrieval evaluation (`npm run eval:ask`, and a CI test on the tune split): labelled questions in,
// accuracy, abstention and latency out. Pure apart from the clock.

import { parse } from 'yaml';
import { z } from 'zod';
import { lessonLanguages, type Lang } from '../lessons/schema.js';
import type { Ask } from './ask.js';
import { confidenceFeatures, type ConfidenceFeatures } from './confidence.js';

export const evalSplits = ['tune', 'held'] as const;
export type EvalSplit = (typeof evalSplits)[number];

const questionSchema = z.object({
  q: z.string().min(1),
  lang: z.enum(lessonLanguages),
  /** The card that answers it; null when no card should (the tutor must abstain). */
  card: z.string().nullable(),
  lesson: z.string().nullable(),
  split: z.enum(evalSplits),
});
export type EvalQuestion = z.infer<typeof questionSchema>;

export function parseEvalQuestions(text: string): EvalQuestion[] {
  return z.array(questionSchema).parse(parse(text));
}

export interface EvalRow {
  question: EvalQuestion;
  /** The top three card ids retrieval ranked. */
  ranked: string[];
  /** The card asserted (confidence at or above the threshold), if any. */
  answered?: string;
  confidence: number;
  features?: ConfidenceFeatures;
  ms: number;
}

export interface EvalMetrics {
  lang: Lang;
  split: EvalSplit;
  questions: number;
  withCard: number;
  /** Over questions with a card: the right card ranked first / in the first three. */
  top1: number;
  top3: number;
  /** Over questions with a card: the right card asserted. */
  answeredRight: number;
  /** Over all questions: a card asserted that is not the label (any card, for a question with none). */
  confidentlyWrong: number;
  /** Over all questions: no card asserted. */
  abstained: number;
  /** Over questions without a card: no card asserted (the right outcome). */
  abstainedOnNoCard: number;
  p50Ms: number;
  p95Ms: number;
  /** Labels naming a card that does not exist (renamed ids). */
  unknownLabels: string[];
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function runEval(ask: Ask, questions: readonly EvalQuestion[]): EvalRow[] {
  return questions.map((question) => {
    const started = performance.now();
    const result = ask.answer(question.q, question.lang);
    const ms = performance.now() - started;
    const found = ask.search(question.q, question.lang);
    const ranking = found.ranked;
    const features = confidenceFeatures(found);
    return {
      question,
      ranked: ranking.slice(0, 3).map((r) => r.id),
      ...(result.card ? { answered: result.card.id } : {}),
      confidence: result.confidence,
      ...(features ? { features } : {}),
      ms,
    };
  });
}

export function summarize(rows: readonly EvalRow[], lang: Lang, split: EvalSplit, cardIds: ReadonlySet<string>): EvalMetrics {
  const mine = rows.filter((r) => r.question.lang === lang && r.question.split === split);
  const withCard = mine.filter((r) => r.question.card !== null);
  const noCard = mine.filter((r) => r.question.card === null);
  const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
  return {
    lang,
    split,
    questions: mine.length,
    withCard: withCard.length,
    top1: share(withCard.filter((r) => r.ranked[0] === r.question.card).length, withCard.length),
    top3: share(withCard.filter((r) => r.ranked.includes(r.question.card ?? '')).length, withCard.length),
    answeredRight: share(withCard.filter((r) => r.answered === r.question.card).length, withCard.length),
    confidentlyWrong: share(mine.filter((r) => r.answered !== undefined && r.answered !== r.question.card).length, mine.length),
    abstained: share(mine.filter((r) => r.answered === undefined).length, mine.length),
    abstainedOnNoCard: share(noCard.filter((r) => r.answered === undefined).length, noCard.length),
    p50Ms: percentile(mine.map((r) => r.ms), 50),
    p95Ms: percentile(mine.map((r) => r.ms), 95),
    unknownLabels: [...new Set(withCard.map((r) => r.question.card!).filter((id) => !cardIds.has(id)))],
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The markdown table docs/ASK.md carries. */
export function formatEvalTable(metrics: readonly EvalMetrics[]): string {
  const head = '| lang | split | questions (with card) | top-1 | top-3 | answered right | confidently wrong | abstained (on no-card) | p50 / p95 ms |';
  const rule = '|---|---|---:|---:|---:|---:|---:|---:|---:|';
  const rows = metrics.map(
    (m) =>
      `| ${m.lang} | ${m.split} | ${m.questions} (${m.withCard}) | ${pct(m.top1)} | ${pct(m.top3)} | ${pct(m.answeredRight)} | ${pct(m.confidentlyWrong)} | ${pct(m.abstained)} (${pct(m.abstainedOnNoCard)}) | ${m.p50Ms.toFixed(2)} / ${m.p95Ms.toFixed(2)} |`,
  );
  return [head, rule, ...rows].join('\n');
}
