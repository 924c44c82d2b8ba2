// What the conversation engine needs from the rest of the system: how to run commands (the queue), where
// learner state lives, how the transport names its commands, and where learning events go.
import type { Curriculum, Lang } from '../lessons/index.js';
import type { LabCommand } from '../lab/command.js';
import type { LabNote } from '../lab/notes.js';
import type { Progress } from '../queue/jobs.js';
import type { RunResult, SandboxProfile } from '../sandbox/types.js';
import type { CommandUsage } from './commands.js';
import type { RecordLearningEvent } from './learning-events.js';
import type { QuestionDesk } from './questions.js';
import type { Voice } from './voice.js';
import type { LearnerStore } from './state.js';

export type RunMode = 'oneshot' | 'session';

/** How the tutor runs a shell command in the learner's sandbox: the queue's submit, which throws SubmitError when it refuses. */
export type RunCommand = (
  learnerId: string,
  command: string,
  mode: RunMode,
  opts: { onProgress?: (p: Progress) => void; profile?: SandboxProfile },
) => Promise<{ result: RunResult; newSession?: boolean; sessionLost?: boolean }>;

/** How the tutor runs a parsed lab command: the facts come back (flags on the result, notes as codes). */
export type RunLabCommand = (learnerId: string, command: LabCommand, opts: { onProgress?: (p: Progress) => void }) => Promise<{ result: RunResult; notes: LabNote[] }>;

export interface TutorDeps {
  curriculum: Curriculum;
  store: LearnerStore;
  run: RunCommand;
  runLab: RunLabCommand;
  /** Removes the learner's lab containers (on reset and forget). */
  clearLab: (learnerId: string) => Promise<unknown>;
  defaultLang: Lang;
  /** How this transport names its commands, so the tutor's sentences match what the learner can type. */
  commands?: Voice['commands'];
  /** Ends the learner's sandbox session (on reset and forget), when the transport can. */
  endSession?: (learnerId: string) => Promise<void>;
  /** Deletes what the rest of the system keeps about the learner (queued jobs, sessions), on forget. */
  forgetLearner?: (learnerId: string) => Promise<void>;
  /**
   * The transport shortens replies itself (Discord's More button expands a message in place): the tutor then
   * returns every block and says the learner's style in Reply.style, instead of holding details back.
   */
  rendersMore?: boolean;
  /** Quick Q&A from the knowledge cards; without it, questions are pointed to the lessons. */
  questions?: QuestionDesk;
  /** Receives every learning event (lesson started, step passed, …), for boards, streaks and exports. */
  recordEvent?: RecordLearningEvent;
  /** This transport's commands as learners write them (src/tutor/commands.ts), for the help text. */
  commandUsages?: readonly CommandUsage[];
  /** Told why each command a learner sent was not run (a queue refusal's code, or `lab:` and the lab's code), for metrics. */
  onRefused?: (reason: string) => void;
}

/** Where a running command runs, for status lines. */
export type RunPlace = { kind: 'sandbox' } | { kind: 'lab' } | { kind: 'host' } | { kind: 'container'; name: string };

export interface HandleOptions {
  /** How a run is coming along, and where it runs (so a status line can say "on the host's view"). */
  onProgress?: (p: Progress, place?: RunPlace) => void;
  /** The language to start a new learner in (e.g. from the Discord client locale). */
  langHint?: Lang;
  /** A line of a paste: it waits for the cooldown and the line before it rather than being refused. */
  patient?: boolean;
  /** A later line of a paste (not its first): a cheer said for the first line is not said again for each one. */
  laterInPaste?: boolean;
  /** The server the learner is in (Discord), recorded with learning events. */
  guildId?: string;
}

