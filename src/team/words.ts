// The team features' words, one shape for both languages (./words-ja.ts, ./words-en.ts).

import type { Lang } from '../lessons/index.js';
import { en } from './words-en.js';
import { ja } from './words-ja.js';
import type { Period } from './time.js';

export interface TeamWords {
  period: Record<Period, string>;
  boardTitle: (period: string) => string;
  cohortTitle: (name: string, period: string) => string;
  cohortGoal: (args: { goal: number; deadline: string; daysLeft: number }) => string;
  totals: (args: { learners: number; active: number; period: string }) => string;
  lessonsHeading: string;
  lessonLine: (args: { title: string; started: number; finished: number }) => string;
  noLessons: string;
  membersHeading: string;
  memberBetween: string;
  memberDone: (n: number) => string;
  moreMembers: (n: number) => string;
  noMembers: string;
  finishersHeading: (period: string) => string;
  others: (n: number) => string;
  nobody: string;
  streaksHeading: string;
  days: (n: number) => string;
  helpersHeading: string;
  answers: (n: number) => string;
  privacyFooter: string;
  boardsOff: string;
  unknownCohort: (name: string, known: readonly string[]) => string;
  privacyShown: (name: string) => string;
  privacyHidden: string;
  streakLine: (args: { days: number; activeToday: boolean }) => string;
  remindOn: string;
  remindOff: string;
  remindButtonOn: string;
  remindButtonOff: string;
  reminder: (days: number) => string;
  digestTitle: (kind: 'weekly' | 'monthly', from: string, to: string) => string;
  digestFinished: (count: number) => string;
  digestNewcomers: (count: number) => string;
  digestStreaks: string;
  digestStuckHeading: string;
  digestStuckLine: (args: { lessonTitle: string; step: number; stepTitle: string; learners: number }) => string;
  digestNothingStuck: string;
  digestNextUp: (args: { title: string; learners: number; start: string }) => string;
  digestFooter: (learners: number) => string;
  exportHeader: readonly string[];
  exportGoal: string;
  exportReady: (args: { rows: number; cohort?: string }) => string;
  exportDenied: string;
  reportEmpty: (guildId: string) => string;
}

const WORDS: Readonly<Record<Lang, TeamWords>> = { ja, en };

export function teamWords(lang: Lang): TeamWords {
  return WORDS[lang];
}

const BAR = 10;

/** `▰▰▰▱▱▱▱▱▱▱ 3/10` */
export function progressBar(done: number, total: number): string {
  const filled = total > 0 ? Math.round((done / total) * BAR) : 0;
  return `${'▰'.repeat(filled)}${'▱'.repeat(BAR - filled)} ${done}/${total}`;
}
