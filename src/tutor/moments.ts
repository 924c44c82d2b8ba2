// Teaching moments: every lesson step's expectations, found by the command that produced an output, so
// a command typed anywhere (not only at its own step) gets the explanation the curriculum has for it.
import { matchExpectations, type Curriculum, type Lang, type Lesson, type MatchOutcome, type Step } from '../lessons/index.js';
import type { RunResult } from '../sandbox/types.js';
import { commandShape, shapesOf } from './shape.js';

export interface Moment {
  lesson: Lesson;
  step: Step;
  index: number;
  outcome: Extract<MatchOutcome, { kind: 'expected' } | { kind: 'unexpected'; source: 'step' }>;
}

interface Entry {
  lesson: Lesson;
  step: Step;
  index: number;
}

/** Where the learner is, so their own lesson's explanation wins over another lesson's. */
export interface MomentContext {
  lessonId?: string;
  stepIndex?: number;
}

/** An index of the curriculum's commands by shape, per language; built once per curriculum. */
export class TeachingMoments {
  private readonly byLang = new Map<Lang, Map<string, Entry[]>>();

  constructor(private readonly curriculum: Curriculum) {}

  private index(lang: Lang): Map<string, Entry[]> {
    let index = this.byLang.get(lang);
    if (index) return index;
    index = new Map();
    for (const lesson of this.curriculum.list(lang)) {
      lesson.steps.forEach((step, i) => {
        const shapes = new Set([step.try.sandbox, step.try.lab, step.try.linux, step.try.mac, step.try.windows].flatMap((c) => shapesOf(c)));
        for (const shape of shapes) {
          const list = index!.get(shape) ?? [];
          list.push({ lesson, step, index: i });
          index!.set(shape, list);
        }
      });
    }
    this.byLang.set(lang, index);
    return index;
  }

  /** Steps whose commands include this one, the learner's own step and lesson first. */
  stepsFor(command: string, lang: Lang, at: MomentContext = {}): Entry[] {
    const found = this.index(lang).get(commandShape(command)) ?? [];
    const rank = (e: Entry) => (e.lesson.id === at.lessonId ? (e.index === at.stepIndex ? 0 : 1) : 2);
    return [...found].sort((a, b) => rank(a) - rank(b) || a.lesson.order - b.lesson.order || a.index - b.index);
  }

  /** The explanation the curriculum has for this command's real output, if any step knows it. */
  explain(command: string, result: RunResult, lang: Lang, at: MomentContext = {}): Moment | undefined {
    for (const entry of this.stepsFor(command, lang, at)) {
      const outcome = matchExpectations(entry.step, result, lang);
      if (outcome.kind === 'expected' || (outcome.kind === 'unexpected' && outcome.source === 'step')) return { ...entry, outcome };
    }
    return undefined;
  }
}
