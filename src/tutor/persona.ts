// The tutor's voice: pure functions that frame lesson content and sandbox results as `Block[]`, in the
// seed's shape (encouragement, the core point, concrete steps, background, a 💡 tip, an inviting question).
// Everything said around the lesson texts lives in ./phrases/<lang>.ts; this file decides what is said when.
import { commandFor, type Lesson, type MatchOutcome, type Phase, type Platform, type QuizQuestion, type Step } from '../lessons/index.js';
import type { RunResult } from '../sandbox/types.js';
import { explainWords } from './explain-text.js';
import { ENTER_DESKTOP_VM, grepFoundOnlyItself, linuxHostOnly } from './lab-moments.js';
import { talkWords } from './persona-talk.js';
import { typedAs, type Words } from './phrases/words.js';
import type { Block, Choice, CommandPlace } from './reply.js';
import {
  choices,
  cmds,
  doneIn,
  hintChoice,
  INLINE_COMMAND_MAX,
  joinSentences,
  MAX_OFFERS,
  pick,
  platforms,
  runChoice,
  say,
  startChoice,
  stepPlace,
  turnOf,
  words,
  type Voice,
} from './voice.js';
export * from './persona-trouble.js';
export { nextLabel, TUTOR_COMMANDS, type Voice } from './voice.js';

/** Where a step's sandbox command runs: a fresh container, or the learner's session (lab steps too; their docker line goes to the lab). */
export function sandboxModeFor(step: Pick<Step, 'mode'>): 'oneshot' | 'session' {
  return step.mode === 'oneshot' ? 'oneshot' : 'session';
}

// ---------------------------------------------------------------------------------------------------------
// Greeting and lesson navigation

export function welcome(v: Voice, opts: { returning: boolean; current?: { lesson: Lesson; stepIndex: number } }): Block[] {
  const w = words(v);
  const blocks: Block[] = [say(pick(opts.returning ? w.welcomeBack : w.welcomeNew, v), 'encouragement')];
  if (!opts.returning) blocks.push(say(w.whatWeDo, 'point'));
  if (opts.current) {
    blocks.push(say(opts.returning ? w.returningStart(cmds(v)) : w.howToStart(cmds(v)), 'steps'));
    blocks.push(say(pick(w.continueFrom, v)(stepPlace(opts.current.lesson, opts.current.stepIndex)), 'question'));
    blocks.push(choices([{ label: w.label.continue, action: { type: 'next' } }]));
  } else if (opts.returning) {
    blocks.push(say(w.returningStart(cmds(v)), 'steps'));
  } else {
    blocks.push(say(w.howToStart(cmds(v)), 'steps'));
    blocks.push(say(w.askPlatform, 'question'));
    blocks.push(choices(platforms.map((platform) => ({ label: w.label.platform[platform], action: { type: 'platform', platform } }))));
  }
  return blocks;
}

export function lessonList(v: Voice, phases: readonly Phase[], done: ReadonlySet<string>, currentLessonId?: string): Block[] {
  const w = words(v);
  const blocks: Block[] = [say(pick(w.listLead, v), 'notice')];
  for (const phase of phases) {
    const heading = w.phaseHeading({ number: phase.number, title: phase.title, done: doneIn(phase, done), total: phase.lessons.length });
    const lines = phase.lessons.map((lesson) => {
      const mark = lesson.id === currentLessonId ? '▶' : done.has(lesson.id) ? '✅' : '▫️';
      return `${mark} \`${lesson.id}\` ${lesson.title}`;
    });
    blocks.push(say([heading, ...lines].join('\n'), 'steps'));
  }
  blocks.push(say(w.listHowToStart(cmds(v)), 'steps'));
  const next = phases.flatMap((p) => p.lessons).find((l) => !done.has(l.id));
  if (next) {
    blocks.push(say(w.listSuggest(next.title), 'question'));
    blocks.push(choices([startChoice(w, next)]));
  } else if (phases.length > 0) {
    blocks.push(say(pick(w.listAllDone, v), 'celebration'));
  }
  return blocks;
}

/** The lesson's opening. No buttons: the engine follows it with the first step (presentStep), which has them. */
export function lessonIntro(v: Voice, lesson: Lesson): Block[] {
  const w = words(v);
  return [
    say(pick(w.lessonOpen, v)({ title: lesson.title }), 'encouragement'),
    say(lesson.intro, 'encouragement'),
    // The summary waits behind "More" in a short reply: the intro already says why, and phones are small.
    say(w.lessonCovers(lesson.summary), 'background'),
    say(w.lessonMeta({ id: lesson.id, phase: lesson.phase.number, steps: lesson.steps.length }), 'notice'),
    say(pick(w.lessonReady, v), 'question'),
  ];
}

// ---------------------------------------------------------------------------------------------------------
// A step: before it is run, and its result

/**
 * A step before the learner runs it: encouragement, the core point, what to type on their own machine,
 * what really runs here, and how to run it. Background, tip and question come after the result.
 */
/** What really runs here for a step: its lab line in the lab, else its sandbox command. */
export function stepCommand(step: Pick<Step, 'mode' | 'try'>): string {
  return step.mode === 'lab' && step.try.lab ? step.try.lab : step.try.sandbox;
}

export function presentStep(v: Voice, args: { lesson: Lesson; step: Step; index: number; platform: Platform }): Block[] {
  const w = words(v);
  const { lesson, step, index, platform } = args;
  const blocks: Block[] = [
    say(w.stepCounter({ n: index + 1, total: lesson.steps.length, title: step.title }), 'notice'),
    say(step.say.intro ?? pick(w.stepEncourage, v), 'encouragement'),
    say(step.say.point, 'point'),
  ];
  const own = commandFor(step, platform);
  if (own && platform !== 'linux' && !step.try[platform] && linuxHostOnly(own)) {
    // These lines run on a Linux host; on Docker Desktop that host is a VM the learner must enter first.
    blocks.push(say(explainWords(v.lang).hostOnlyElsewhere({ platform: w.platformName[platform] }), 'steps'));
    blocks.push({ kind: 'command', command: `${ENTER_DESKTOP_VM}\n${own}`, where: { kind: 'own-machine', platform } });
  } else if (own) {
    blocks.push(say(pick(w.ownMachineLead, v)({ platform: w.platformName[platform] }), 'steps'));
    blocks.push({ kind: 'command', command: own, where: { kind: 'own-machine', platform } });
  }
  const here = stepCommand(step);
  // What the lab is, said at the lesson's first lab step; after that a short lead is enough.
  const firstLab = !lesson.steps.slice(0, index).some((s) => s.mode === 'lab');
  blocks.push(say(step.mode === 'lab' ? (firstLab ? w.labLead : explainWords(v.lang).labLeadAgain) : pick(w.sandboxLead, v, 1), 'steps'));
  blocks.push({ kind: 'command', command: here, where: { kind: 'sandbox', mode: sandboxModeFor(step) } });
  blocks.push(say(howToRun(w, v, here), 'steps'));
  blocks.push(choices([runChoice(w), hintChoice(w)]));
  return blocks;
}

export function stepResult(
  v: Voice,
  args: {
    lesson: Lesson;
    step: Step;
    index: number;
    command: string;
    result: RunResult;
    outcome: MatchOutcome;
    attempts: number;
    /** Passed for the first time after failed tries: after one slip, or after real struggle (praise to scale). */ recovered?: 'slip' | 'tries';
    /** The step had passed already: what this output shows, without the praise or the question again. */ again?: boolean;
    isLastStep: boolean;
    where: CommandPlace;
  },
): Block[] {
  const w = words(v);
  const { step, result, outcome } = args;
  const blocks: Block[] = [{ kind: 'output', command: args.command, result, where: args.where }];
  const notes = resultNotes(w, result, outcome);
  if (notes.length > 0) blocks.push(say(notes.join('\n'), 'notice'));

  if (outcome.kind === 'expected') {
    // No cheer over an error that only says there was nothing left to do (`calm` in the lesson).
    if (!args.again && !outcome.expectation.calm) blocks.push(say(pick(args.recovered === 'tries' ? w.celebrateAfterTries : args.recovered === 'slip' ? w.celebrateAfterSlip : w.celebrate, v), 'celebration'));
    blocks.push(say(outcome.explain, 'explanation'));
    const said = [...(step.say.background ? [say(step.say.background, 'background')] : []), ...(step.say.tip ? [say(`💡 ${step.say.tip}`, 'tip')] : [])];
    blocks.push(...said, ...(args.again ? [] : [say(step.say.question ?? pick(w.invite, v, 2), 'question')]));
    blocks.push(choices([{ label: args.isLastStep ? w.label.finishLesson : w.label.next, action: { type: 'next' } }]));
    return blocks;
  }

  blocks.push(say(pick(w.calm, v), 'encouragement'));
  blocks.push(say(outcome.explain, 'explanation'));
  const specific = outcome.kind === 'unexpected' && outcome.source === 'step' ? outcome.hint : undefined;
  const gaveUpSoon = args.attempts >= 3;
  // After a few tries the answer itself helps more than the first nudge.
  const tryThis = specific ?? (gaveUpSoon ? undefined : step.hints.nudge);
  if (tryThis) blocks.push(say(`${pick(w.tryNext, v, 1)}\n${tryThis}`, 'hint'));
  if (gaveUpSoon) blocks.push(say(pick(w.offerAnswer, v)({ answer: step.hints.answer }), 'hint'));
  blocks.push(choices([...hostViewOffer(v, args), hintChoice(w), runChoice(w)]));
  return blocks;
}

/** A command run with no lesson active: the output, what it shows, and now and then a word about lessons. */
export function practiceResult(
  v: Voice,
  args: { command: string; result: RunResult; outcome?: MatchOutcome; where: CommandPlace; explain?: Block },
): Block[] {
  const w = words(v);
  const { result, outcome } = args;
  const blocks: Block[] = [{ kind: 'output', command: args.command, result, where: args.where }];
  const notes = resultNotes(w, result, outcome);
  if (notes.length > 0) blocks.push(say(notes.join('\n'), 'notice'));
  // "unmatched" speaks of "this lesson"; with no lesson the exit status says more.
  if (args.explain) blocks.push(args.explain);
  else if (outcome && outcome.kind !== 'unmatched') blocks.push(say(outcome.explain, 'explanation'));
  else if (!result.timedOut && !result.oomKilled) blocks.push(say(exitSummary(w, result), 'explanation'));
  const offer = hostViewOffer(v, args);
  if (offer.length > 0) {
    if (!args.explain) blocks.push(say(explainWords(v.lang).onlyGrep, 'explanation'));
    blocks.push(choices(offer));
    return blocks;
  }
  if (!v.quiet) blocks.push(say(pick(w.practiceCheer, v), 'encouragement'));
  if (!v.quiet && turnOf(v) % 3 === 0) blocks.push(say(pick(w.practiceSuggest, v)(cmds(v)), 'notice'));
  return blocks;
}

/** A search in the sandbox that found only itself: the process is in another PID namespace, so offer the host's view. */
function hostViewOffer(v: Voice, args: { command: string; result: RunResult; where: CommandPlace }): Choice[] {
  if (args.where.kind !== 'sandbox' || !grepFoundOnlyItself(args.command, args.result)) return [];
  return [{ label: talkWords(v.lang).label.hostView, action: { type: 'place', place: 'host' } }];
}

/**
 * A docker command of the lab: the output as docker printed it, what the lab wants said about it
 * (image mapped, limits clamped, a refusal's reason), and where the learner now is.
 */
export function labResult(
  v: Voice,
  args: {
    command: string;
    result: RunResult;
    /** What the lab wants said (image mapped, limits clamped…), already in the learner's language. */
    notes: readonly string[];
    where: CommandPlace;
    /** What the output shows, when the curriculum or the lab's facts know. */
    explain?: Block;
    inside?: string;
    /** Ran on the host's view: `staying` when the learner is there, `one-off` for a `sudo …` sent from the sandbox. */
    onHost?: 'staying' | 'one-off';
  },
): Block[] {
  const w = words(v);
  const blocks: Block[] = [{ kind: 'output', command: args.command, result: args.result, where: args.where }];
  for (const note of args.notes) blocks.push(say(note, 'notice'));
  if (args.explain) blocks.push(args.explain);
  else if (args.notes.length === 0 && !args.result.timedOut && !args.result.oomKilled) blocks.push(say(exitSummary(w, args.result), 'explanation'));
  if (args.inside) blocks.push(say(w.labWhere(args.inside), 'notice'));
  else if (args.onHost) blocks.push(say(args.onHost === 'staying' ? w.hostWhere : explainWords(v.lang).hostOneOff, 'notice'));
  return blocks;
}

/** A lab command that is not allowed here, with the lab's own explanation of why. */
export function labRefusal(_v: Voice, refusal: string): Block[] {
  return [say(refusal, 'notice')];
}

/**
 * The learner entered a lab container's shell (`docker exec -it NAME sh`) or the host's view, or left
 * (`exit`); `already` when they asked for the sandbox while already there.
 */
/** Inside a new container's shell (`docker run -it … sh`), and out of it again. */
export function shellRun(v: Voice, args: { name: string; remove: boolean; left?: boolean }): Block[] {
  const w = words(v);
  return [say(args.left ? w.shellRunLeft({ name: args.name, removed: args.remove }) : w.shellRunEnter(args), 'notice')];
}

export function contextChanged(v: Voice, args: { inside?: string; host?: boolean; already?: boolean; leftHost?: boolean }): Block[] {
  const w = words(v);
  if (args.host) return [say(w.hostEnter, 'notice')];
  if (args.inside) return [say(w.labEnter(args.inside), 'notice')];
  if (args.already) return [say(talkWords(v.lang).alreadyInSandbox, 'notice')];
  return [say(args.leftHost ? talkWords(v.lang).leftHost : w.labLeave, 'notice')];
}

// ---------------------------------------------------------------------------------------------------------
// End of a lesson, progress, quiz

export function lessonComplete(v: Voice, args: { lesson: Lesson; next?: Lesson }): Block[] {
  const w = words(v);
  const blocks: Block[] = [say(pick(w.lessonDone, v)({ title: args.lesson.title }), 'celebration'), say(args.lesson.outro, 'encouragement')];
  if (args.next) {
    blocks.push(say(pick(w.nextLesson, v)({ title: args.next.title, summary: args.next.summary }), 'question'));
    blocks.push(choices([startChoice(w, args.next)]));
  } else {
    blocks.push(say(pick(w.curriculumDone, v), 'celebration'));
    blocks.push(say(w.curriculumAfter(cmds(v)), 'steps'));
  }
  return blocks;
}

export function progress(
  v: Voice,
  args: { phases: readonly Phase[]; done: ReadonlySet<string>; current?: { lesson: Lesson; stepIndex: number } },
): Block[] {
  const w = words(v);
  const blocks: Block[] = [say(pick(w.progressLead, v), 'notice')];
  for (const phase of args.phases) {
    blocks.push({ kind: 'progress', label: phase.title || w.phaseFallback(phase.number), done: doneIn(phase, args.done), total: phase.lessons.length });
  }
  const all = args.phases.flatMap((p) => p.lessons);
  const finished = all.filter((l) => args.done.has(l.id));
  if (finished.length > 0) blocks.push(say(w.progressDone(finished.map((l) => l.title)), 'steps'));
  else if (!args.current) blocks.push(say(w.progressNoneYet(cmds(v)), 'steps'));
  const allDone = all.length > 0 && finished.length === all.length;
  if (allDone) blocks.push(say(w.progressAllDone, 'celebration'));
  if (args.current) {
    blocks.push(say(w.progressCurrent(stepPlace(args.current.lesson, args.current.stepIndex)), 'notice'));
    blocks.push(choices([{ label: w.label.continue, action: { type: 'next' } }]));
  } else if (!allDone) {
    blocks.push(say(w.progressNoCurrent(cmds(v)), 'steps'));
  }
  return blocks;
}

/** A quiz question. A choice button carries the 0-based index into `q.choices`. */
export function quizQuestion(v: Voice, q: QuizQuestion): Block[] {
  const w = words(v);
  const blocks: Block[] = [say(`${pick(w.quizLead, v)}\n${q.question}`, 'question')];
  if (q.choices) {
    blocks.push(say(`${q.choices.map((c, i) => `${i + 1}. ${c}`).join('\n')}\n${w.quizPick}`, 'steps'));
    // The transports number the buttons themselves ([1], [2]…), matching the list above.
    blocks.push(choices(q.choices.map((c, i) => ({ label: c, action: { type: 'quiz', questionId: q.id, choice: i } }))));
  } else {
    blocks.push(say(w.quizFree, 'steps'));
  }
  return blocks;
}

export function quizFeedback(v: Voice, args: { q: QuizQuestion; correct: boolean }): Block[] {
  const w = words(v);
  const blocks: Block[] = args.correct
    ? [say(pick(w.quizRight, v), 'celebration')]
    : [say(pick(w.quizWrong, v), 'encouragement'), say(w.quizAnswerWas(args.q.answer), 'point')];
  blocks.push(say(args.q.explanation, 'explanation'));
  blocks.push(choices([{ label: w.label.continue, action: { type: 'next' } }]));
  return blocks;
}

// ---------------------------------------------------------------------------------------------------------
// Settings

/** The learner told us their platform. Like the seed: Mac and Windows are a chance to see the hidden Linux VM. */
export function platformChanged(v: Voice, args: { platform: Platform; step?: Step }): Block[] {
  const w = words(v);
  const name = w.platformName[args.platform];
  const blocks: Block[] = [
    say(joinSentences(w, pick(w.platformAck, v)({ platform: name }), w.platformLucky[args.platform]), 'encouragement'),
    say(w.platformDiffers[args.platform], 'background'),
  ];
  const command = args.step ? commandFor(args.step, args.platform) : undefined;
  if (command) {
    blocks.push(say(w.platformCommand(name), 'steps'));
    blocks.push({ kind: 'command', command, where: { kind: 'own-machine', platform: args.platform } });
    blocks.push(choices([runChoice(w), hintChoice(w)]));
  }
  return blocks;
}

/** Said in the new language (the Voice carries it). */
export function languageChanged(v: Voice): Block[] {
  return [say(pick(words(v).languageChanged, v), 'notice')];
}

export function resetDone(v: Voice): Block[] {
  const w = words(v);
  return [say(joinSentences(w, pick(w.resetDone, v), w.resetWhat(cmds(v))), 'notice')];
}

export function forgetDone(v: Voice): Block[] {
  const w = words(v);
  return [say(joinSentences(w, pick(w.forgetDone, v), w.forgetWhat), 'notice')];
}

// ---------------------------------------------------------------------------------------------------------
// Free text

/** A free-text question: point to the lessons (and steps) that answer it, or say honestly that none does yet. */
export function pointToLessons(v: Voice, args: { question: string; matches: readonly { lesson: Lesson; step?: Step }[] }): Block[] {
  const w = words(v);
  const offers: { lesson: Lesson; step?: Step }[] = [];
  for (const match of args.matches) {
    if (offers.length < MAX_OFFERS && !offers.some((o) => o.lesson.id === match.lesson.id)) offers.push(match);
  }
  if (offers.length === 0) {
    return [say(pick(w.pointNone, v), 'notice'), say(w.pointNoneWhere(cmds(v)), 'steps')];
  }
  const lines = offers.map((m) => `• **${m.lesson.title}** (\`${m.lesson.id}\`)${m.step ? w.pointStep(m.step.title) : ''}`);
  return [say(pick(w.pointLead, v), 'encouragement'), say(lines.join('\n'), 'steps'), choices(offers.map((m) => startChoice(w, m.lesson)))];
}

export function smallTalk(v: Voice): Block[] {
  const w = words(v);
  return [say(pick(w.smallTalk, v), 'encouragement'), say(w.smallTalkHow(cmds(v)), 'steps')];
}

function howToRun(w: Words, v: Voice, command: string): string {
  const c = cmds(v);
  const inline = command.length <= INLINE_COMMAND_MAX && !/[\n`]/.test(command);
  return inline ? pick(w.howToRun, v, 2)({ typed: typedAs(c, command) }) : pick(w.howToRunLong, v, 2)({ prefix: c.canType === false ? c.run : '' });
}

/** Short words for what a run's limits did, unless the outcome's explanation already says it. */
function resultNotes(w: Words, r: RunResult, outcome: MatchOutcome | undefined): string[] {
  const expected = outcome?.kind === 'expected';
  const builtin = outcome?.kind === 'unexpected' && outcome.source === 'builtin' ? outcome.id : undefined;
  const notes: string[] = [];
  if (r.timedOut && !expected && builtin !== 'timeout') notes.push(w.note.timedOut);
  if (r.oomKilled && !expected && builtin !== 'oom') notes.push(w.note.oomKilled);
  if (r.truncated && builtin !== 'truncated') notes.push(expected ? w.note.truncatedButFine : w.note.truncated);
  return notes;
}

function exitSummary(w: Words, r: RunResult): string {
  if (r.exitCode === null) return w.practiceNoExit;
  return r.exitCode === 0 ? w.practiceOk : w.practiceFailed(r.exitCode);
}
