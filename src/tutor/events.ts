// Everything a learner can do, whatever the transport, and the event each offered choice stands for.
import type { Lang, Platform } from '../lessons/index.js';
import type { ChoiceAction } from './reply.js';

/** Everything a learner can do, whatever the transport. */
export type TutorEvent =
  | { type: 'hello' }
  /** Every command, as this transport writes it (TutorDeps.commandUsages), with what it does. */
  | { type: 'help' }
  | { type: 'lessons' }
  | { type: 'start'; lessonId: string; step?: number }
  | { type: 'next' }
  | { type: 'skip' }
  | { type: 'run-step' }
  /** An explicit command (`$ …`, Discord's /run): run it, never read it as chat. */
  | { type: 'command'; command: string }
  /** A line the learner typed: the tutor decides whether it is a command or chat. */
  | { type: 'line'; text: string }
  | { type: 'hint' }
  | { type: 'quiz'; questionId: string; answer: string }
  | { type: 'progress' }
  | { type: 'reset' }
  | { type: 'forget' }
  | { type: 'platform'; platform: Platform }
  | { type: 'language'; lang: Lang }
  /** Explicit chat: never run. */
  | { type: 'text'; text: string }
  /** Where commands run: the learner's sandbox, or the host's view of their lab containers. */
  | { type: 'place'; place: 'sandbox' | 'host' }
  /** The answer to "did you mean that as a command?". */
  | { type: 'confirm-line'; run: boolean }
  /** Show what a short reply held back. */
  | { type: 'more' }
  | { type: 'style'; style: 'short' | 'detailed' }
  /** A question for the knowledge cards (`/ask`, `sensei ask`); typed questions arrive as lines. */
  | { type: 'ask'; question: string }
  | { type: 'card'; cardId: string }
  | { type: 'try-card'; cardId: string }
  | { type: 'rate'; cardId: string; vote: 'up' | 'down' }
  /** A /command the transport does not know; answered kindly with the ones it does. */
  | { type: 'unknown-command'; given: string; known: readonly string[] };

/** The event a pressed choice stands for; every transport routes buttons through this. */
export function eventForChoice(action: ChoiceAction): TutorEvent {
  switch (action.type) {
    case 'quiz':
      return { type: 'quiz', questionId: action.questionId, answer: String(action.choice + 1) };
    case 'line':
      return { type: 'confirm-line', run: action.run };
    default:
      // Every other choice is the very event it names, with the same fields.
      return { ...action } satisfies TutorEvent;
  }
}
