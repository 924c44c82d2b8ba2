// Free text (a line that is not a command): an answer to the tutor's question, a yes to the one forward
// choice, a question for the question desk or about the current step, a platform remark, or small talk.
import { isQuizAnswer, type Lesson, type Platform, type QuizQuestion, type Step } from '../lessons/index.js';
import type { TutorDeps } from './deps.js';
import { eventForChoice, type TutorEvent } from './events.js';
import { classifyFreeText, findLessonsAbout, keywordsOf } from './intent.js';
import * as persona from './persona.js';
import * as talk from './persona-talk.js';
import { answerBlocks, confusedBlocks, type LastAnswer } from './questions.js';
import { asksWhatItIs } from '../knowledge/core.js';
import { askWords } from '../knowledge/reply.js';
import type { Block } from './reply.js';
import { recordEvent, type Turn } from './run-line.js';
import { heardWords } from './heard.js';
import { aboutThis, forwardChoice, isAffirmative, isHostile, isPresenceCheck, isQuestionLine, isSad, isTentativeAnswer } from './say-line.js';
import type { LearnerState } from './state.js';
import { pick, say } from './voice.js';

/** What free text needs from the engine: moving on, a hint, a quiz answer, the platform, any event. */
export interface FreeTextHooks {
  next(t: Turn, skip: boolean): Promise<Block[]>;
  hint(t: Turn): Promise<Block[]>;
  quiz(t: Turn, questionId: string, answer: string): Promise<Block[]>;
  setPlatform(t: Turn, platform: Platform): Promise<Block[]>;
  dispatch(t: Turn, event: TutorEvent): Promise<Block[]>;
}

/** The lesson and step a learner is on, if any. */
export function lessonAt(deps: Pick<TutorDeps, 'curriculum'>, state: LearnerState): { lesson: Lesson; step: Step } | undefined {
  const lesson = state.lessonId ? deps.curriculum.get(state.lang, state.lessonId) : undefined;
  const step = lesson?.steps[state.stepIndex];
  return lesson && step ? { lesson, step } : undefined;
}

/** Whether the tutor's question about the learner's current step is still open. */
export function awaitsAnswer(state: LearnerState): boolean {
  return state.awaiting !== undefined && state.awaiting.lessonId === state.lessonId && state.awaiting.stepIndex === state.stepIndex;
}

/**
 * Whether a line goes to the step's pending quiz: a step can ask its own open question too, and a sentence that
 * is no choice of the quiz ("1 行に 1 つずつでした") then answers that question instead of being marked wrong.
 */
export function goesToQuiz(quiz: QuizQuestion, state: LearnerState, text: string): boolean {
  return !statesPlatform(text) && (isQuizAnswer(quiz, text) || !awaitsAnswer(state));
}

export async function freeText(deps: TutorDeps, hooks: FreeTextHooks, t: Turn, text: string): Promise<Block[]> {
  const { learnerId, state, v } = t;
  const at = lessonAt(deps, state);
  const quiz = state.pendingQuiz ? at?.step.quiz?.find((q) => q.id === state.pendingQuiz) : undefined;
  if (quiz && goesToQuiz(quiz, state, text)) return hooks.quiz(t, quiz.id, text);
  // After the tutor's own question, "max かな？" is a guess at the answer, not a question of the learner's own.
  const answering = at !== undefined && awaitsAnswer(state);
  const guess = answering && isTentativeAnswer(text);
  const asking = isQuestionLine(text) && !guess;
  const intent = asking ? ({ kind: 'question', text } as const) : classifyFreeText(text);
  // "Are you still there?" is answered "yes, I'm here", with where the learner is; it is no question for the cards.
  if (isPresenceCheck(text)) {
    const step = at ? { number: state.stepIndex + 1, total: at.lesson.steps.length, title: at.step.title } : undefined;
    return [say(heardWords(v.lang).here(step ? { step } : {}), 'encouragement')];
  }
  // A sad face is comfort's turn, even after the tutor's question (it is not an answer to thank for).
  if (isSad(text) && !asking) return [say(pick(talk.talkWords(v.lang).sad, v), 'encouragement')];
  // A harsh line is heard calmly and kindly: never thanked as an answer, never cheered as small talk.
  if (isHostile(text) && !asking) {
    const h = heardWords(v.lang);
    return [say(pick(h.hostile, v), 'encouragement'), say(h.hostileHelp({ inLesson: at !== undefined }), 'steps')];
  }
  // "I don't get it" right after an answer is about that answer (not a lesson topic, not the step's hint).
  const justAnswered = intent.kind === 'help' && deps.questions ? answerJustGiven(state) : undefined;
  const confused = justAnswered && deps.questions ? confusedBlocks(deps.questions, v, justAnswered, state.lessonId) : undefined;
  if (confused) {
    await rememberAnswer(deps, t, confused.shown);
    return confused.blocks;
  }
  // "I'm on a Mac" is never an answer to "what did the output show": it switches the commands, and the
  // tutor's question stays open.
  if (intent.kind === 'platform') return hooks.setPlatform(t, intent.platform);
  // The tutor asked something: a reply that is not a question of the learner's own is heard as the answer.
  if (at && answering && (intent.kind !== 'question' || guess)) {
    await deps.store.update(learnerId, () => state, (s) => ({ ...s, awaiting: undefined }));
    const heard = { ...t, state: { ...state, awaiting: undefined } };
    if (isAffirmative(text)) return hooks.next(heard, false);
    // "わからない" is not an answer to praise: a hint helps more.
    if (intent.kind === 'help') return hooks.hint(heard);
    const reply = at.step.say.answers?.find((a) => a.match.some((re) => new RegExp(re, 'i').test(text)))?.reply;
    const isLast = state.stepIndex === at.lesson.steps.length - 1;
    return talk.heardAnswer(v.lang, v.turn, reply, persona.nextLabel(v, isLast));
  }
  // "Yes" / "はい" / "ok let's go" presses the forward choice on offer, only when there is exactly one.
  const forward = isAffirmative(text) ? forwardChoice(state.offered, { text, stepPassed: state.stepPassed, inLesson: at !== undefined }) : undefined;
  if (forward) return hooks.dispatch(t, eventForChoice(forward));
  switch (intent.kind) {
    case 'help':
      // Outside a lesson "I don't get it" is not a topic to look up: ask what is unclear.
      return at ? hooks.hint(t) : [say(askWords[v.lang].puzzled, 'question')];
    case 'question': {
      // "What's happening here?": a card that clearly fits first, else the step in front of the learner.
      if (at && aboutThis(text)) return (await question(deps, t, text, false)) ?? (hasTopic(text) ? question(deps, t, text, true) : aboutStep(t, at));
      return question(deps, t, text, true);
    }
    case 'chat': {
      // A question without a question mark ("cgroupのv1とv2の違い") still finds its card; chat does not.
      const answered = deps.questions ? await question(deps, t, text, false) : undefined;
      return answered ?? persona.smallTalk(v);
    }
  }
}

/** Words that point at what is in front of the learner without naming a topic. */
const DEICTIC = new Set(['this', 'that', 'here', 'there', 'happening', 'happen', 'happened', 'going', 'mean', 'means', 'get', 'dont', 'output', 'thing', 'just', 'now']);

/** The question names something to look up ("why is pid 1 docker-init here?"), not only "this". */
function hasTopic(text: string): boolean {
  return keywordsOf(text).some((w) => !DEICTIC.has(w));
}

/** The current step's own point and background, for a question about "this". */
function aboutStep(t: Turn, at: { lesson: Lesson; step: Step }): Block[] {
  const w = talk.talkWords(t.v.lang);
  const { step } = at;
  return [
    say(`${w.aboutStep({ title: step.title })}\n${step.say.point}`, 'point'),
    ...(step.say.background ? [say(step.say.background, 'background')] : []),
    ...(step.say.question ? [say(step.say.question, 'question')] : []),
  ];
}

/**
 * A question: the knowledge card that answers it, with its command and lesson one press away; the lesson
 * position is kept. `asked`: the learner surely asked something, so a weak match still gets a kind reply.
 */
export async function question(deps: TutorDeps, t: Turn, text: string, asked: true): Promise<Block[]>;
export async function question(deps: TutorDeps, t: Turn, text: string, asked: boolean): Promise<Block[] | undefined>;
export async function question(deps: TutorDeps, t: Turn, text: string, asked: boolean): Promise<Block[] | undefined> {
  const { state, v } = t;
  const at = lessonAt(deps, state);
  const desk = deps.questions;
  const recordAsked = () =>
    recordEvent(deps, t, { type: 'question-asked', ...(at ? { lessonId: at.lesson.id, step: state.stepIndex + 1 } : {}), hintsUsed: state.hintsUsed, detail: text.slice(0, 300) });
  if (!desk) {
    if (!asked) return undefined;
    await recordAsked();
    const matches = findLessonsAbout(text, deps.curriculum.list(state.lang)).map(({ lesson, step }) => ({ lesson, ...(step ? { step } : {}) }));
    return persona.pointToLessons(v, { question: text, matches });
  }
  // Chat is only answered when a card clearly fits, and small talk is never kept as an unanswered question.
  const { result, parts } = await desk.respond(text, v.lang, t.learnerId, { keepUnanswered: asked });
  if (!asked && !result.card) return undefined;
  await recordAsked();
  const defined = result.card?.what !== undefined && asksWhatItIs(text);
  await rememberAnswer(deps, t, { ...(result.card ? { cardId: result.card.id } : {}), suggestions: result.suggestions.slice(0, 3).map((c) => c.id), defined });
  return answerBlocks(v.lang, parts, { ...result, ...(state.lessonId ? { currentLessonId: state.lessonId } : {}) });
}

/** Keeps what was just answered, so "I don't get it" in the next message is heard as about it. */
export async function rememberAnswer(deps: Pick<TutorDeps, 'store'>, t: Turn, last: LastAnswer): Promise<void> {
  await deps.store.update(t.learnerId, () => t.state, (s) => ({ ...s, lastAnswer: { turn: t.state.turn, ...last } }));
}

/** The answer given in the reply just before this one, if the last reply was one. */
function answerJustGiven(state: LearnerState): LastAnswer | undefined {
  const last = state.lastAnswer;
  return last && last.turn === state.turn - 1 ? last : undefined;
}

/** "I'm on a Mac", "Macを使っています": the learner names their computer (not a question about one). */
export function statesPlatform(text: string): boolean {
  return !isQuestionLine(text) && classifyFreeText(text).kind === 'platform';
}
