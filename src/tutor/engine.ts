import {
  isCorrectAnswer,
  matchExpectations,
  type Curriculum,
  type Lang,
  type Lesson,
  type MatchOutcome,
  type Platform,
  type Step,
} from '../lessons/index.js';
import { SubmitError } from '../queue/errors.js';
import type { Progress } from '../queue/jobs.js';
import type { RunResult, SandboxProfile } from '../sandbox/types.js';
import { shellQuote } from '../lab/cli-format.js';
import { parseLabCommand } from '../lab/parse.js';
import { classifyFreeText, findLessonsAbout } from './intent.js';
import * as persona from './persona.js';
import type { Block, ChoiceAction, Reply } from './reply.js';
import { newLearnerState, type LearnerState, type LearnerStore } from './state.js';

/** Longest message the tutor reads; a Discord message is at most 2000 characters too. */
export const MAX_MESSAGE_CHARS = 2000;

/** Everything a learner can do, whatever the transport. */
export type TutorEvent =
  | { type: 'hello' }
  | { type: 'lessons' }
  | { type: 'start'; lessonId: string; step?: number }
  | { type: 'next' }
  | { type: 'skip' }
  | { type: 'run-step' }
  | { type: 'command'; command: string }
  | { type: 'hint' }
  | { type: 'quiz'; questionId: string; answer: string }
  | { type: 'progress' }
  | { type: 'reset' }
  | { type: 'forget' }
  | { type: 'platform'; platform: Platform }
  | { type: 'language'; lang: Lang }
  | { type: 'text'; text: string }
  /** Where commands run: the learner's sandbox, or the host's view of their lab containers. */
  | { type: 'place'; place: 'sandbox' | 'host' }
  /** A /command the transport does not know; answered kindly with the ones it does. */
  | { type: 'unknown-command'; given: string; known: readonly string[] };

export type RunMode = 'oneshot' | 'session';

/** How the tutor runs a command: the queue's submit, which throws SubmitError when it refuses. */
export type RunCommand = (
  learnerId: string,
  command: string,
  mode: RunMode,
  opts: { onProgress?: (p: Progress) => void; profile?: SandboxProfile; kind?: 'command' | 'lab' | 'lab-clear' },
) => Promise<{ result: RunResult; newSession?: boolean; notes?: { code: string; ja: string; en: string }[] }>;

export interface TutorDeps {
  curriculum: Curriculum;
  store: LearnerStore;
  run: RunCommand;
  defaultLang: Lang;
  /** How this transport names its commands, so the tutor's sentences match what the learner can type. */
  commands?: persona.Voice['commands'];
  /** Ends the learner's sandbox session (on reset and forget), when the transport can. */
  endSession?: (learnerId: string) => Promise<void>;
  /** Deletes what the rest of the system keeps about the learner (queued jobs, sessions), on forget. */
  forgetLearner?: (learnerId: string) => Promise<void>;
}

export interface HandleOptions {
  onProgress?: (p: Progress) => void;
  /** The language to start a new learner in (e.g. from the Discord client locale). */
  langHint?: Lang;
}

/**
 * The conversation engine. It takes a learner's event and returns a transport-neutral Reply; all
 * state lives in the store, so any process can answer any learner, before and after restarts.
 */
export class Tutor {
  constructor(private readonly deps: TutorDeps) {}

  async handle(learnerId: string, event: TutorEvent, opts: HandleOptions = {}): Promise<Reply> {
    let created = false;
    const init = () => {
      created = true;
      return newLearnerState(opts.langHint ?? this.deps.defaultLang);
    };
    // Every reply takes a turn, so the persona never says the same words twice in a row.
    const state = await this.deps.store.update(learnerId, init, (s) => ({ ...s, turn: s.turn + 1 }));
    const v: persona.Voice = { lang: state.lang, turn: state.turn, ...(this.deps.commands ? { commands: this.deps.commands } : {}) };
    const blocks = await this.dispatch(learnerId, state, v, event, opts, created);
    const after = (await this.deps.store.get(learnerId)) ?? state;
    return { blocks, lang: after.lang };
  }

  // TEMP until the lead's version lands: each non-empty line in order, `$ ` lines as commands, others as text.
  /** A message the learner typed: one line or a paste of several; each reply goes to onReply in order. */
  async typed(learnerId: string, text: string, opts: HandleOptions & { onReply: (reply: Reply) => Promise<void> }): Promise<void> {
    const { onReply, ...handleOpts } = opts;
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      const event: TutorEvent = line.startsWith('$ ') ? { type: 'command', command: line.slice(2).trim() } : { type: 'text', text: line };
      await onReply(await this.handle(learnerId, event, handleOpts));
    }
  }

  /** The current lesson and step of a learner, if any (adapters show it in prompts and statuses). */
  async whereIs(learnerId: string): Promise<{ state: LearnerState; lesson?: Lesson; step?: Step } | undefined> {
    const state = await this.deps.store.get(learnerId);
    if (!state) return undefined;
    const lesson = state.lessonId ? this.deps.curriculum.get(state.lang, state.lessonId) : undefined;
    return { state, ...(lesson ? { lesson, step: lesson.steps[state.stepIndex] } : {}) };
  }

  private async dispatch(learnerId: string, state: LearnerState, v: persona.Voice, event: TutorEvent, opts: HandleOptions, isNew: boolean): Promise<Block[]> {
    switch (event.type) {
      case 'hello':
        return persona.welcome(v, { returning: !isNew, ...this.current(state) });
      case 'lessons':
        return persona.lessonList(v, this.deps.curriculum.phases(state.lang), new Set(state.completed), state.lessonId);
      case 'start':
        return this.start(learnerId, state, v, event.lessonId, event.step);
      case 'next':
        return this.next(learnerId, state, v, false);
      case 'skip':
        return this.next(learnerId, state, v, true);
      case 'run-step':
        return this.runStep(learnerId, state, v, opts);
      case 'command':
        return this.command(learnerId, state, v, event.command, opts);
      case 'hint':
        return this.hint(learnerId, state, v);
      case 'quiz':
        return this.quiz(learnerId, state, v, event.questionId, event.answer);
      case 'progress':
        return persona.progress(v, { phases: this.deps.curriculum.phases(state.lang), done: new Set(state.completed), ...this.current(state) });
      case 'reset':
        await this.deps.store.update(learnerId, () => state, (s) => ({ ...newLearnerState(s.lang, s.platform), turn: s.turn }));
        await this.deps.endSession?.(learnerId).catch(() => {});
        await this.clearLab(learnerId);
        return persona.resetDone(v);
      case 'forget':
        await this.deps.endSession?.(learnerId).catch(() => {});
        await this.clearLab(learnerId);
        await this.deps.forgetLearner?.(learnerId);
        await this.deps.store.delete(learnerId);
        return persona.forgetDone(v);
      case 'platform':
        return this.setPlatform(learnerId, state, v, event.platform);
      case 'language': {
        await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, lang: event.lang }));
        return persona.languageChanged({ ...v, lang: event.lang });
      }
      case 'text':
        return this.freeText(learnerId, state, v, event.text);
      case 'place': {
        const host = event.place === 'host';
        await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, context: host ? { kind: 'host' as const } : undefined }));
        return persona.contextChanged(v, host ? { host: true } : {});
      }
      case 'unknown-command':
        return persona.problem(v, { kind: 'unknown-command', given: event.given, known: event.known });
    }
  }

  private current(state: LearnerState): { current?: { lesson: Lesson; stepIndex: number } } {
    const lesson = state.lessonId ? this.deps.curriculum.get(state.lang, state.lessonId) : undefined;
    return lesson ? { current: { lesson, stepIndex: state.stepIndex } } : {};
  }

  private lessonOf(state: LearnerState): { lesson: Lesson; step: Step } | undefined {
    const lesson = state.lessonId ? this.deps.curriculum.get(state.lang, state.lessonId) : undefined;
    const step = lesson?.steps[state.stepIndex];
    return lesson && step ? { lesson, step } : undefined;
  }

  private async start(learnerId: string, state: LearnerState, v: persona.Voice, lessonId: string, stepNumber?: number): Promise<Block[]> {
    const lessons = this.deps.curriculum.list(state.lang);
    const id = lessonId.trim().toLowerCase();
    // A lesson can be named by id, by its number (1, 01), or by a unique id prefix.
    const lesson =
      lessons.find((l) => l.id === id) ??
      (/^\d+$/.test(id) ? lessons.find((l) => l.order === Number(id)) : undefined) ??
      (() => {
        const byPrefix = lessons.filter((l) => l.id.startsWith(id));
        return byPrefix.length === 1 ? byPrefix[0] : undefined;
      })();
    if (!lesson || id === '') {
      const suggestions = findLessonsAbout(lessonId.replace(/-/g, ' '), lessons).map((m) => m.lesson);
      return persona.problem(v, { kind: 'unknown-lesson', given: lessonId, suggestions: suggestions.length ? suggestions : lessons.slice(0, 3) });
    }
    let index = 0;
    if (stepNumber !== undefined) {
      if (!Number.isInteger(stepNumber) || stepNumber < 1 || stepNumber > lesson.steps.length) {
        return persona.problem(v, { kind: 'step-out-of-range', lesson, given: stepNumber, total: lesson.steps.length });
      }
      index = stepNumber - 1;
    }
    const blocks: Block[] = [];
    const done = new Set(state.completed);
    const missing = lesson.prerequisites.filter((p) => !done.has(p)).map((p) => this.deps.curriculum.get(state.lang, p)).filter((l): l is Lesson => !!l);
    if (missing.length > 0 && index === 0) blocks.push(...persona.problem(v, { kind: 'missing-prerequisites', lesson, missing }));
    await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, lessonId: lesson.id, stepIndex: index, attempts: 0, hintsUsed: 0, stepPassed: false, pendingQuiz: undefined }));
    if (index === 0) blocks.push(...persona.lessonIntro(v, lesson));
    blocks.push(...persona.presentStep(v, { lesson, step: lesson.steps[index]!, index, platform: state.platform }));
    return blocks;
  }

  /** Continue: advance past a passed step (or any step, when skipping), or show the current one again. */
  private async next(learnerId: string, state: LearnerState, v: persona.Voice, skip: boolean): Promise<Block[]> {
    const at = this.lessonOf(state);
    if (!at) {
      const firstOpen = this.deps.curriculum.list(state.lang).find((l) => !state.completed.includes(l.id));
      if (!firstOpen) return persona.lessonComplete(v, { lesson: this.deps.curriculum.list(state.lang).at(-1)! });
      return this.start(learnerId, state, v, firstOpen.id);
    }
    const { lesson, step } = at;
    if (!skip && !state.stepPassed) {
      return persona.presentStep(v, { lesson, step, index: state.stepIndex, platform: state.platform });
    }
    const nextIndex = state.stepIndex + 1;
    // Only move on from where this event found the learner; a concurrent event may have moved them.
    const stillHere = (s: LearnerState) => s.lessonId === lesson.id && s.stepIndex === state.stepIndex;
    if (nextIndex >= lesson.steps.length) {
      await this.deps.store.update(learnerId, () => state, (s) => !stillHere(s) ? s : ({
        ...s,
        lessonId: undefined,
        stepIndex: 0,
        attempts: 0,
        hintsUsed: 0,
        stepPassed: false,
        pendingQuiz: undefined,
        completed: s.completed.includes(lesson.id) ? s.completed : [...s.completed, lesson.id],
      }));
      const nextLesson = this.deps.curriculum.next(state.lang, lesson.id);
      return persona.lessonComplete(v, { lesson, ...(nextLesson ? { next: nextLesson } : {}) });
    }
    await this.deps.store.update(learnerId, () => state, (s) =>
      stillHere(s) ? { ...s, stepIndex: nextIndex, attempts: 0, hintsUsed: 0, stepPassed: false, pendingQuiz: undefined } : s,
    );
    return persona.presentStep(v, { lesson, step: lesson.steps[nextIndex]!, index: nextIndex, platform: state.platform });
  }

  private async runStep(learnerId: string, state: LearnerState, v: persona.Voice, opts: HandleOptions): Promise<Block[]> {
    const at = this.lessonOf(state);
    if (!at) return persona.problem(v, { kind: 'no-active-lesson' });
    return this.command(learnerId, state, v, persona.stepCommand(at.step), opts);
  }

  private async command(learnerId: string, state: LearnerState, v: persona.Voice, command: string, opts: HandleOptions): Promise<Block[]> {
    const line = command.trim();
    if (state.context) {
      if (/^(exit|logout)$/.test(line)) {
        await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, context: undefined }));
        return persona.contextChanged(v, {});
      }
      // On the host, every line is a host-view read or a docker command (the lab refuses anything else).
      if (state.context.kind === 'host' && line !== '') return this.lab(learnerId, state, v, line, opts, line);
      // Inside a lab container every line runs there, as `docker exec NAME sh -c '<line>'` would.
      if (state.context.kind === 'container' && !isDockerLine(line) && line !== '') {
        return this.lab(learnerId, state, v, `docker exec ${state.context.name} sh -c ${shellQuote(line)}`, opts, line);
      }
    }
    // docker commands, `sudo …` as the seed writes the host's reads, and a lab step's own line go to the lab.
    const labStep = this.lessonOf(state)?.step;
    const isLabStepLine = labStep?.mode === 'lab' && labStep.try.lab !== undefined && normaliseCommand(line) === normaliseCommand(labStep.try.lab);
    if (isDockerLine(line) || /^sudo\s/.test(line) || isLabStepLine) return this.lab(learnerId, state, v, line, opts, line);
    const at = this.lessonOf(state);
    const mode: RunMode = at ? (at.step.mode === 'oneshot' ? 'oneshot' : 'session') : 'session';
    let run: { result: RunResult };
    try {
      // The opt-in profile is for the step's own command only; anything else typed runs under the default.
      const profile = at && normaliseCommand(command) === normaliseCommand(at.step.try.sandbox) ? (at.step.profile ?? 'default') : 'default';
      run = await this.deps.run(learnerId, command, mode, { ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), profile });
    } catch (err) {
      if (err instanceof SubmitError) return persona.refusal(v, err.refusal);
      throw err;
    }
    const where = { kind: 'sandbox' as const, mode };
    if (!at) {
      const outcome = matchExpectations({ expect: [], unexpected: [] }, run.result, state.lang);
      return persona.practiceResult(v, { command, result: run.result, ...(outcome.kind === 'unexpected' ? { outcome } : {}), where });
    }
    const { step } = at;
    const outcome = matchExpectations(step, run.result, state.lang);
    const isStepCommand = normaliseCommand(command) === normaliseCommand(step.try.sandbox);
    // Another command that still shows what the step is about counts; exploring otherwise is practice.
    if (!isStepCommand && outcome.kind !== 'expected') {
      return persona.practiceResult(v, { command, result: run.result, ...(outcome.kind === 'unexpected' && outcome.source === 'builtin' ? { outcome } : {}), where });
    }
    return this.recordStepResult(learnerId, state, v, at, command, run.result, where, outcome);
  }

  /** Judges a step's run against its expectations, records attempts and a pass, and words the result. */
  private async recordStepResult(
    learnerId: string,
    state: LearnerState,
    v: persona.Voice,
    at: { lesson: Lesson; step: Step },
    command: string,
    result: RunResult,
    where: { kind: 'sandbox'; mode: RunMode },
    outcome: MatchOutcome = matchExpectations(at.step, result, state.lang),
  ): Promise<Block[]> {
    const { lesson, step } = at;
    const passed = outcome.kind === 'expected';
    const firstQuiz = passed ? step.quiz?.[0] : undefined;
    const updated = await this.deps.store.update(learnerId, () => state, (s) =>
      s.lessonId === lesson.id && s.stepIndex === state.stepIndex
        ? { ...s, attempts: s.attempts + 1, stepPassed: s.stepPassed || passed, pendingQuiz: firstQuiz?.id ?? s.pendingQuiz }
        : s,
    );
    const blocks = persona.stepResult(v, {
      lesson,
      step,
      index: state.stepIndex,
      command,
      result,
      outcome,
      attempts: updated.attempts,
      isLastStep: state.stepIndex === lesson.steps.length - 1,
      where,
    });
    if (firstQuiz) blocks.push(...persona.quizQuestion(v, firstQuiz));
    return blocks;
  }

  /** Removes the learner's lab containers (a worker does it; the cooldown is waited out, a refusal ignored). */
  private async clearLab(learnerId: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.deps.run(learnerId, 'true', 'oneshot', { kind: 'lab-clear' });
        return;
      } catch (err) {
        if (!(err instanceof SubmitError) || err.refusal.code !== 'cooldown') return;
        await new Promise((r) => setTimeout(r, (err.refusal as { retryInMs: number }).retryInMs + 10));
      }
    }
  }

  /** A docker command line for the learner's lab, run by a worker; `shown` is what the learner typed. */
  private async lab(learnerId: string, state: LearnerState, v: persona.Voice, line: string, opts: HandleOptions, shown: string): Promise<Block[]> {
    const parsed = parseLabCommand(line);
    if (!parsed.ok) return persona.labRefusal(v, parsed.refusal);
    const submit = (l: string) => this.deps.run(learnerId, l, 'oneshot', { ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), kind: 'lab' });
    let run: Awaited<ReturnType<RunCommand>>;
    try {
      if (parsed.command.kind === 'exec' && parsed.command.opensShell) {
        // `docker exec -it NAME sh`: chat has no terminal, so the chat itself moves into the container.
        const name = parsed.command.container;
        run = await submit(`docker exec ${name} true`);
        if (run.result.exitCode === 0) {
          await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, context: { kind: 'container', name } }));
          return persona.contextChanged(v, { inside: name });
        }
      } else {
        run = await submit(line);
      }
    } catch (err) {
      if (err instanceof SubmitError) return persona.refusal(v, err.refusal);
      throw err;
    }
    // "alpine runs as our sandbox image" is said once; after that it would only be noise.
    const mapped = (run.notes ?? []).some((n) => n.code === 'image-mapped');
    // The container the chat was inside is gone (removed, reaped): the chat steps back out of it.
    const gone = state.context?.kind === 'container' && /No such container/.test(run.result.stderr) && line.includes(` ${state.context.name} `);
    const after =
      mapped || gone
        ? await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, ...(mapped ? { labImageNoted: true } : {}), ...(gone ? { context: undefined } : {}) }))
        : await this.deps.store.get(learnerId);
    const notes = (run.notes ?? []).filter((n) => n.code !== 'image-mapped' || !state.labImageNoted);
    const inside = after?.context?.kind === 'container' ? after.context.name : undefined;
    // A lab step's own docker command is judged like any step's command.
    const at = this.lessonOf(state);
    if (at && at.step.mode === 'lab' && at.step.try.lab && normaliseCommand(shown) === normaliseCommand(at.step.try.lab)) {
      const blocks = await this.recordStepResult(learnerId, state, v, at, shown, run.result, { kind: 'sandbox', mode: 'session' });
      return [...notes.map((n) => ({ kind: 'text' as const, text: state.lang === 'ja' ? n.ja : n.en, role: 'notice' as const })), ...blocks];
    }
    const onHost = after?.context?.kind === 'host';
    return persona.labResult(v, { command: shown, result: run.result, notes, ...(inside ? { inside } : {}), ...(onHost ? { onHost } : {}) });
  }

  private async hint(learnerId: string, state: LearnerState, v: persona.Voice): Promise<Block[]> {
    const at = this.lessonOf(state);
    if (!at) return persona.problem(v, { kind: 'no-active-lesson' });
    if (state.hintsUsed >= 3) return persona.noMoreHints(v, at.step);
    const level = state.hintsUsed as 0 | 1 | 2;
    await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, hintsUsed: Math.min(3, s.hintsUsed + 1) }));
    return persona.hint(v, at.step, level);
  }

  private async quiz(learnerId: string, state: LearnerState, v: persona.Voice, questionId: string, answer: string): Promise<Block[]> {
    const at = this.lessonOf(state);
    const question = at?.step.quiz?.find((q) => q.id === questionId);
    if (!at || !question) return persona.problem(v, { kind: 'nothing-to-answer' });
    const correct = isCorrectAnswer(question, answer);
    const quizzes = at.step.quiz ?? [];
    const following = correct ? quizzes[quizzes.findIndex((q) => q.id === questionId) + 1] : undefined;
    await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, pendingQuiz: correct ? following?.id : questionId }));
    const blocks = persona.quizFeedback(v, { q: question, correct });
    if (following) blocks.push(...persona.quizQuestion(v, following));
    return blocks;
  }

  private async setPlatform(learnerId: string, state: LearnerState, v: persona.Voice, platform: Platform): Promise<Block[]> {
    await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, platform }));
    const at = this.lessonOf(state);
    return persona.platformChanged(v, { platform, ...(at ? { step: at.step } : {}) });
  }

  private async freeText(learnerId: string, state: LearnerState, v: persona.Voice, raw: string): Promise<Block[]> {
    // Control characters never mean anything in chat; drop them, keep every other character.
    const text = raw.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim();
    if (text === '') return persona.problem(v, { kind: 'empty-message' });
    if (text.length > MAX_MESSAGE_CHARS) return persona.problem(v, { kind: 'message-too-long', limit: MAX_MESSAGE_CHARS });
    if (state.pendingQuiz) {
      const at = this.lessonOf(state);
      if (at?.step.quiz?.some((q) => q.id === state.pendingQuiz)) return this.quiz(learnerId, state, v, state.pendingQuiz, text);
    }
    const intent = classifyFreeText(text);
    switch (intent.kind) {
      case 'platform':
        return this.setPlatform(learnerId, state, v, intent.platform);
      case 'help':
        return this.lessonOf(state) ? this.hint(learnerId, state, v) : persona.pointToLessons(v, { question: text, matches: [] });
      case 'question': {
        const matches = findLessonsAbout(text, this.deps.curriculum.list(state.lang)).map(({ lesson, step }) => ({ lesson, ...(step ? { step } : {}) }));
        return persona.pointToLessons(v, { question: text, matches });
      }
      case 'chat':
        return persona.smallTalk(v);
    }
  }
}

/** A line for the lab: `docker …` (also with `sudo`, as the seed writes host commands). */
function isDockerLine(line: string): boolean {
  return /^(sudo\s+)?docker(\s|$)/.test(line);
}

function normaliseCommand(command: string): string {
  return command.trim().replace(/\s+/g, ' ');
}

/** The event a pressed choice stands for; every transport routes buttons through this. */
export function eventForChoice(action: ChoiceAction): TutorEvent {
  switch (action.type) {
    case 'run-step':
      return { type: 'run-step' };
    case 'hint':
      return { type: 'hint' };
    case 'next':
      return { type: 'next' };
    case 'start':
      return { type: 'start', lessonId: action.lessonId };
    case 'platform':
      return { type: 'platform', platform: action.platform };
    case 'quiz':
      return { type: 'quiz', questionId: action.questionId, answer: String(action.choice + 1) };
  }
}
