// How a chaos scenario counts what happened to the commands learners sent, and how the figures are written.
import { SubmitError } from '../../src/queue/errors.js';

export interface Tally {
  scenario: string;
  /** Commands the system took (not refused at the door: busy, cooldown, queue full). */
  accepted: number;
  /** Accepted and answered once, with the command's own real result. */
  answeredOnce: number;
  /** Accepted and answered with a clear failure ("the sandbox isn't working right now", "cut off"). */
  clearFailure: number;
  /** Accepted and answered with something that is not the command's result (an engine's 137 taken as the learner's). */
  wrongAnswer: number;
  /** Accepted and never answered within the scenario's bound. */
  lost: number;
  /** Commands whose effect ran more than once. */
  duplicated: number;
  /** This install's containers still there one reaper interval after the scenario, beyond those meant to stay. */
  leaked: number;
  /** Learner progress (lesson step, passed steps) that did not survive. */
  progressLost: number;
  /** From the service being back to the first command answered with its real result, in ms. */
  recoverMs: number | undefined;
  notes: string[];
}

export function newTally(scenario: string): Tally {
  return { scenario, accepted: 0, answeredOnce: 0, clearFailure: 0, wrongAnswer: 0, lost: 0, duplicated: 0, leaked: 0, progressLost: 0, recoverMs: undefined, notes: [] };
}

export type Fate = 'answered' | 'clear-failure' | 'wrong' | 'refused' | 'lost';

/**
 * Waits for one command's answer and files it: `isReal` says whether a result is the command's own. A
 * refusal at the door is not counted as accepted; an answer later than `boundMs` is lost.
 */
export async function fileAnswer<T>(tally: Tally, answer: Promise<T>, isReal: (value: T) => boolean, boundMs: number): Promise<Fate> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), boundMs);
  });
  let fate: Fate;
  try {
    const value = await Promise.race([answer, late]);
    fate = value === 'late' ? 'lost' : isReal(value as T) ? 'answered' : 'wrong';
    if (fate === 'wrong' && tally.wrongAnswer < 3) tally.notes.push(`wrong answer: ${JSON.stringify(value).slice(0, 300)}`);
  } catch (err) {
    const code = err instanceof SubmitError ? err.refusal.code : undefined;
    fate = code === 'unavailable' ? 'clear-failure' : code ? 'refused' : 'wrong';
    if (fate === 'wrong' && tally.wrongAnswer < 3) tally.notes.push(`wrong answer: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  if (fate !== 'refused') tally.accepted += 1;
  if (fate === 'answered') tally.answeredOnce += 1;
  if (fate === 'clear-failure') tally.clearFailure += 1;
  if (fate === 'wrong') tally.wrongAnswer += 1;
  if (fate === 'lost') tally.lost += 1;
  return fate;
}

export function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** Resolves once `fn` is truthy (checked every `stepMs`), or rejects after `timeoutMs`. */
export async function until<T>(fn: () => Promise<T | undefined | false>, timeoutMs: number, stepMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** The Markdown table of every scenario's figures. */
export function tallyTable(tallies: readonly Tally[]): string {
  const head = '| scenario | accepted | answered once | clear failure | wrong answer | lost | duplicated | leaked containers | progress lost | recovery |';
  const rule = '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const rows = tallies.map(
    (t) =>
      `| ${t.scenario} | ${t.accepted} | ${t.answeredOnce} | ${t.clearFailure} | ${t.wrongAnswer} | ${t.lost} | ${t.duplicated} | ${t.leaked} | ${t.progressLost} | ${t.recoverMs === undefined ? 'n/a' : `${(t.recoverMs / 1000).toFixed(1)} s`} |`,
  );
  return [head, rule, ...rows].join('\n');
}
