import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { lessonLanguages, loadCurriculum, matchExpectations, type Curriculum, type Lang, type Lesson, type MatchOutcome, type Step } from '../../src/lessons/index.js';
import type { SubmitRefusal } from '../../src/queue/errors.js';
import type { RunResult } from '../../src/sandbox/types.js';
import {
  forgetDone,
  hint,
  languageChanged,
  lessonComplete,
  lessonIntro,
  lessonList,
  noMoreHints,
  platformChanged,
  pointToLessons,
  practiceResult,
  presentStep,
  stepCommand,
  problem,
  progress,
  quizFeedback,
  quizQuestion,
  refusal,
  resetDone,
  smallTalk,
  stepResult,
  welcome,
  type TutorProblem,
  type Voice,
} from '../../src/tutor/persona.js';
import { en } from '../../src/tutor/phrases/en.js';
import { ja } from '../../src/tutor/phrases/ja.js';
import type { Words } from '../../src/tutor/phrases/words.js';
import type { Block, ChoiceAction, TextRole } from '../../src/tutor/reply.js';

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60]/;
const SANDBOX = { kind: 'sandbox', mode: 'oneshot' } as const;

let curriculum: Curriculum;
beforeAll(async () => {
  curriculum = await loadCurriculum(fileURLToPath(new URL('../../lessons', import.meta.url)));
});

function run(over: Partial<RunResult> = {}): RunResult {
  return { stdout: '', stderr: '', exitCode: 0, timedOut: false, oomKilled: false, truncated: false, durationMs: 42, ...over };
}

function texts(blocks: readonly Block[]): string[] {
  return blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : []));
}

/** Everything a learner reads that the persona wrote or framed (not shell commands or their output). */
function readable(blocks: readonly Block[]): string {
  return blocks
    .flatMap((b) => (b.kind === 'text' ? [b.text] : b.kind === 'choices' ? b.choices.map((c) => c.label) : b.kind === 'progress' ? [b.label] : []))
    .join('\n');
}

function withRole(blocks: readonly Block[], role: TextRole): string[] {
  return blocks.flatMap((b) => (b.kind === 'text' && b.role === role ? [b.text] : []));
}

function actions(blocks: readonly Block[]): ChoiceAction[] {
  return blocks.flatMap((b) => (b.kind === 'choices' ? b.choices.map((c) => c.action) : []));
}

function expectedOutcome(step: Step): MatchOutcome {
  const expectation = step.expect[0]!;
  return { kind: 'expected', id: expectation.id, explain: expectation.explain, expectation };
}

const unmatched = (lang: Lang): MatchOutcome => matchExpectations({ expect: [{ id: 'never', match: { stdout: ['zzz-never'] }, explain: 'x' }] }, run({ stdout: 'hello' }), lang);

/** One call of every exported function (and every variant the engine can ask for), at a given voice. */
function everyCall(v: Voice): [string, Block[]][] {
  const lessons = curriculum.list(v.lang);
  const lesson = lessons[0]!;
  const second = lessons[1]!;
  const step = lesson.steps[0]!;
  const last = lesson.steps.length - 1;
  const phases = curriculum.phases(v.lang);
  const done = new Set([lesson.id]);
  const quizStep = lessons.flatMap((l) => l.steps).find((s) => s.quiz?.some((q) => q.choices))!;
  const choiceQuiz = quizStep.quiz!.find((q) => q.choices)!;
  const freeQuiz = { id: 'free', question: 'q?', answer: 'pid', explanation: 'because' };
  const base = { lesson, step, index: 0, command: step.try.sandbox, attempts: 1, isLastStep: false, where: SANDBOX };
  const calls: [string, Block[]][] = [
    ['welcome new', welcome(v, { returning: false })],
    ['welcome back', welcome(v, { returning: true })],
    ['welcome back current', welcome(v, { returning: true, current: { lesson, stepIndex: 1 } })],
    ['lessonList', lessonList(v, phases, done, second.id)],
    ['lessonList all done', lessonList(v, phases, new Set(lessons.map((l) => l.id)))],
    ['lessonIntro', lessonIntro(v, lesson)],
    ['presentStep linux', presentStep(v, { lesson, step, index: 0, platform: 'linux' })],
    ['presentStep mac', presentStep(v, { lesson, step, index: 0, platform: 'mac' })],
    ['presentStep lab', presentStep(v, { lesson, step: { ...step, mode: 'lab', try: { ...step.try, lab: 'docker ps' } }, index: 0, platform: 'windows' })],
    ['stepResult expected', stepResult(v, { ...base, result: run({ stdout: 'ok' }), outcome: expectedOutcome(step) })],
    ['stepResult expected last', stepResult(v, { ...base, step: lesson.steps[last]!, index: last, isLastStep: true, attempts: 3, result: run(), outcome: expectedOutcome(lesson.steps[last]!) })],
    ['stepResult unmatched', stepResult(v, { ...base, result: run({ stdout: 'hello' }), outcome: unmatched(v.lang) })],
    ['stepResult timeout', stepResult(v, { ...base, attempts: 4, result: run({ timedOut: true, exitCode: null }), outcome: matchExpectations(step, run({ timedOut: true, exitCode: null }), v.lang) })],
    ['practice ok', practiceResult(v, { command: 'echo hi', result: run({ stdout: 'hi\n' }), where: SANDBOX })],
    ['practice builtin', practiceResult(v, { command: 'nope', result: run({ exitCode: 127, stderr: 'sh: 1: nope: not found' }), outcome: matchExpectations(step, run({ exitCode: 127, stderr: 'sh: 1: nope: not found' }), v.lang), where: SANDBOX })],
    ['hint 0', hint(v, step, 0)],
    ['hint 1', hint(v, step, 1)],
    ['hint 2', hint(v, step, 2)],
    ['noMoreHints', noMoreHints(v, step)],
    ['lessonComplete next', lessonComplete(v, { lesson, next: second })],
    ['lessonComplete last', lessonComplete(v, { lesson: lessons[lessons.length - 1]! })],
    ['progress', progress(v, { phases, done, current: { lesson: second, stepIndex: 0 } })],
    ['progress empty', progress(v, { phases, done: new Set() })],
    ['quizQuestion choices', quizQuestion(v, choiceQuiz)],
    ['quizQuestion free', quizQuestion(v, freeQuiz)],
    ['quizFeedback right', quizFeedback(v, { q: choiceQuiz, correct: true })],
    ['quizFeedback wrong', quizFeedback(v, { q: choiceQuiz, correct: false })],
    ...allRefusals.map((r): [string, Block[]] => [`refusal ${r.code}${'reason' in r ? ` ${r.reason}` : ''}`, refusal(v, r)]),
    ...allProblems(lessons).map((p): [string, Block[]] => [`problem ${p.kind}`, problem(v, p)]),
    ['platform mac', platformChanged(v, { platform: 'mac', step })],
    ['platform windows', platformChanged(v, { platform: 'windows' })],
    ['platform linux', platformChanged(v, { platform: 'linux', step })],
    ['languageChanged', languageChanged(v)],
    ['resetDone', resetDone(v)],
    ['forgetDone', forgetDone(v)],
    ['pointToLessons', pointToLessons(v, { question: 'why PID 1?', matches: [{ lesson, step }, { lesson }, { lesson: second }] })],
    ['pointToLessons none', pointToLessons(v, { question: 'kubernetes?', matches: [] })],
    ['smallTalk', smallTalk(v)],
  ];
  return calls;
}

const allRefusals: SubmitRefusal[] = [
  { code: 'invalid-command', reason: 'empty' },
  { code: 'invalid-command', reason: 'too-long', limit: 500 },
  { code: 'invalid-command', reason: 'control-characters' },
  { code: 'invalid-command', reason: 'invalid' },
  { code: 'invalid-learner' },
  { code: 'busy' },
  { code: 'cooldown', retryInMs: 2500 },
  { code: 'queue-full', limit: 64 },
  { code: 'unavailable', detail: 'docker engine unreachable' },
];

function allProblems(lessons: readonly Lesson[]): TutorProblem[] {
  const lesson = lessons[2]!;
  return [
    { kind: 'unknown-lesson', given: 'pid-onee', suggestions: [lessons[0]!, lessons[1]!] },
    { kind: 'no-active-lesson' },
    { kind: 'step-out-of-range', lesson, given: 9, total: lesson.steps.length },
    { kind: 'message-too-long', limit: 2000 },
    { kind: 'empty-message' },
    { kind: 'unknown-command', given: '/lesson', known: ['/lessons', '/start', '/hint', '/progress'] },
    { kind: 'missing-prerequisites', lesson, missing: [lessons[0]!, lessons[1]!] },
    { kind: 'nothing-to-answer' },
  ];
}

describe.each(lessonLanguages)('persona in %s', (lang) => {
  it("frames every step in the seed's shape: encouragement, point, commands, explanation, background, 💡 tip, question", () => {
    for (const lesson of curriculum.list(lang)) {
      lesson.steps.forEach((step, index) => {
        const v = { lang, turn: index };
        const before = presentStep(v, { lesson, step, index, platform: 'linux' });
        const after = stepResult(v, {
          lesson,
          step,
          index,
          command: step.try.sandbox,
          result: run({ stdout: 'ok' }),
          outcome: expectedOutcome(step),
          attempts: 1,
          isLastStep: index === lesson.steps.length - 1,
          where: SANDBOX,
        });
        const blocks = [...before, ...after];
        const order = blocks.map((b) => (b.kind === 'text' ? b.role : b.kind));
        const at = (what: string) => order.indexOf(what as never);
        const sequence = ['encouragement', 'point', 'command', 'output', 'explanation', 'background', 'tip', 'question'].map(at);
        expect(sequence.every((i) => i >= 0), `${lesson.file} ${step.id}: ${order.join(',')}`).toBe(true);
        expect([...sequence].sort((a, b) => a - b), `${lesson.file} ${step.id} order`).toEqual(sequence);
        expect(withRole(after, 'tip')[0]).toMatch(/^💡 /);
        expect(withRole(before, 'point')).toContain(step.say.point);
        expect(withRole(after, 'explanation')).toContain(expectedOutcome(step).explain);
        expect(before.some((b) => b.kind === 'command' && b.where.kind === 'own-machine' && b.command === step.try.linux)).toBe(true);
        expect(before.some((b) => b.kind === 'command' && b.where.kind === 'sandbox' && b.command === stepCommand(step))).toBe(true);
        expect(texts(before).join('\n')).toContain(`${index + 1}/${lesson.steps.length}`);
        expect(actions(before)).toEqual([{ type: 'run-step' }, { type: 'hint' }]);
        expect(actions(after)).toEqual([{ type: 'next' }]);
      });
    }
  });

  it('never repeats a reply word for word on consecutive turns', () => {
    for (let turn = 0; turn < 12; turn++) {
      const now = everyCall({ lang, turn });
      const next = everyCall({ lang, turn: turn + 1 });
      now.forEach(([name, blocks], i) => {
        expect(readable(next[i]![1]), `${name} at turns ${turn} and ${turn + 1}`).not.toBe(readable(blocks));
      });
    }
  });

  it(lang === 'ja' ? 'speaks Japanese in every reply' : 'uses no Japanese characters at all', () => {
    for (const [name, blocks] of everyCall({ lang, turn: 3 })) {
      const text = readable(blocks);
      if (lang === 'ja') expect(text, name).toMatch(JAPANESE);
      else expect(text, `${name}: ${text.match(JAPANESE)?.[0]}`).not.toMatch(JAPANESE);
    }
  });

  it('leaves no empty text, unfilled value or over-long button label', () => {
    for (let turn = 0; turn < 6; turn++) {
      for (const [name, blocks] of everyCall({ lang, turn })) {
        expect(blocks.length, name).toBeGreaterThan(0);
        for (const text of texts(blocks)) {
          expect(text.trim(), name).not.toBe('');
          expect(text, name).not.toMatch(/undefined|NaN|\[object |\$\{/);
        }
        for (const b of blocks) if (b.kind === 'choices') for (const c of b.choices) expect([...c.label].length, name).toBeLessThanOrEqual(80);
        expect(readable(blocks).length, `${name} is short enough for chat`).toBeLessThan(4000);
      }
    }
  });

  it('tells an unexpected result kindly, with what to try, and offers the answer after three tries', () => {
    const lesson = curriculum.list(lang)[0]!;
    const step = lesson.steps[0]!;
    const args = { lesson, step, index: 0, command: 'ps', result: run({ stdout: 'hello' }), outcome: unmatched(lang), isLastStep: false, where: SANDBOX };
    const first = stepResult({ lang, turn: 0 }, { ...args, attempts: 1 });
    expect(first[0]).toMatchObject({ kind: 'output', command: 'ps' });
    expect(withRole(first, 'encouragement')).toHaveLength(1);
    expect(withRole(first, 'explanation')).toEqual([unmatched(lang).explain]);
    expect(withRole(first, 'hint').join('\n')).toContain(step.hints.nudge);
    expect(readable(first)).not.toContain(step.hints.answer);
    expect(actions(first)).toEqual([{ type: 'hint' }, { type: 'run-step' }]);
    expect(withRole(first, 'celebration')).toEqual([]);

    const third = stepResult({ lang, turn: 0 }, { ...args, attempts: 3 });
    expect(withRole(third, 'hint').join('\n')).toContain(step.hints.answer);
  });

  it("uses a step's own hint for a known surprise, and mentions a timeout once", () => {
    // No lesson gives its surprises a hint yet, so the step is made here.
    const lesson = curriculum.list(lang)[0]!;
    const u = { id: 'empty', match: { stdout: ['^$'] }, explain: 'Nothing came out.', hint: 'Try `ps -ef` instead.' };
    const withHint = { lesson, step: { ...lesson.steps[0]!, unexpected: [u] } };
    const outcome: MatchOutcome = { kind: 'unexpected', source: 'step', id: u.id, explain: u.explain, hint: u.hint!, unexpected: u };
    const blocks = stepResult({ lang, turn: 1 }, { ...withHint, index: 0, command: 'x', result: run(), outcome, attempts: 1, isLastStep: false, where: SANDBOX });
    expect(withRole(blocks, 'hint').join('\n')).toContain(u.hint);
    expect(withRole(blocks, 'hint').join('\n')).not.toContain(withHint.step.hints.nudge);

    const step = curriculum.list(lang)[0]!.steps[0]!;
    const timedOut = run({ timedOut: true, exitCode: null, truncated: true });
    const timeout = matchExpectations(step, timedOut, lang);
    expect(timeout).toMatchObject({ kind: 'unexpected', source: 'builtin', id: 'timeout' });
    const said = stepResult({ lang, turn: 1 }, { lesson: curriculum.list(lang)[0]!, step, index: 0, command: 'x', result: timedOut, outcome: timeout, attempts: 1, isLastStep: false, where: SANDBOX });
    expect(withRole(said, 'notice').join('\n')).toContain('✂️');
    expect(withRole(said, 'notice').join('\n')).not.toContain('⏱️');
    const unmatchedTimeout = stepResult({ lang, turn: 1 }, { lesson: curriculum.list(lang)[0]!, step, index: 0, command: 'x', result: timedOut, outcome: unmatched(lang), attempts: 1, isLastStep: false, where: SANDBOX });
    expect(withRole(unmatchedTimeout, 'notice').join('\n')).toContain('⏱️');
  });

  it('ends the last step with "finish lesson" and keeps a fallback question', () => {
    const lesson = curriculum.list(lang)[0]!;
    const step = lesson.steps[0]!;
    const noQuestion = { ...step, say: { point: step.say.point } };
    const w = lang === 'ja' ? ja : en;
    const blocks = stepResult({ lang, turn: 2 }, { lesson, step: noQuestion, index: 0, command: 'ps', result: run(), outcome: expectedOutcome(step), attempts: 1, isLastStep: true, where: SANDBOX });
    expect(blocks.find((b) => b.kind === 'choices')).toEqual({ kind: 'choices', choices: [{ label: w.label.finishLesson, action: { type: 'next' } }] });
    expect(w.invite).toContain(withRole(blocks, 'question')[0]);
    expect(withRole(blocks, 'tip')).toEqual([]);
  });

  it('explains free practice from the exit status, not with lesson words', () => {
    const failed = practiceResult({ lang, turn: 1 }, { command: 'false', result: run({ exitCode: 2 }), outcome: unmatched(lang), where: SANDBOX });
    expect(withRole(failed, 'explanation').join()).toContain('2');
    expect(readable(failed)).not.toContain(unmatched(lang).explain);
    const oom = run({ oomKilled: true, exitCode: 137 });
    const step = curriculum.list(lang)[0]!.steps[0]!;
    const killed = practiceResult({ lang, turn: 1 }, { command: 'x', result: oom, outcome: matchExpectations(step, oom, lang), where: SANDBOX });
    expect(withRole(killed, 'explanation').join()).toContain('137');
    const suggestions = [0, 1, 2, 3].map((turn) => readable(practiceResult({ lang, turn }, { command: 'x', result: run(), where: SANDBOX })).includes('/lessons'));
    expect(suggestions).toEqual([true, false, false, true]);
  });

  it('escalates hints: nudge, stronger, then the answer with a run button', () => {
    const step = curriculum.list(lang)[1]!.steps[0]!;
    const v = { lang, turn: 5 };
    const [h0, h1, h2] = ([0, 1, 2] as const).map((level) => hint(v, step, level));
    expect(readable(h0!)).toContain(step.hints.nudge);
    expect(readable(h0!)).not.toContain(step.hints.answer);
    expect(readable(h1!)).toContain(step.hints.stronger);
    expect(readable(h1!)).not.toContain(step.hints.answer);
    expect(readable(h2!)).toContain(step.hints.answer);
    expect(actions(h2!)).toEqual([{ type: 'run-step' }]);
    expect(actions(h0!)).toContainEqual({ type: 'hint' });
    const leads = [h0!, h1!, h2!].map((b) => texts(b)[0]!.split('\n')[0]);
    expect(new Set(leads).size).toBe(3);
    const none = noMoreHints(v, step);
    expect(readable(none)).toContain(step.hints.answer);
    expect(actions(none)).toEqual([{ type: 'run-step' }, { type: 'next' }]);
  });

  it('words every refusal with its numbers, and reassures about progress when it is our side', () => {
    const w = lang === 'ja' ? ja : en;
    const said = new Map(allRefusals.map((r) => [r, readable(refusal({ lang, turn: 0 }, r))]));
    for (const [r, text] of said) expect(text.length, r.code).toBeGreaterThan(10);
    expect(new Set(said.values()).size).toBe(allRefusals.length);
    expect(said.get(allRefusals[1]!)).toContain('500');
    expect(said.get(allRefusals[6]!)).toContain('3');
    expect(said.get(allRefusals[7]!)).toContain('64');
    expect(said.get(allRefusals[8]!)).toContain(w.progressSafe);
    expect(said.get(allRefusals[8]!)).not.toContain('docker engine unreachable');
    expect(said.get(allRefusals[5]!)).toContain(w.refusal.busy);
  });

  it('answers every problem, with buttons where there is something to start', () => {
    const lessons = curriculum.list(lang);
    const replies = allProblems(lessons).map((p) => ({ p, blocks: problem({ lang, turn: 2 }, p) }));
    expect(new Set(replies.map((r) => r.p.kind)).size).toBe(8);
    for (const { p, blocks } of replies) expect(readable(blocks).length, p.kind).toBeGreaterThan(10);
    const byKind = (kind: TutorProblem['kind']) => replies.find((r) => r.p.kind === kind)!.blocks;
    expect(actions(byKind('unknown-lesson'))).toEqual([
      { type: 'start', lessonId: lessons[0]!.id },
      { type: 'start', lessonId: lessons[1]!.id },
    ]);
    expect(readable(byKind('unknown-lesson'))).toContain('pid-onee');
    expect(readable(byKind('unknown-command'))).toContain('`/lessons`');
    expect(readable(byKind('step-out-of-range'))).toContain(String(lessons[2]!.steps.length));
    expect(readable(byKind('message-too-long'))).toContain('2000');
    const heads = byKind('missing-prerequisites');
    expect(actions(heads)).toEqual([
      { type: 'start', lessonId: lessons[0]!.id },
      { type: 'start', lessonId: lessons[1]!.id },
    ]);
    expect(readable(heads)).toContain(lessons[1]!.title);
    expect(withRole(heads, 'notice').length).toBeGreaterThan(0);
  });

  it('counts progress per phase and names the lessons done and the current step', () => {
    const phases = curriculum.phases(lang);
    const first = phases[0]!;
    const done = new Set([first.lessons[0]!.id, first.lessons[1]!.id, 'no-such-lesson']);
    const current = { lesson: first.lessons[2]!, stepIndex: 1 };
    const blocks = progress({ lang, turn: 0 }, { phases, done, current });
    const bars = blocks.filter((b) => b.kind === 'progress');
    expect(bars).toHaveLength(phases.length);
    expect(bars[0]).toEqual({ kind: 'progress', label: first.title, done: 2, total: first.lessons.length });
    expect(bars.slice(1).every((b) => b.kind === 'progress' && b.done === 0)).toBe(true);
    expect(bars.reduce((sum, b) => sum + (b.kind === 'progress' ? b.total : 0), 0)).toBe(curriculum.list(lang).length);
    const text = readable(blocks);
    expect(text).toContain(first.lessons[0]!.title);
    expect(text).toContain(first.lessons[1]!.title);
    expect(text).toContain(`2/${current.lesson.steps.length}`);
    expect(actions(blocks)).toEqual([{ type: 'next' }]);
  });

  it('lists lessons with marks and ids and offers the first one not done', () => {
    const phases = curriculum.phases(lang);
    const lessons = curriculum.list(lang);
    const blocks = lessonList({ lang, turn: 0 }, phases, new Set([lessons[0]!.id]), lessons[1]!.id);
    const text = readable(blocks);
    expect(text).toContain(`✅ \`${lessons[0]!.id}\``);
    expect(text).toContain(`▶ \`${lessons[1]!.id}\``);
    for (const l of lessons) expect(text).toContain(l.id);
    expect(actions(blocks)).toEqual([{ type: 'start', lessonId: lessons[1]!.id }]);
  });

  it('welcomes, and offers to continue the current lesson', () => {
    const lesson = curriculum.list(lang)[0]!;
    const back = welcome({ lang, turn: 0 }, { returning: true, current: { lesson, stepIndex: 1 } });
    expect(actions(back)).toEqual([{ type: 'next' }]);
    expect(readable(back)).toContain(lesson.title);
    const fresh = welcome({ lang, turn: 0 }, { returning: false });
    expect(readable(fresh)).toContain('/lessons');
    expect(readable(fresh)).toContain('/start');
    expect(actions(fresh).every((a) => a.type === 'platform')).toBe(true);
  });

  it("names the transport's own commands when the voice carries them", () => {
    const v = { lang, turn: 0, commands: { lessons: '/lesson list', start: '/lesson start' } };
    const text = readable([...welcome(v, { returning: false }), ...smallTalk(v), ...problem(v, { kind: 'no-active-lesson' })]);
    expect(text).toContain('`/lesson list`');
    expect(text).toContain('`/lesson start <id>`');
    expect(text).toContain('`/hint`');
    expect(text).not.toContain('/lessons');
  });

  it('treats a Mac as lucky and re-shows the step for the new platform', () => {
    const lesson = curriculum.get(lang, 'docker-desktop-vm')!;
    const step = lesson.steps.find((s) => s.try.mac && s.try.mac !== s.try.linux)!;
    const blocks = platformChanged({ lang, turn: 0 }, { platform: 'mac', step });
    expect(readable(blocks)).toMatch(/VM/);
    expect(blocks).toContainEqual({ kind: 'command', command: step.try.mac, where: { kind: 'own-machine', platform: 'mac' } });
    const linux = platformChanged({ lang, turn: 0 }, { platform: 'linux' });
    expect(linux.some((b) => b.kind === 'command')).toBe(false);
  });

  it('introduces a lab step and offers its docker command to run here', () => {
    const lesson = curriculum.list(lang)[0]!;
    const step: Step = { ...lesson.steps[0]!, mode: 'lab', try: { ...lesson.steps[0]!.try, lab: 'docker ps' } };
    const blocks = presentStep({ lang, turn: 0 }, { lesson, step, index: 0, platform: 'linux' });
    expect(readable(blocks)).toContain((lang === 'ja' ? ja : en).labLead);
    expect(blocks).toContainEqual({ kind: 'command', command: 'docker ps', where: { kind: 'sandbox', mode: 'session' } });
  });

  it('asks quiz questions with indexed choices and gives the answer when wrong', () => {
    const q = curriculum.list(lang).flatMap((l) => l.steps).flatMap((s) => s.quiz ?? []).find((x) => x.choices)!;
    const blocks = quizQuestion({ lang, turn: 0 }, q);
    expect(actions(blocks)).toEqual(q.choices!.map((_, choice) => ({ type: 'quiz', questionId: q.id, choice })));
    const wrong = quizFeedback({ lang, turn: 0 }, { q, correct: false });
    expect(readable(wrong)).toContain(q.answer);
    expect(readable(wrong)).toContain(q.explanation);
    const right = quizFeedback({ lang, turn: 0 }, { q, correct: true });
    expect(withRole(right, 'celebration')).toHaveLength(1);
  });

  it('points a question to lessons, or says honestly there is none yet', () => {
    const lessons = curriculum.list(lang);
    const step = lessons[0]!.steps[0]!;
    const found = pointToLessons({ lang, turn: 0 }, { question: 'why?', matches: [{ lesson: lessons[0]!, step }, { lesson: lessons[0]! }, { lesson: lessons[3]! }] });
    expect(actions(found)).toEqual([
      { type: 'start', lessonId: lessons[0]!.id },
      { type: 'start', lessonId: lessons[3]!.id },
    ]);
    expect(readable(found)).toContain(step.title);
    const none = pointToLessons({ lang, turn: 0 }, { question: 'k8s?', matches: [] });
    expect(actions(none)).toEqual([]);
    expect(readable(none)).toContain('/lessons');
  });

  it('offers the next lesson at the end, or celebrates the whole curriculum', () => {
    const lessons = curriculum.list(lang);
    const next = lessonComplete({ lang, turn: 0 }, { lesson: lessons[0]!, next: lessons[1]! });
    expect(readable(next)).toContain(lessons[0]!.outro);
    expect(actions(next)).toEqual([{ type: 'start', lessonId: lessons[1]!.id }]);
    const end = lessonComplete({ lang, turn: 0 }, { lesson: lessons[lessons.length - 1]! });
    expect(actions(end)).toEqual([]);
    expect(withRole(end, 'celebration')).toHaveLength(2);
  });
});

describe('phrase banks', () => {
  function banks(value: unknown, path: string, out: [string, readonly unknown[]][]): [string, readonly unknown[]][] {
    if (Array.isArray(value)) {
      if (value.every((x) => Array.isArray(x))) value.forEach((x, i) => banks(x, `${path}[${i}]`, out));
      else out.push([path, value]);
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) banks(inner, `${path}.${key}`, out);
    }
    return out;
  }
  const sample = { title: 'T', platform: 'Mac', command: 'ps', answer: 'A', summary: 'S', list: 'L', step: 1, total: 2, stepTitle: 'st', lessons: '/lessons', start: '/start', run: '$ ', hint: '/hint' };

  it.each([
    ['ja', ja],
    ['en', en],
  ] as const)('%s: every bank has at least four distinct wordings, as many as the other language has', (_lang, w: Words) => {
    const own = banks(w, '', []);
    const other = new Map(banks(w === ja ? en : ja, '', []).map(([p, b]) => [p, b.length]));
    expect(own.length).toBeGreaterThan(30);
    for (const [path, bank] of own) {
      const said = bank.map((entry) => (typeof entry === 'function' ? (entry as (p: typeof sample) => string)(sample) : String(entry)));
      expect(new Set(said).size, path).toBe(bank.length);
      expect(bank.length, path).toBeGreaterThanOrEqual(4);
      expect(other.get(path), path).toBe(bank.length);
    }
  });
});
