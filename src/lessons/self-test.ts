import type { Curriculum } from './curriculum.js';
import { judgeStepRun, planLessonChecks, type LessonCheck } from './check.js';
import type { CommandResult } from './match.js';

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
  const results: StepVerdict[][] = new Array(plans.length);
  let next = 0;
  const lane = async () => {
    while (next < plans.length) {
      const i = next++;
      results[i] = await checkLesson(plans[i]!, run, `${opts.learnerPrefix}-${i}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.parallel ?? 3) }, lane));
  return results.flat();
}

async function checkLesson(plan: LessonCheck, run: RunForCheck, learnerId: string): Promise<StepVerdict[]> {
  const verdicts: StepVerdict[] = [];
  for (const step of plan.steps) {
    let result: CommandResult;
    try {
      result = await run(learnerId, step.command, step.mode, step.profile);
    } catch (err) {
      verdicts.push({ lessonId: plan.lessonId, stepId: step.stepId, mode: step.mode, status: 'fail', why: `not run: ${(err as Error).message}` });
      continue;
    }
    const { ok, outcome } = judgeStepRun(step.step, result, 'en');
    const why = ok
      ? `expected output "${outcome.id}"`
      : `${outcome.kind} "${outcome.id}" (exit ${result.exitCode ?? '?'}): ${firstLine(result.stderr || result.stdout)}`;
    verdicts.push({ lessonId: plan.lessonId, stepId: step.stepId, mode: step.mode, status: ok ? 'pass' : 'fail', why });
  }
  for (const s of plan.skipped) verdicts.push({ lessonId: plan.lessonId, stepId: s.stepId, mode: 'lab', status: 'skipped', why: s.reason });
  return verdicts;
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '(no output)';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

/** A plain-text table: lesson, step, result, why. */
export function formatVerdictTable(verdicts: StepVerdict[]): string {
  const rows = verdicts.map((v) => [v.lessonId, v.stepId, v.status === 'pass' ? 'PASS' : v.status === 'fail' ? 'FAIL' : 'skip', v.why]);
  const head = ['lesson', 'step', 'result', 'why'];
  const widths = [0, 1, 2].map((c) => Math.max(head[c]!.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell)).join('  ');
  const passed = verdicts.filter((v) => v.status === 'pass').length;
  const failed = verdicts.filter((v) => v.status === 'fail').length;
  const skipped = verdicts.length - passed - failed;
  return [line(head), ...rows.map(line), '', `lessons: ${passed} passed, ${failed} failed, ${skipped} skipped`].join('\n');
}
