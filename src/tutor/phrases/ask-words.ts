// The shape of everything the tutor says around a knowledge card's answer (`sensei ask`, /ask), once per
// language; one interface so a phrase added in one language cannot be forgotten in the other.

import type { Lang } from '../../lessons/schema.js';
import type { Bank, BankOf } from './words.js';

export interface AskWords {
  lang: Lang;
  /** A warm word before the card's answer. */
  opener: Bank;
  /** The card's command (already inline code), to run in the learner's own sandbox. */
  tryIt: BankOf<{ code: string }>;
  /** The lesson that goes deeper (with its step, when the card names one). */
  deeper: (p: { title: string; id: string; step?: number }) => string;
  /** The inviting question that ends an answer with a command. */
  inviteRun: Bank;
  /** The inviting question that ends an answer without one. */
  inviteMore: Bank;
  /** No confident card, but close ones: the kind "I'm not sure, did you mean…". */
  notSure: Bank;
  /** No card is close at all. */
  noIdea: Bank;
  /** The lesson that may help when no card is given. */
  lessonMayHelp: (p: { title: string; id: string }) => string;
  /** Said after a question nothing answered: it is kept so the cards can grow. */
  noted: string;
  /** What the tutor says for input it cannot look up at all. */
  empty: string;
  tooLong: (p: { max: number }) => string;
  noWords: string;
  otherLanguage: string;
  /** "I don't get it" right after an answer: sorry, then the ground it stands on (a basics card), said simply. */
  fromBasics: Bank;
  /** "I don't get it" right after an answer with no basics card to lean on: the same point in one line. */
  inOneLine: Bank;
  /** "I don't get it" again after the brief version: saying it a third time would not help. */
  stillUnclear: Bank;
  /** "I don't get it" right after a "did you mean" list: the nearest card, said simply. */
  nearest: Bank;
  /** Asks which word got in the way, so it can be asked about on its own. */
  whichWord: string;
  /** "I don't get it" with no answer or lesson in front of the learner: what would help. */
  puzzled: string;
  /** Heading of the sources list in the plain-text answer. */
  sources: string;
}
