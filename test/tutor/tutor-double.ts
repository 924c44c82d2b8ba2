// A Tutor over an in-memory store and scripted runners, for tests of what the tutor says about real outputs.
import type { LabCommand } from '../../src/lab/command.js';
import type { LabNote } from '../../src/lab/notes.js';
import type { Curriculum } from '../../src/lessons/index.js';
import type { RunResult } from '../../src/sandbox/types.js';
import { MemoryLearnerStore } from '../../src/store/memory-learner-store.js';
import { Tutor, type TutorDeps } from '../../src/tutor/engine.js';
import type { LearningEvent } from '../../src/tutor/learning-events.js';
import type { Block, ChoiceAction, Reply } from '../../src/tutor/reply.js';

export const ok = (stdout: string, extra: Partial<RunResult> = {}): RunResult => ({
  stdout,
  stderr: '',
  exitCode: 0,
  timedOut: false,
  oomKilled: false,
  truncated: false,
  durationMs: 5,
  ...extra,
});
export const textOf = (r: Reply) => r.blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : [])).join('\n');
export const actionsOf = (r: Reply): ChoiceAction[] => r.blocks.flatMap((b) => (b.kind === 'choices' ? b.choices.map((c) => c.action) : []));
export const outputOf = (r: Reply) => r.blocks.find((b): b is Extract<Block, { kind: 'output' }> => b.kind === 'output');

export function scriptedTutor(
  curriculum: Curriculum,
  outputs: { sandbox?: (command: string) => RunResult; lab?: (command: LabCommand) => RunResult; labNotes?: (command: LabCommand) => LabNote[] } = {},
  lang: 'ja' | 'en' = 'en',
  /** More of the tutor's dependencies (the question desk, rendersMore, the transport's command usages). */
  extra: Partial<TutorDeps> = {},
) {
  const ran: { where: 'sandbox' | 'lab'; command: string; lab?: LabCommand }[] = [];
  const events: LearningEvent[] = [];
  const deps: TutorDeps = {
    curriculum,
    store: new MemoryLearnerStore(),
    defaultLang: lang,
    run: async (_learner, command) => {
      ran.push({ where: 'sandbox', command });
      return { result: outputs.sandbox?.(command) ?? ok('') };
    },
    runLab: async (_learner, command) => {
      ran.push({ where: 'lab', command: command.kind, lab: command });
      return { result: outputs.lab?.(command) ?? ok(''), notes: outputs.labNotes?.(command) ?? [] };
    },
    clearLab: async () => ({ removed: 0 }),
    recordEvent: async (e) => void events.push(e),
    ...extra,
  };
  return { tutor: new Tutor(deps), ran, events };
}
