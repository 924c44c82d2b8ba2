import type { Lang, Platform } from '../lessons/index.js';
import type { RunResult } from '../sandbox/types.js';

/**
 * What the tutor says, independent of any transport. Adapters (console, Discord) render these;
 * the tutor core never formats for a particular screen.
 */
export type Block =
  /** Plain tutor text (may contain inline `code` and **bold**, which every adapter can show). */
  | { kind: 'text'; text: string; role?: TextRole }
  /** A command for the learner to type, on their platform (shown as a code block). */
  | { kind: 'command'; command: string; where: CommandPlace }
  /** The real output of a command the learner ran. */
  | { kind: 'output'; command: string; result: RunResult; where: CommandPlace }
  /** Choices the learner can press (buttons in Discord, numbered hints in the console). */
  | { kind: 'choices'; choices: Choice[] }
  /** A progress bar line. */
  | { kind: 'progress'; label: string; done: number; total: number };

/** Which part of the seed's reply shape a text block is, so adapters may style it. */
export type TextRole =
  | 'encouragement'
  | 'point'
  | 'steps'
  | 'explanation'
  | 'background'
  | 'tip'
  | 'question'
  | 'hint'
  | 'notice'
  | 'celebration';

/**
 * Where a command runs: the learner's own machine (to try at home), or here for real: their sandbox, the lab
 * (their docker containers), the host's view of those containers, or inside one of them.
 */
export type CommandPlace =
  | { kind: 'sandbox'; mode: 'oneshot' | 'session' }
  | { kind: 'own-machine'; platform: Platform }
  | { kind: 'lab' }
  | { kind: 'host' }
  | { kind: 'container'; name: string };

/** Where the learner's next typed command will run; adapters show it in the prompt or status line. */
export type LearnerWhere = { kind: 'sandbox' } | { kind: 'host' } | { kind: 'container'; name: string };

/** A button; its action is an event the tutor understands, so adapters can route it statelessly. */
export interface Choice {
  label: string;
  action: ChoiceAction;
}

export type ChoiceAction =
  | { type: 'run-step' }
  | { type: 'hint' }
  | { type: 'next' }
  | { type: 'start'; lessonId: string }
  | { type: 'platform'; platform: Platform }
  | { type: 'quiz'; questionId: string; choice: number }
  /** The answer to "did you mean that as a command?": run the line the tutor kept, or treat it as chat. */
  | { type: 'line'; run: boolean }
  /** Show the background and tip the short reply held back. */
  | { type: 'more' }
  /** Move to the host's view or back to the sandbox. */
  | { type: 'place'; place: 'host' | 'sandbox' }
  /** Show a knowledge card ("did you mean"), or run its command in the learner's sandbox. */
  | { type: 'card'; cardId: string }
  | { type: 'try-card'; cardId: string }
  /** 👍/👎 on an answer, so the worst-rated cards can be found and fixed. */
  | { type: 'rate'; cardId: string; vote: 'up' | 'down' };

export interface Reply {
  blocks: Block[];
  lang: Lang;
  /** Where the learner's next command runs, after this reply. */
  where?: LearnerWhere;
  /** The learner's reply style, for transports that shorten replies themselves. */
  style?: 'short' | 'detailed';
}
