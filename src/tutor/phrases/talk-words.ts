// The words of the conversation itself, once per language: a line the tutor is unsure about, answers to
// its questions, pastes, where a command ran, the Mac path, and what the host's view shows.
import type { Bank } from './words.js';

export interface TalkWords {
  label: { runIt: string; wasTalking: string; more: string; hostView: string; sandbox: string; runFilled: (name: string) => string; removeTaken: (name: string) => string };
  /** The tutor cannot tell a command from chat; it asks instead of guessing. */
  unsure: (p: { command: string; where: string }) => string;
  /** A first word one slip away from a known command (`dokcer ps`). */
  didYouMean: (p: { typed: string; fixed: string; where: string }) => string;
  /** Next was asked for, but the step has not passed yet. */
  notPassedYet: string;
  /** A typed shell comment: a shell skips it, and so does the tutor. */
  comment: string;
  /** A number that presses none of the offered choices. */
  whichOne: (p: { count: number }) => string;
  /** A sad or frustrated line (😭): comfort, not thanks. */
  sad: Bank;
  /** The container the learner was inside was stopped or removed: back where they were. */
  containerGone: (p: { name: string; where: string }) => string;
  /** A seed placeholder typed as is (`<ID>`, `/proc/PID/ns`): fill it in, and where the value comes from. */
  fillIn: (p: { placeholder: string; kind: 'id' | 'pid' | 'other' }) => string;
  /** A question about "this" during a step: the step's own point. */
  aboutStep: (p: { title: string }) => string;
  unsureGone: string;
  wasTalking: Bank;
  nothingToLeave: string;
  /** The learner's sandbox container died (the machine restarted) and a fresh one took its place. */
  sessionLost: string;
  alreadyInSandbox: string;
  leftHost: string;
  /** A lesson step that looks from the host puts the learner on the host's view, and back. */
  movedToHost: string;
  movedToSandbox: string;
  mac: { what: string; whyNot: string; seeHere: string; movedHere: string };
  /** A free-text answer to the tutor's own question. */
  heardGeneric: Bank;
  heardOnward: string;
  pasteRest: (p: { ran: number; left: number }) => string;
  style: { short: string; detailed: string };
  moreNothing: string;
  /** Said with an explanation that comes from another lesson than the current one. */
  fromLesson: (title: string) => string;
  where: { sandbox: string; lab: string; host: string; container: (name: string) => string };
  host: {
    psFound: (p: { pids: string }) => string;
    nsLinks: string;
    inspectId: string;
    cgroupBytes: (p: { bytes: string; mib: string }) => string;
    cgroupFromFlag: (p: { flag: string; bytes: string; mib: string }) => string;
    cgroupNoLimit: string;
  };
  controllersMissing: string;
  /** The engine the learner's lab lived on was lost (told once, by the system, not in reply to them). */
  labLost: { what: string; next: string; tip: string; question: string };
}
