import { isCorrectAnswer, type Lesson, type Platform, type Step } from '../lessons/index.js';
import { MAX_MESSAGE_CHARS } from '../text/limits.js';
import { commandHelp } from './commands.js';
import type { HandleOptions, TutorDeps } from './deps.js';
import { eventForChoice, type TutorEvent } from './events.js';
import { findLessonsAbout } from './intent.js';
import type { LearningEventType } from './learning-events.js';
import { classifyLine } from './line-kind.js';
import { TeachingMoments } from './moments.js';
import * as persona from './persona.js';
import * as talk from './persona-talk.js';
import type { Block, ChoiceAction, Reply } from './reply.js';
import { routeCommand } from './route.js';
import { findPlaceholder } from '../lab/placeholder.js';
import { cardBlocks, ratedBlocks } from './questions.js';
import { destination, FRESH_STEP, placeForStep, whereOf } from './place.js';
import { CommandRunner, recordEvent, type Turn } from './run-line.js';
import { newLearnerState, type LearnerState } from './state.js';
import { freeText, goesToQuiz, lessonAt, question, rememberAnswer, type FreeTextHooks } from './say-free.js';
import { typeMessage, type TypeOptions } from './paste.js';
import { moveToStepOf } from './step-ahead.js';
import { controlWord, fixedSlip, forwardChoice, isAffirmative, looksLikeComment, placeholderIn, typedNumber } from './say-line.js';

export type { HandleOptions, RunCommand, RunLabCommand, RunMode, TutorDeps } from './deps.js';
export { eventForChoice, type TutorEvent } from './events.js';
export { whereOf } from './place.js';

export { MAX_PASTE_LINES } from './paste.js';

/**
 * The conversation engine. It takes a learner's event and returns a transport-neutral Reply; all
 * state lives in the store, so any process can answer any learner, before and after restarts.
 */
export class Tutor {
  private readonly runner: CommandRunner;
  private readonly hooks: FreeTextHooks;

  constructor(private readonly deps: TutorDeps) {
    this.runner = new CommandRunner(deps, new TeachingMoments(deps.curriculum));
    this.hooks = {
      next: (t, skip) => this.next(t, skip),
      hint: (t) => this.hint(t),
      quiz: (t, id, answer) => this.quiz(t.learnerId, t.state, t.v, id, answer),
      setPlatform: (t, platform) => this.setPlatform(t.learnerId, t.state, t.v, platform),
      dispatch: (t, event) => this.dispatch(t, event, false),
    };
  }

  async handle(learnerId: string, event: TutorEvent, opts: HandleOptions = {}): Promise<Reply> {
    let created = false;
    const init = () => {
      created = true;
      return newLearnerState(opts.langHint ?? this.deps.defaultLang);
    };
    // Every reply takes a turn, so the persona never says the same words twice in a row.
    const state = await this.deps.store.update(learnerId, init, (s) => ({ ...s, turn: s.turn + 1 }));
    const t: Turn = { learnerId, state, v: { ...this.voice(state), ...(opts.laterInPaste ? { quiet: true } : {}) }, opts };
    const blocks = await this.dispatch(t, event, created);
    // "More" (pressed, or typed as `more`/`もっと`) is the held-back part itself; everything else may be shortened.
    const showsHeld = event.type === 'more' || (event.type === 'line' && controlWord(event.text) === 'more');
    return this.finish(learnerId, state, blocks, !showsHeld);
  }

  /** A message the learner typed: one line or a paste of several (see paste.ts); every reply goes to onReply in order. */
  async typed(learnerId: string, text: string, opts: TypeOptions): Promise<void> {
    await typeMessage({ handle: (id, event, o) => this.handle(id, event, o), store: this.deps.store, defaultLang: this.deps.defaultLang }, learnerId, text, opts);
  }

  /** The engine of the learner's lab was lost: out of its container, and told what happened (undefined: never met). */
  async labLost(learnerId: string): Promise<Reply | undefined> {
    const known = await this.deps.store.get(learnerId);
    if (!known) return undefined;
    const state = await this.deps.store.update(learnerId, () => known, (s) => ({ ...s, turn: s.turn + 1, context: s.context?.kind === 'container' ? undefined : s.context }));
    return this.finish(learnerId, state, talk.labLost(state.lang), true);
  }

  /** The current lesson and step of a learner, if any (adapters show it in prompts and statuses). */
  async whereIs(learnerId: string): Promise<{ state: LearnerState; lesson?: Lesson; step?: Step } | undefined> {
    const state = await this.deps.store.get(learnerId);
    if (!state) return undefined;
    const lesson = state.lessonId ? this.deps.curriculum.get(state.lang, state.lessonId) : undefined;
    return { state, ...(lesson ? { lesson, step: lesson.steps[state.stepIndex] } : {}) };
  }

  private async record(t: Turn, type: LearningEventType, event: { lessonId?: string; step?: number; hintsUsed: number; detail?: string }): Promise<void> {
    await recordEvent(this.deps, t, { type, ...event });
  }

  private voice(state: LearnerState): persona.Voice {
    return { lang: state.lang, turn: state.turn, ...(this.deps.commands ? { commands: this.deps.commands } : {}) };
  }

  /**
   * After every reply: a short reply holds background and tips back behind "More"; the choices shown are
   * remembered so a typed number presses one, until new choices replace them.
   */
  private async finish(learnerId: string, before: LearnerState, produced: Block[], shorten: boolean): Promise<Reply> {
    const now = (await this.deps.store.get(learnerId)) ?? before;
    let blocks = produced;
    const held = now.style === 'detailed' || !shorten ? [] : blocks.filter((b): b is Extract<Block, { kind: 'text' }> => b.kind === 'text' && (b.role === 'background' || b.role === 'tip')).map((b) => b.text);
    // A transport that shortens replies itself (Discord's More button) gets every block; `more` typed there still shows the held part.
    if (held.length > 0 && !this.deps.rendersMore) blocks = talk.withMore(now.lang, blocks.filter((b) => !(b.kind === 'text' && (b.role === 'background' || b.role === 'tip'))));
    const offered: ChoiceAction[] = blocks.flatMap((b) => (b.kind === 'choices' ? b.choices.map((c) => c.action) : []));
    const after = offered.length === 0 ? now : await this.deps.store.update(learnerId, () => now, (s) => ({ ...s, offered, held: held.length > 0 ? held : undefined }));
    return { blocks, lang: after.lang, where: whereOf(after), style: after.style ?? 'short' };
  }

  private async dispatch(t: Turn, event: TutorEvent, isNew: boolean): Promise<Block[]> {
    const { learnerId, state, v } = t;
    switch (event.type) {
      case 'hello':
        return persona.welcome(v, { returning: !isNew, ...this.current(state) });
      case 'help':
        return this.deps.commandUsages ? commandHelp(v.lang, this.deps.commandUsages) : persona.welcome(v, { returning: !isNew, ...this.current(state) });
      case 'lessons':
        return persona.lessonList(v, this.deps.curriculum.phases(state.lang), new Set(state.completed), state.lessonId);
      case 'start':
        return this.start(t, event.lessonId, event.step);
      case 'next':
        return this.next(t, false);
      case 'skip':
        return this.next(t, true);
      case 'run-step':
        return this.runStep(t);
      case 'command':
        return this.runner.command(t, event.command.trim().replace(/^\$\s*/, ''));
      case 'line':
        return this.line(t, event.text);
      case 'confirm-line': {
        const pending = state.pendingLine;
        await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, pendingLine: undefined }));
        if (!event.run) return talk.wasTalking(v.lang, v.turn);
        return pending ? this.runner.command(t, pending) : [talk.notice(talk.talkWords(v.lang).unsureGone)];
      }
      case 'more':
        return talk.moreText(v.lang, state.held, this.deps.rendersMore === true);
      case 'style':
        await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, style: event.style }));
        return [talk.notice(talk.talkWords(v.lang).style[event.style])];
      case 'hint':
        return this.hint(t);
      case 'quiz':
        return this.quiz(learnerId, state, v, event.questionId, event.answer);
      case 'progress':
        return persona.progress(v, { phases: this.deps.curriculum.phases(state.lang), done: new Set(state.completed), ...this.current(state) });
      case 'reset':
        await this.deps.store.update(learnerId, () => state, (s) => ({ ...newLearnerState(s.lang, s.platform), turn: s.turn, ...(s.style ? { style: s.style } : {}) }));
        await this.deps.endSession?.(learnerId).catch(() => {});
        await this.runner.clearLab(learnerId);
        return persona.resetDone(v);
      case 'forget':
        await this.deps.endSession?.(learnerId).catch(() => {});
        await this.runner.clearLab(learnerId);
        await this.deps.forgetLearner?.(learnerId);
        await this.deps.store.delete(learnerId);
        return persona.forgetDone(v);
      case 'platform':
        return this.setPlatform(learnerId, state, v, event.platform);
      case 'language': {
        await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, lang: event.lang }));
        return persona.languageChanged({ ...v, lang: event.lang });
      }
      case 'text': {
        const text = cleanLine(event.text);
        return typeof text === 'string' ? freeText(this.deps, this.hooks, t, text) : persona.problem(v, text);
      }
      case 'place': {
        const host = event.place === 'host';
        if (!host && !state.context) return persona.contextChanged(v, { already: true });
        await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, context: host ? { kind: 'host' as const } : undefined }));
        return persona.contextChanged(v, host ? { host: true } : { leftHost: state.context?.kind === 'host' });
      }
      case 'ask':
        return question(this.deps, t, event.question, true);
      case 'card': {
        const answer = cardBlocks(this.deps.questions, v.lang, event.cardId, state.lessonId);
        if (!answer) return persona.problem(v, { kind: 'nothing-to-answer' });
        await rememberAnswer(this.deps, t, { cardId: event.cardId, suggestions: [], defined: false });
        return answer;
      }
      case 'try-card': {
        const card = this.deps.questions?.knowledge.get(v.lang, event.cardId);
        if (!card?.try) return persona.problem(v, { kind: 'nothing-to-answer' });
        return this.runner.tryCard(t, card.try.command, card.try.expect);
      }
      case 'rate':
        await this.deps.questions?.rate(event.cardId, learnerId, event.vote).catch(() => {});
        return ratedBlocks(v.lang);
      case 'unknown-command':
        return persona.problem(v, { kind: 'unknown-command', given: event.given, known: event.known });
    }
  }

  /**
   * A typed line: a number presses the choice with that number, a pending quiz hears its answer, and
   * otherwise the line is a command to run, chat to answer, or (when unsure) a question back to the learner.
   */
  private async line(t: Turn, raw: string): Promise<Block[]> {
    const { learnerId, state, v } = t;
    const text = cleanLine(raw);
    if (typeof text !== 'string') return persona.problem(v, text);
    const w = talk.talkWords(v.lang);
    // `next`, `次へ`, `hint`, `ヒント`, `more` alone act as the tutor's commands, wherever the learner is.
    const control = controlWord(text);
    if (control) return this.dispatch(t, { type: control }, false);
    const number = typedNumber(text);
    const pressed = number !== undefined ? state.offered?.[number - 1] : undefined;
    if (pressed) return this.dispatch(t, eventForChoice(pressed), false);
    const quiz = state.pendingQuiz ? lessonAt(this.deps, state)?.step.quiz?.find((q) => q.id === state.pendingQuiz) : undefined;
    // A number off the list asks which one, unless the tutor asked a question it may answer ("PID 7").
    if (number !== undefined && !quiz && !state.awaiting && state.offered?.length) return [talk.notice(w.whichOne({ count: state.offered.length }))];
    const place = state.context ? state.context.kind : 'chat';
    const kind = classifyLine(text, { place, lang: state.lang, awaitingAnswer: Boolean(quiz || state.awaiting) });
    // "I'm on a Mac" is never a quiz answer: it goes on to switch the commands (say-free.ts).
    if (quiz && goesToQuiz(quiz, state, text) && (kind.kind !== 'command' || isCorrectAnswer(quiz, text))) return this.quiz(learnerId, state, v, quiz.id, text);
    if (kind.kind !== 'command' && looksLikeComment(text)) return [talk.notice(w.comment)];
    // "yes" on the host's view or inside a container is a yes to the one forward choice, not the `yes` command.
    const forward = kind.kind !== 'command' && !state.awaiting && isAffirmative(text) ? forwardChoice(state.offered, { text, stepPassed: state.stepPassed, inLesson: state.lessonId !== undefined }) : undefined;
    if (forward) return this.dispatch(t, eventForChoice(forward), false);
    // A host-view line with the text's placeholder goes to the lab, which knows the learner's own values and offers the filled-in line.
    const toHostView = kind.kind !== 'chat' && routeCommand(kind.command, state.context).to === 'host' && findPlaceholder(kind.command) !== undefined;
    const placeholder = kind.kind !== 'chat' && !toHostView ? placeholderIn(kind.command) : undefined;
    if (toHostView) return this.runner.command(t, kind.command);
    if (placeholder) return [talk.notice(w.fillIn({ placeholder: placeholder.text, kind: placeholder.kind }))];
    const fixed = kind.kind === 'command' ? fixedSlip(kind.command, kind.signals) : undefined;
    if (kind.kind === 'command' && !fixed) {
      // The next step's own command, typed without pressing Next: move on to that step first (step-ahead.ts).
      const ahead = await moveToStepOf(this.deps, t, kind.command);
      return ahead ? [...ahead.blocks, ...(await this.runner.command(ahead.turn, kind.command))] : this.runner.command(t, kind.command);
    }
    if (kind.kind !== 'chat') {
      const pending = fixed ?? kind.command;
      const where = talk.placeName(v.lang, destination(pending, state.context));
      await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, pendingLine: pending }));
      return fixed ? talk.didYouMean(v.lang, { typed: kind.command, fixed, where }) : talk.unsureLine(v.lang, pending, where);
    }
    return freeText(this.deps, this.hooks, t, text);
  }

  private current(state: LearnerState): { current?: { lesson: Lesson; stepIndex: number } } {
    const lesson = state.lessonId ? this.deps.curriculum.get(state.lang, state.lessonId) : undefined;
    return lesson ? { current: { lesson, stepIndex: state.stepIndex } } : {};
  }

  private lessonOf(state: LearnerState): { lesson: Lesson; step: Step } | undefined {
    return lessonAt(this.deps, state);
  }

  private async start(t: Turn, lessonId: string, stepNumber?: number): Promise<Block[]> {
    const { learnerId, state, v } = t;
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
    const step = lesson.steps[index]!;
    const place = placeForStep(step, state.context);
    await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, ...FRESH_STEP, lessonId: lesson.id, stepIndex: index, context: place.context }));
    if (index === 0) blocks.push(...persona.lessonIntro(v, lesson));
    await this.record(t, 'lesson-started', { lessonId: lesson.id, step: index + 1, hintsUsed: 0 });
    blocks.push(...persona.presentStep(v, { lesson, step, index, platform: state.platform }), ...this.placeNotice(v, place));
    return blocks;
  }

  /** Continue: advance past a passed step (or any step, when skipping), or show the current one again. */
  private async next(t: Turn, skip: boolean): Promise<Block[]> {
    const { learnerId, state, v } = t;
    const at = this.lessonOf(state);
    if (!at) {
      const firstOpen = this.deps.curriculum.list(state.lang).find((l) => !state.completed.includes(l.id));
      if (!firstOpen) return persona.lessonComplete(v, { lesson: this.deps.curriculum.list(state.lang).at(-1)! });
      return this.start(t, firstOpen.id);
    }
    const { lesson, step } = at;
    if (!skip && !state.stepPassed) {
      return [talk.notice(talk.talkWords(v.lang).notPassedYet), ...persona.presentStep(v, { lesson, step, index: state.stepIndex, platform: state.platform })];
    }
    const nextIndex = state.stepIndex + 1;
    // Only move on from where this event found the learner; a concurrent event may have moved them.
    const stillHere = (s: LearnerState) => s.lessonId === lesson.id && s.stepIndex === state.stepIndex;
    if (nextIndex >= lesson.steps.length) {
      await this.deps.store.update(learnerId, () => state, (s) => !stillHere(s) ? s : ({
        ...s,
        ...FRESH_STEP,
        lessonId: undefined,
        stepIndex: 0,
        completed: s.completed.includes(lesson.id) ? s.completed : [...s.completed, lesson.id],
      }));
      if (!state.completed.includes(lesson.id)) await this.record(t, 'lesson-completed', { lessonId: lesson.id, step: state.stepIndex + 1, hintsUsed: state.hintsUsed });
      const nextLesson = this.deps.curriculum.next(state.lang, lesson.id);
      return persona.lessonComplete(v, { lesson, ...(nextLesson ? { next: nextLesson } : {}) });
    }
    const nextStep = lesson.steps[nextIndex]!;
    const place = placeForStep(nextStep, state.context);
    await this.deps.store.update(learnerId, () => state, (s) => (stillHere(s) ? { ...s, ...FRESH_STEP, stepIndex: nextIndex, context: place.context } : s));
    return [...persona.presentStep(v, { lesson, step: nextStep, index: nextIndex, platform: state.platform }), ...this.placeNotice(v, place)];
  }

  private placeNotice(v: persona.Voice, place: ReturnType<typeof placeForStep>): Block[] {
    if (!place.moved) return [];
    const w = talk.talkWords(v.lang);
    return [talk.notice(place.moved === 'host' ? w.movedToHost : w.movedToSandbox)];
  }

  private async runStep(t: Turn): Promise<Block[]> {
    const at = this.lessonOf(t.state);
    if (!at) return persona.problem(t.v, { kind: 'no-active-lesson' });
    return this.runner.command(t, persona.stepCommand(at.step));
  }

  private async hint(t: Turn): Promise<Block[]> {
    const { learnerId, state, v } = t;
    const at = this.lessonOf(state);
    if (!at) return persona.problem(v, { kind: 'no-active-lesson' });
    if (state.hintsUsed >= 3) return persona.noMoreHints(v, at.step);
    const level = state.hintsUsed as 0 | 1 | 2;
    await this.deps.store.update(learnerId, () => state, (s) => ({ ...s, hintsUsed: Math.min(3, s.hintsUsed + 1) }));
    const place = { lessonId: at.lesson.id, step: state.stepIndex + 1, hintsUsed: level + 1 };
    await this.record(t, 'hint-used', place);
    if (level === 2 && !state.stepPassed) await this.record(t, 'stuck', { ...place, detail: 'answer-hint' });
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
}

/** A typed line without control characters, or the problem with it (empty, too long). */
function cleanLine(raw: string): string | { kind: 'empty-message' } | { kind: 'message-too-long'; limit: number } {
  // Control characters never mean anything in chat; drop them, keep every other character.
  const text = raw.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim();
  if (text === '') return { kind: 'empty-message' };
  return text.length > MAX_MESSAGE_CHARS ? { kind: 'message-too-long', limit: MAX_MESSAGE_CHARS } : text;
}
