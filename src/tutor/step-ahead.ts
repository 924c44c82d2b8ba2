// A learner who follows the seed types the next line without pressing Next. When that line is the next
// step's own command and the current step has passed, the learner is moved on to that step (and to the
// place it looks from) before the line runs, so it runs where the step means and is judged as that step.
import type { TutorDeps } from './deps.js';
import { heardWords } from './heard.js';
import * as talk from './persona-talk.js';
import { destination, FRESH_STEP, placeForStep } from './place.js';
import type { Block } from './reply.js';
import type { Turn } from './run-line.js';
import { lessonAt } from './say-free.js';
import { sameCommand } from './shape.js';

/**
 * Moves the learner on when `line` is the next step's own command (in any of its forms) and the current
 * step has passed. Returns the notice to show and the turn as it is after the move, or undefined.
 */
export async function moveToStepOf(deps: Pick<TutorDeps, 'curriculum' | 'store'>, t: Turn, line: string): Promise<{ blocks: Block[]; turn: Turn } | undefined> {
  const { state } = t;
  const at = lessonAt(deps, state);
  if (!at || !state.stepPassed) return undefined;
  const index = state.stepIndex + 1;
  const step = at.lesson.steps[index];
  if (!step) return undefined;
  const forms = [step.try.lab, step.try.linux, step.try.sandbox];
  if (!forms.some((form) => form !== undefined && sameCommand(line, form))) return undefined;
  const place = placeForStep(step, state.context);
  const stillHere = (s: typeof state) => s.lessonId === at.lesson.id && s.stepIndex === state.stepIndex;
  const moved = await deps.store.update(t.learnerId, () => state, (s) => (stillHere(s) ? { ...s, ...FRESH_STEP, stepIndex: index, context: place.context } : s));
  if (!(moved.lessonId === at.lesson.id && moved.stepIndex === index)) return undefined;
  const where = talk.placeName(state.lang, destination(line, moved.context));
  const notice = heardWords(state.lang).stepAhead({ step: index + 1, total: at.lesson.steps.length, title: step.title, where });
  return { blocks: [talk.notice(notice)], turn: { ...t, state: moved } };
}

