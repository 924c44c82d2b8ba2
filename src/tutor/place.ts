// Where a lesson step puts the learner, and what a fresh step starts from.
import type { Step } from '../lessons/index.js';
import type { CommandPlace, LearnerWhere } from './reply.js';
import { routeCommand } from './route.js';
import type { LearnerState } from './state.js';

/** What a new step starts from: no tries, no hints, nothing pending. */
export const FRESH_STEP = { attempts: 0, hintsUsed: 0, stepPassed: false, pendingQuiz: undefined, awaiting: undefined, pendingLine: undefined } as const;


/**
 * Where a step puts the learner: a lab step that looks from the host moves them to the host's view; a step
 * in their sandbox brings them back from it. Inside a container they stay until they type `exit`.
 */
export function placeForStep(step: Step, context: LearnerState['context']): { context: LearnerState['context']; moved?: 'host' | 'sandbox' } {
  const hostStep = step.mode === 'lab' && step.try.lab !== undefined && !/^(?:sudo\s+)?docker\s/.test(step.try.lab);
  if (hostStep) return context?.kind === 'host' ? { context } : { context: { kind: 'host' }, moved: 'host' };
  if (context?.kind === 'host' && step.mode !== 'lab') return { context: undefined, moved: 'sandbox' };
  return { context };
}

/** Where the learner's next command runs. */
export function whereOf(state: LearnerState): LearnerWhere {
  if (state.context?.kind === 'host') return { kind: 'host' };
  if (state.context?.kind === 'container') return { kind: 'container', name: state.context.name };
  return { kind: 'sandbox' };
}

/** Where a line would run if the learner said "run it" (`docker …` in the lab, `sudo …` on the host's view). */
export function destination(line: string, context: LearnerState['context']): CommandPlace | { kind: 'sandbox' } {
  const route = routeCommand(line, context);
  if (route.to === 'lab' || route.to === 'host') return { kind: route.to };
  return route.to === 'container' ? { kind: 'container', name: route.name } : { kind: 'sandbox' };
}
