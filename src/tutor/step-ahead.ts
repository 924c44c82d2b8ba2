// A learner who follows the seed types the next line without pressing Next. When that line is the next
// step's own command and the current step has passed, the learner is moved on to that step (and to the
// place it looks from) before the line runs, so it runs where the step means and is judged as that step.
import type { Step } from '../lessons/index.js';
import type { TutorDeps } from './deps.js';
import { heardWords } from './heard.js';
import * as talk from './persona-talk.js';
import { destination, FRESH_STEP, placeForStep } from './place.js';
import type { Block } from './reply.js';
import type { Turn } from './run-line.js';
import { lessonAt } from './say-free.js';
import { sameCommand } from './shape.js';

/** How many steps ahead a typed line may be recognised: the seed skips the lab's extra step, never a lesson's teaching. */
const LOOK_AHEAD = 2;

/**
 * Whether `line` is the step's own command, typed where the learner is. Typed inside a container, it is
 * `docker exec NAME line`: only the step's lab form can mean that (its sandbox form runs somewhere else). On the
 * host's view, a step that runs in the sandbox cannot be meant: moving there would run a host line in the sandbox
 * (the Mac learner's `/ # ps aux | grep …`, a line of a later step's own-machine form).
 */
function isStepCommand(step: Step, line: string, context: Turn['state']['context']): boolean {
  if (context?.kind === 'container') return step.try.lab !== undefined && (sameCommand(`docker exec ${context.name} ${line}`, step.try.lab) || sameCommand(line, step.try.lab));
  if (context?.kind === 'host' && placeForStep(step, context).moved === 'sandbox') return false;
  if (step.try.sandbox !== undefined && sameCommand(line, step.try.sandbox)) return true;
  // A line of the step's lab or own-machine form counts when, from where the step puts the learner, it runs where
  // such a line would (the lab, the host's view): `ls -l /proc/12033/ns` in the sandbox looks for a host PID in vain.
  const machineForm = [step.try.lab, step.try.linux].some((form) => form !== undefined && sameCommand(line, form));
  return machineForm && destination(line, placeForStep(step, context).context).kind !== 'sandbox';
}

/**
 * Moves the learner on when `line` is the own command of one of the next few steps (the first that matches) and
 * the current step has passed. Returns the notice to show and the turn as it is after the move, or undefined.
 */
export async function moveToStepOf(deps: Pick<TutorDeps, 'curriculum' | 'store'>, t: Turn, line: string): Promise<{ blocks: Block[]; turn: Turn } | undefined> {
  const { state } = t;
  const at = lessonAt(deps, state);
  if (!at || !state.stepPassed) return undefined;
  const ahead = at.lesson.steps.slice(state.stepIndex + 1, state.stepIndex + 1 + LOOK_AHEAD);
  const found = ahead.findIndex((s) => isStepCommand(s, line, state.context));
  if (found < 0) return undefined;
  const index = state.stepIndex + 1 + found;
  const step = ahead[found]!;
  const place = placeForStep(step, state.context);
  const stillHere = (s: typeof state) => s.lessonId === at.lesson.id && s.stepIndex === state.stepIndex;
  const moved = await deps.store.update(t.learnerId, () => state, (s) => (stillHere(s) ? { ...s, ...FRESH_STEP, stepIndex: index, context: place.context } : s));
  if (!(moved.lessonId === at.lesson.id && moved.stepIndex === index)) return undefined;
  const where = talk.placeName(state.lang, destination(line, moved.context));
  const notice = heardWords(state.lang).stepAhead({ step: index + 1, total: at.lesson.steps.length, title: step.title, where });
  return { blocks: [talk.notice(notice)], turn: { ...t, state: moved } };
}

