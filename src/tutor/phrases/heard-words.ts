// Words for hearing a learner as a person would: a harsh line, a long paste of output, a line that is
// the next step's own command, and a step's command that is worth doing by the button.
import type { Bank } from './words.js';

export interface HeardWords {
  /** An insult or a harsh word about the tutor: calm, kind, and an offer of help (never cheer, never "likewise"). */
  hostile: Bank;
  /** What the tutor can do next after a harsh line. */
  hostileHelp: (p: { inLesson: boolean }) => string;
  /** A long paste that is mostly not commands (a log, some output): one reply, not one per line. */
  pastedText: (p: { lines: number }) => string;
  /** A long paste of commands: the first ones ran, the rest waits; said before they run. */
  pasteLong: (p: { lines: number; max: number }) => string;
  /** The line typed is the next step's own command: the learner is moved on to it, and it runs there. */
  stepAhead: (p: { step: number; total: number; title: string; where: string }) => string;
  /** "Are you still there?": yes, and where the learner is (a question to the desk it is not). */
  here: (p: { step?: { number: number; total: number; title: string } }) => string;
  /** A known /command given without (or with a wrong) argument: how it is written. */
  commandNeeds: (p: { name: string; usage: string }) => string;
}

/** `/platform linux|mac|windows` → `/platform linux`, `/start <id> [step]` → `/start 1`: a usage filled in. */
export function example(usage: string): string {
  return usage
    .replace(/\[[^\]]*\]/g, '')
    .replace(/<id>/g, '1')
    .replace(/<[^>]+>/g, '…')
    .replace(/(\S+?)\|\S+/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
