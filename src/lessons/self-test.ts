import type { Curriculum } from './curriculum.js';
import { planLessonChecks, type LessonCheck } from './check.js';
import { matchExpectations, type CommandResult } from './match.js';
import type { Step } from './schema.js';

/** Runs one command the way a learner's command runs (the queue path), for one learner id. */
export type RunForCheck = (learnerId: string, command: string, mode: 'oneshot' | 'session' | 'lab', profile: 'default' | 'userns') => Promise<CommandResult>;

export interface StepVerdict {
  lessonId: string;
  stepId: string;
  mode: 'oneshot' | 'session' | 'lab';
  status: 'pass' | 'fail' | 'skipped';
  why: string;
}

/**
 * Runs every step's sandbox command for real and checks that an expected output comes back. A
 * lesson's steps run in order under one learner id (so session steps share one container); lessons
 * run side by side, `parallel` at a time.
 */
export async function selfTestLessons(
  curriculum: Curriculum,
  run: RunForCheck,
  opts: { learnerPrefix: string; parallel?: number; only?: string[] },
): Promise<StepVerdict[]> {
  const plans = planLessonChecks(curriculum).filter((p) => !opts.only?.length || opts.only.includes(p.lessonId));
  const results = await inLanes(plans, opts.parallel ?? 3, (plan, i) => checkLesson(plan, run, `${opts.learnerPrefix}-${i}`));
  return results.flat();
}

/** Runs `work` over the items, `parallel` at a time, keeping the results in the items' order. */
export async function inLanes<T, R>(items: readonly T[], parallel: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, lane));
  return results;
}

async function checkLesson(plan: LessonCheck, run: RunForCheck, learnerId: string): Promise<StepVerdict[]> {
  const verdicts: StepVerdict[] = [];
  for (const step of plan.steps) {
    const verdict = await runAndJudge(step.step, () => run(learnerId, step.command, step.mode, step.profile));
    verdicts.push({ lessonId: plan.lessonId, stepId: step.stepId, mode: step.mode, ...verdict });
  }
  for (const s of plan.skipped) verdicts.push({ lessonId: plan.lessonId, stepId: s.stepId, mode: 'lab', status: 'skipped', why: s.reason });
  return verdicts;
}

/** Runs one command for real and says whether its output is one the expectations name, and why not. */
export async function runAndJudge(expectations: Pick<Step, 'expect' | 'unexpected'>, run: () => Promise<CommandResult>): Promise<{ status: 'pass' | 'fail'; why: string }> {
  let result: CommandResult;
  try {
    result = await run();
  } catch (err) {
    return { status: 'fail', why: `not run: ${(err as Error).message}` };
  }
  const outcome = matchExpectations(expectations, result, 'en');
  if (outcome.kind === 'expected') return { status: 'pass', why: `expected output "${outcome.id}"` };
  return { status: 'fail', why: `${outcome.kind} "${outcome.id}" (exit ${result.exitCode ?? '?'}): ${firstLine(result.stderr || result.stdout)}` };
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '(no output)';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

/** A plain-text table: lesson, step, result, why (`sensei knowledge check` names its columns card and check). */
export function formatVerdictTable(verdicts: StepVerdict[], names: { lesson: string; step: string; plural: string } = { lesson: 'lesson', step: 'step', plural: 'lessons' }): string {
  const rows = verdicts.map((v) => [v.lessonId, v.stepId, v.status === 'pass' ? 'PASS' : v.status === 'fail' ? 'FAIL' : 'skip', v.why]);
  const head = [names.lesson, names.step, 'result', 'why'];
  const widths = [0, 1, 2].map((c) => Math.max(head[c]!.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell)).join('  ');
  const passed = verdicts.filter((v) => v.status === 'pass').length;
  const failed = verdicts.filter((v) => v.status === 'fail').length;
  const skipped = verdicts.length - passed - failed;
  return [line(head), ...rows.map(line), '', `${names.plural}: ${passed} passed, ${failed} failed, ${skipped} skipped`].join('\n');
}
