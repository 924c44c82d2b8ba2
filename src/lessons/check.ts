import type { Curriculum } from './curriculum.js';
import { matchExpectations, type CommandResult, type MatchOutcome } from './match.js';
import { lessonLanguages, type Lang, type Step } from './schema.js';

/** One step's sandbox command, as `sensei lessons check` runs it. */
export interface StepCheck {
  stepId: string;
  /** `lab`: the command is the step's docker line, run on the lesson learner's lab containers. */
  mode: 'oneshot' | 'session' | 'lab';
  profile: 'default' | 'userns';
  command: string;
  step: Step;
}

/**
 * The commands of one lesson, in order. Session steps of a lesson share one container (in order);
 * oneshot steps get a fresh one each; lab steps run their docker line on the learner's lab containers.
 */
export interface LessonCheck {
  lessonId: string;
  file: string;
  steps: StepCheck[];
  skipped: { stepId: string; reason: string }[];
}

/**
 * What `sensei lessons check` must run. Parity guarantees every language has the same commands and
 * matchers, so the primary language's lessons are enough.
 */
export function planLessonChecks(curriculum: Curriculum, lang: Lang = lessonLanguages[0]): LessonCheck[] {
  return curriculum.list(lang).map((lesson) => {
    const check: LessonCheck = { lessonId: lesson.id, file: lesson.file, steps: [], skipped: [] };
    for (const step of lesson.steps) {
      const command = step.mode === 'lab' ? step.try.lab : step.try.sandbox;
      if (command === undefined) check.skipped.push({ stepId: step.id, reason: 'a lab step without a lab command' });
      else check.steps.push({ stepId: step.id, mode: step.mode, profile: step.profile ?? 'default', command, step });
    }
    return check;
  });
}

/** Whether a real run of a step's sandbox command gave an output the step expects. */
export function judgeStepRun(step: Step, result: CommandResult, lang: Lang = lessonLanguages[0]): { ok: boolean; outcome: MatchOutcome } {
  const outcome = matchExpectations(step, result, lang);
  return { ok: outcome.kind === 'expected', outcome };
}
