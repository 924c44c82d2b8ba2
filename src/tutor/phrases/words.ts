// The shape of everything the tutor says around lesson content, once per language. Keeping one interface
// for both languages means a phrase added in Japanese cannot be forgotten in English (the compiler says so).

import type { Lang, Platform } from '../../lessons/index.js';

/**
 * Interchangeable wordings of one phrase. The persona picks one by the learner's turn counter, so the same
 * moment is never worded the same way twice in a row; every bank holds at least four distinct entries.
 */
export type Bank = readonly string[];
/** A bank whose wordings take values (a title, a number). */
export type BankOf<P> = readonly ((p: P) => string)[];

/** How the learner talks to the tutor; one place, so a renamed command is renamed in every sentence. */
export interface TutorCommands {
  /** Lists the lessons. */
  lessons: string;
  /** Starts a lesson: `<start> <id>`. */
  start: string;
  /** The prefix that runs a line in the sandbox. */
  run: string;
  /** Asks for a hint on the current step. */
  hint: string;
  /** Whether typed messages reach the tutor (false on Discord without the Message Content intent). */
  canType?: boolean;
}

/** How a learner sends this command here: typed as it is, or after the transport's run command. */
export function typedAs(c: TutorCommands, command: string): string {
  return c.canType === false ? `${c.run}${command}` : command;
}

export interface StepPlace {
  title: string;
  /** 1-based. */
  step: number;
  total: number;
  stepTitle: string;
}

export interface Words {
  lang: Lang;
  platformName: Readonly<Record<Platform, string>>;
  label: {
    run: string;
    hint: string;
    anotherHint: string;
    next: string;
    finishLesson: string;
    continue: string;
    start: (title: string) => string;
    platform: Readonly<Record<Platform, string>>;
  };
  /** Joins items of a short inline list. */
  listSeparator: string;

  // welcome
  welcomeNew: Bank;
  welcomeBack: Bank;
  whatWeDo: string;
  howToStart: (c: TutorCommands) => string;
  askPlatform: string;
  continueFrom: BankOf<StepPlace>;
  returningStart: (c: TutorCommands) => string;

  // lesson list
  listLead: Bank;
  phaseHeading: (p: { number: number; title: string; done: number; total: number }) => string;
  listHowToStart: (c: TutorCommands) => string;
  listSuggest: (title: string) => string;
  listAllDone: Bank;

  // lesson intro
  lessonOpen: BankOf<{ title: string }>;
  lessonMeta: (p: { id: string; phase: number; steps: number }) => string;
  lessonCovers: (summary: string) => string;
  lessonReady: Bank;

  // a step, before it is run
  stepCounter: (p: { n: number; total: number; title: string }) => string;
  stepEncourage: Bank;
  ownMachineLead: BankOf<{ platform: string }>;
  sandboxLead: Bank;
  howToRun: BankOf<{ typed: string }>;
  /** `prefix`: what goes before the command, empty when it is simply typed. */
  howToRunLong: BankOf<{ prefix: string }>;

  // a step's result
  celebrate: Bank;
  /** A pass after one failed try: glad, not a feat. */
  celebrateAfterSlip: Bank;
  celebrateAfterTries: Bank;
  calm: Bank;
  tryNext: Bank;
  offerAnswer: BankOf<{ answer: string }>;
  invite: Bank;
  note: {
    timedOut: string;
    oomKilled: string;
    truncated: string;
    truncatedButFine: string;
  };

  // free practice
  practiceOk: string;
  practiceFailed: (exitCode: number) => string;
  practiceNoExit: string;
  practiceCheer: Bank;
  practiceSuggest: BankOf<TutorCommands>;

  // hints
  hintLead: readonly [Bank, Bank, Bank];
  hintNone: Bank;
  hintRestate: (answer: string) => string;

  // lesson complete
  lessonDone: BankOf<{ title: string }>;
  nextLesson: BankOf<{ title: string; summary: string }>;
  curriculumDone: Bank;
  curriculumAfter: (c: TutorCommands) => string;

  // progress
  progressLead: Bank;
  progressDone: (titles: readonly string[]) => string;
  progressNoneYet: (c: TutorCommands) => string;
  progressCurrent: (p: StepPlace) => string;
  progressNoCurrent: (c: TutorCommands) => string;
  progressAllDone: string;
  phaseFallback: (number: number) => string;

  // quiz
  quizLead: Bank;
  quizPick: string;
  quizFree: string;
  quizRight: Bank;
  quizWrong: Bank;
  quizAnswerWas: (answer: string) => string;

  // refusals (the queue said no)
  refusalLead: Bank;
  refusal: {
    busy: string;
    cooldown: (seconds: number) => string;
    queueFull: (limit: number) => string;
    serverFull: string;
    /** A restarted chat found the command its previous run left unanswered. */
    interrupted: (command: string) => string;
    empty: string;
    tooLong: (limit: number | undefined) => string;
    control: string;
    invalidCommand: string;
    invalidLearner: string;
    unavailable: string;
  };
  progressSafe: string;

  // problems (the tutor could not do what was asked)
  problemLead: Bank;
  problem: {
    unknownLesson: (given: string) => string;
    maybeYouMeant: string;
    seeList: (c: TutorCommands) => string;
    noActiveLesson: (c: TutorCommands) => string;
    stepOutOfRange: (p: { title: string; given: number; total: number }) => string;
    messageTooLong: (limit: number) => string;
    emptyMessage: (c: TutorCommands) => string;
    unknownCommand: (given: string) => string;
    didYouMean: (command: string) => string;
    knownCommands: (list: string) => string;
    missingPrerequisites: BankOf<{ list: string }>;
    missingPrerequisitesOk: string;
    nothingToAnswer: string;
  };

  // platform, language, reset, forget
  platformAck: BankOf<{ platform: string }>;
  platformLucky: Readonly<Record<Platform, string>>;
  platformDiffers: Readonly<Record<Platform, string>>;
  platformCommand: (platform: string) => string;
  languageChanged: Bank;
  resetDone: Bank;
  resetWhat: (c: TutorCommands) => string;
  forgetDone: Bank;
  forgetWhat: string;

  // free-text questions and chat
  pointLead: Bank;
  pointStep: (stepTitle: string) => string;
  pointNone: Bank;
  pointNoneWhere: (c: TutorCommands) => string;
  smallTalk: Bank;
  smallTalkHow: (c: TutorCommands) => string;
  /** The lab: entering and leaving a lab container's shell. */
  labEnter: (name: string) => string;
  /** Switching to the host's view of the learner's lab containers. */
  hostEnter: string;
  hostWhere: string;
  /** Before a lab step's docker command. */
  labLead: string;
  labLeave: string;
  /** Inside a new container `docker run -it … sh` started, and out of it again (it exits; --rm removes it). */
  shellRunEnter: (a: { name: string; remove: boolean }) => string;
  shellRunLeft: (a: { name: string; removed: boolean }) => string;
  labWhere: (name: string) => string;
}
