import { beforeAll, describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import type { LabCommand } from '../../src/lab/command.js';
import { loadCurriculum, type Curriculum } from '../../src/lessons/index.js';
import { SubmitError } from '../../src/queue/errors.js';
import type { RunResult } from '../../src/sandbox/types.js';
import { MemoryLearnerStore } from '../../src/store/memory-learner-store.js';
import { newLearnerState } from '../../src/tutor/state.js';
import { Tutor, type TutorDeps } from '../../src/tutor/engine.js';
import type { LearningEvent } from '../../src/tutor/learning-events.js';
import type { Block, Reply } from '../../src/tutor/reply.js';
import { forwardChoice } from '../../src/tutor/say-line.js';

// The conversation engine's own logic, in milliseconds: an in-memory learner store and a scripted runner
// stand in for Redis and the sandbox (the real ones are exercised in conversation.test.ts and engine.test.ts).

const ok = (stdout: string, extra: Partial<RunResult> = {}): RunResult => ({ stdout, stderr: '', exitCode: 0, timedOut: false, oomKilled: false, truncated: false, durationMs: 5, ...extra });
const all = (r: Reply) => r.blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : [])).join('\n');
const output = (r: Reply) => r.blocks.find((b): b is Extract<Block, { kind: 'output' }> => b.kind === 'output');
const actions = (r: Reply) => r.blocks.flatMap((b) => (b.kind === 'choices' ? b.choices.map((c) => c.action) : []));

describe('the conversation engine, without Redis or Docker', () => {
  let curriculum: Curriculum;
  beforeAll(async () => {
    curriculum = await loadCurriculum(LESSONS_DIR);
  });

  function makeTutor(outputs: { sandbox?: (command: string) => RunResult; lab?: (command: LabCommand) => RunResult } = {}) {
    const ran: { where: 'sandbox' | 'lab'; what: string }[] = [];
    const events: LearningEvent[] = [];
    const deps: TutorDeps = {
      curriculum,
      store: new MemoryLearnerStore(),
      defaultLang: 'en',
      run: async (_learner, command) => {
        ran.push({ where: 'sandbox', what: command });
        return { result: outputs.sandbox?.(command) ?? ok('') };
      },
      runLab: async (_learner, command, opts) => {
        opts.onProgress?.({ stage: 'started' });
        ran.push({ where: 'lab', what: command.kind });
        return { result: outputs.lab?.(command) ?? ok(''), notes: [] };
      },
      clearLab: async () => ({ removed: 0 }),
      recordEvent: async (e) => void events.push(e),
    };
    return { tutor: new Tutor(deps), deps, ran, events };
  }

  it('reads typed lines as a person would: commands run, chat does not, and `$ ` forces a run', async () => {
    const { tutor, ran } = makeTutor();
    await tutor.handle('a', { type: 'line', text: 'ps aux' });
    await tutor.handle('a', { type: 'line', text: 'thanks, that was fun!' });
    await tutor.handle('a', { type: 'line', text: 'docker ps' });
    await tutor.handle('a', { type: 'line', text: 'sudo cat /sys/fs/cgroup/memory/docker/abc123/memory.limit_in_bytes' });
    expect(ran).toEqual([
      { where: 'sandbox', what: 'ps aux' },
      { where: 'lab', what: 'ps' },
      { where: 'lab', what: 'host' },
    ]);
  });

  it('waits out a short cooldown for a typed line, and only a long one is said', async () => {
    const refusals = [{ code: 'cooldown' as const, retryInMs: 300 }, { code: 'cooldown' as const, retryInMs: 9_000 }];
    let tries = 0;
    const { tutor, deps } = makeTutor();
    const inner = deps.run;
    deps.run = async (...args) => {
      tries += 1;
      const refusal = tries === 1 ? refusals[0] : tries === 3 ? refusals[1] : undefined;
      if (refusal) throw new SubmitError(refusal);
      return inner(...args);
    };
    const early = await tutor.handle('a', { type: 'line', text: 'echo early' });
    expect(output(early)).toBeDefined();
    expect(tries).toBe(2);
    const flood = await tutor.handle('a', { type: 'line', text: 'echo flood' });
    expect(output(flood)).toBeUndefined();
    expect(all(flood)).toMatch(/9 s|9 seconds|about 9/);
    expect(tries).toBe(3);
  });

  it('moves into a container with exec -it, runs there until exit, and says where it is', async () => {
    const { tutor, ran } = makeTutor();
    const inside = await tutor.handle('b', { type: 'line', text: 'docker exec -it my-alpine sh' });
    expect(inside.where).toEqual({ kind: 'container', name: 'my-alpine' });
    await tutor.handle('b', { type: 'line', text: 'ps aux' });
    expect(ran.at(-1)).toEqual({ where: 'lab', what: 'exec' });
    const out = await tutor.handle('b', { type: 'line', text: 'exit' });
    expect(out.where).toEqual({ kind: 'sandbox' });
    const nothing = await tutor.handle('b', { type: 'line', text: 'exit' });
    expect(all(nothing)).toMatch(/nothing to leave/);
  });

  it('explains 134217728 as the --memory=128m the learner set, on the host view', async () => {
    const { tutor } = makeTutor({ lab: () => ok('134217728\n') });
    const reply = await tutor.handle('c', { type: 'line', text: `sudo cat /sys/fs/cgroup/system.slice/docker-${'a'.repeat(64)}.scope/memory.max` });
    expect(output(reply)?.where).toEqual({ kind: 'host' });
    expect(all(reply)).toMatch(/128 × 1024 × 1024/);
    // A one-off sudo line leaves the learner in the sandbox: no "`exit` to go back".
    expect(reply.where).toEqual({ kind: 'sandbox' });
    expect(all(reply)).not.toMatch(/exit` to go back/);
  });

  it('asks for the seed\'s placeholders to be filled in, with where the value comes from, and runs nothing in the sandbox', async () => {
    const { tutor, ran } = makeTutor();
    const pid = await tutor.handle('h', { type: 'line', text: 'cat /proc/PID/status' });
    expect(all(pid)).toMatch(/placeholder.*ps aux \| grep/s);
    const id = await tutor.handle('h', { type: 'line', text: 'cat /sys/fs/cgroup/system.slice/docker-‹ここに長いIDを入れる>.scope/memory.max' });
    expect(all(id)).toMatch(/placeholder.*docker inspect/s);
    expect(ran).toEqual([]);
    // On the host's view the lab answers them: it knows the learner's own values (test/tutor/lab-ux.test.ts).
    await tutor.handle('h', { type: 'line', text: 'sudo ls -l /proc/PID/ns' });
    await tutor.handle('h', { type: 'line', text: 'sudo cat /sys/fs/cgroup/system.slice/docker-‹ここに長いIDを入れる>.scope/memory.max' });
    expect(ran).toEqual([{ where: 'lab', what: 'host' }, { where: 'lab', what: 'host' }]);
  });

  it('tells the status line where a command runs: a sudo line typed in the sandbox runs on the host', async () => {
    const { tutor } = makeTutor({ lab: () => ok('134217728\n') });
    const places: unknown[] = [];
    await tutor.handle('g', { type: 'line', text: 'sudo cat /sys/fs/cgroup/memory/docker/abc123/memory.limit_in_bytes' }, { onProgress: (_p, place) => void places.push(place) });
    expect(places).toEqual([{ kind: 'host' }]);
  });

  it('answers the seed\'s Mac commands without running them, puts the learner on the host\'s view, and `/ # exit` leaves it', async () => {
    for (const [learner, mac] of [['d', 'docker run -it --rm --privileged --pid=host justincormack/nsenter1'], ['d2', 'docker run -it --rm --privileged --pid=host alpine nsenter -t 1 -m -u -n -i sh']] as const) {
      const { tutor, ran } = makeTutor();
      const reply = await tutor.handle(learner, { type: 'line', text: mac });
      expect(ran).toEqual([]);
      expect(reply.where).toEqual({ kind: 'host' });
      expect(all(reply)).toMatch(/put you on the host's view/);
      expect(actions(reply)).toContainEqual({ type: 'place', place: 'sandbox' });
      // The seed's next lines, pasted with their prompt, run on the host's view.
      const grep = await tutor.handle(learner, { type: 'line', text: '/ # ps aux | grep "sleep 7777"' });
      expect(ran).toEqual([{ where: 'lab', what: 'host' }]);
      expect(output(grep)?.where).toEqual({ kind: 'host' });
      const out = await tutor.handle(learner, { type: 'line', text: '/ # exit' });
      expect(out.where).toEqual({ kind: 'sandbox' });
    }
  });

  it('does not move on to a later step for a line of its own-machine form that would run in the sandbox', async () => {
    const { tutor, deps } = makeTutor();
    const lesson = curriculum.get('en', 'host-view')!;
    const inspect = lesson.steps.findIndex((st) => st.id === 'limit-in-inspect');
    await tutor.handle('o', { type: 'start', lessonId: 'host-view', step: inspect + 1 });
    await deps.store.update('o', () => newLearnerState('en'), (st) => ({ ...st, stepPassed: true }));
    // The seed's next line after `/ # exit`: a host PID, typed in the sandbox.
    const reply = await tutor.handle('o', { type: 'line', text: '/ # ls -l /proc/12033/ns' });
    expect(all(reply)).not.toMatch(/next step's command/);
    expect((await deps.store.get('o'))?.stepIndex).toBe(inspect);
  });

  it('runs the seed\'s Mac lines on the host\'s view mid-lesson, never moving on to a step whose own-machine form has them', async () => {
    const { tutor, ran, deps } = makeTutor({ lab: () => ok('sensei 17903 0.0 0.0 2920 1864 ? Ss 00:48 0:00 sleep 7777\n') });
    const lesson = curriculum.get('en', 'host-view')!;
    const inspect = lesson.steps.findIndex((st) => st.id === 'limit-in-inspect');
    await tutor.handle('m', { type: 'start', lessonId: 'host-view', step: inspect + 1 });
    await deps.store.update('m', () => newLearnerState('en'), (st) => ({ ...st, stepPassed: true, platform: 'mac' }));
    await tutor.handle('m', { type: 'line', text: 'docker run -it --rm --privileged --pid=host alpine nsenter -t 1 -m -u -n -i sh' });
    const grep = await tutor.handle('m', { type: 'line', text: '/ # ps aux | grep "sleep 7777"' });
    expect(ran.at(-1)).toEqual({ where: 'lab', what: 'host' });
    expect(output(grep)?.where).toEqual({ kind: 'host' });
    expect((await deps.store.get('m'))?.stepIndex).toBe(inspect);
    const out = await tutor.handle('m', { type: 'line', text: '/ # exit' });
    expect(out.where).toEqual({ kind: 'sandbox' });
  });

  it('takes bare next / 次へ / skip / hint / ヒント / more as the tutor\'s commands, anywhere and during a quiz', async () => {
    const { tutor, ran, deps } = makeTutor({ sandbox: () => ok('268435456\n') });
    await tutor.handle('n', { type: 'start', lessonId: 'container-is-a-process' });
    const early = await tutor.handle('n', { type: 'line', text: 'next' });
    expect(all(early)).toMatch(/isn't done yet.*`skip`/s);
    expect((await deps.store.get('n'))?.stepIndex).toBe(0);
    const hint = await tutor.handle('n', { type: 'line', text: 'hint' });
    expect((await deps.store.get('n'))?.hintsUsed).toBe(1);
    expect(actions(hint)).not.toContainEqual({ type: 'line', run: true });
    await tutor.handle('n', { type: 'line', text: 'Skip!' });
    expect((await deps.store.get('n'))?.stepIndex).toBe(1);
    // On the host's view, `hint` is a hint, never "run it in your sandbox?".
    await tutor.handle('n', { type: 'line', text: 'docker run -it --rm --privileged --pid=host justincormack/nsenter1' });
    const hostHint = await tutor.handle('n', { type: 'line', text: 'ヒント' });
    expect(all(hostHint)).not.toMatch(/sandbox|Did you mean/);
    expect((await deps.store.get('n'))?.hintsUsed).toBe(1);
    await tutor.handle('n', { type: 'line', text: 'exit' });
    // Inside a container `more FILE` still runs there; `more` alone is the tutor's More.
    await tutor.handle('n', { type: 'line', text: 'docker exec -it my-alpine sh' });
    const before = ran.length;
    await tutor.handle('n', { type: 'line', text: 'more /etc/passwd' });
    expect(ran.length).toBe(before + 1);
    const more = await tutor.handle('n', { type: 'line', text: 'more' });
    expect(ran.length).toBe(before + 1);
    expect(more.blocks.length).toBeGreaterThan(0);
    // During a quiz, `次へ` moves on instead of being marked a wrong answer.
    const lesson = curriculum.get('en', 'host-view')!;
    const quizStep = lesson.steps.findIndex((st) => st.quiz && st.try.sandbox.startsWith('cat /sys/fs/cgroup/memory.max'));
    await tutor.handle('n', { type: 'line', text: 'exit' });
    await tutor.handle('n', { type: 'start', lessonId: 'host-view', step: quizStep + 1 });
    await tutor.handle('n', { type: 'run-step' });
    expect((await deps.store.get('n'))?.pendingQuiz).toBeDefined();
    const moved = await tutor.handle('n', { type: 'line', text: '次へ' });
    expect(all(moved)).not.toMatch(/Not quite|おしい/);
    expect((await deps.store.get('n'))?.stepIndex).toBe(quizStep + 1);
  });

  it('hears yes / はい / うん、いこう！ / ok let\'s go as a press of the one forward choice on offer', async () => {
    const lessons = curriculum.list('en');
    const first = lessons[0]!;
    for (const [learner, lang, yes] of [['y1', 'ja', 'はい'], ['y2', 'ja', 'うん、いこう！'], ['y3', 'en', 'yes'], ['y4', 'en', "ok let's go"]] as const) {
      const { tutor, deps } = makeTutor();
      await tutor.handle(learner, { type: 'language', lang });
      await tutor.handle(learner, { type: 'start', lessonId: first.id, step: first.steps.length });
      const done = await tutor.handle(learner, { type: 'skip' });
      expect(actions(done).filter((a) => a.type === 'start')).toHaveLength(1);
      await tutor.handle(learner, { type: 'line', text: yes });
      expect((await deps.store.get(learner))?.lessonId).toBe(lessons[1]!.id);
    }
    // Inside a container, "yes" is still a yes to the offer, not the `yes` command.
    const inside = makeTutor();
    await inside.tutor.handle('y6', { type: 'start', lessonId: first.id, step: first.steps.length });
    await inside.tutor.handle('y6', { type: 'skip' });
    await inside.tutor.handle('y6', { type: 'line', text: 'docker exec -it my-alpine sh' });
    await inside.tutor.handle('y6', { type: 'line', text: 'yes' });
    expect((await inside.deps.store.get('y6'))?.lessonId).toBe(lessons[1]!.id);
    // Several lessons on offer: a yes presses none of them.
    const { tutor, deps } = makeTutor();
    const offered = await tutor.handle('y5', { type: 'start', lessonId: 'no-such-lesson' });
    expect(actions(offered).filter((a) => a.type === 'start').length).toBeGreaterThan(1);
    await tutor.handle('y5', { type: 'line', text: 'yes' });
    expect((await deps.store.get('y5'))?.lessonId).toBeUndefined();
  });

  it('steps out of a container the learner removes from inside it, without counting a failed try', async () => {
    const { tutor, deps } = makeTutor();
    await tutor.handle('r', { type: 'start', lessonId: 'container-is-a-process' });
    await tutor.handle('r', { type: 'line', text: 'docker exec -it my-alpine sh' });
    const removed = await tutor.handle('r', { type: 'line', text: 'docker rm -f my-alpine' });
    expect(removed.where).toEqual({ kind: 'sandbox' });
    expect(all(removed)).toMatch(/my-alpine is gone/);
    expect((await deps.store.get('r'))?.attempts).toBe(0);
  });

  it('counts no failed try for a setup line of the step\'s own commands (docker run -d, docker rm -f) that worked', async () => {
    const { tutor, deps } = makeTutor({ lab: () => ok(`${'f'.repeat(64)}\n`) });
    await tutor.handle('u', { type: 'start', lessonId: 'container-is-a-process' });
    const run = await tutor.handle('u', { type: 'line', text: 'docker run -d --name my-alpine alpine sleep 1000' });
    expect(all(run)).not.toMatch(/did not foresee/);
    await tutor.handle('u', { type: 'line', text: 'docker rm -f my-alpine' });
    expect((await deps.store.get('u'))?.attempts).toBe(0);
  });

  it('skips shell comments in a paste silently, and answers a single typed comment in one short line', async () => {
    const { tutor, ran } = makeTutor();
    const replies: Reply[] = [];
    await tutor.typed('p', '# start a container\ndocker run -d --name my-alpine alpine sleep 1000\n# ホストの PID を探す\nps aux', { onReply: (r) => void replies.push(r) });
    expect(replies).toHaveLength(2);
    expect(ran.map((r) => r.where)).toEqual(['lab', 'sandbox']);
    const single = await tutor.handle('p', { type: 'line', text: '# find the PID on the host' });
    expect(single.blocks).toHaveLength(1);
    expect(all(single)).toMatch(/shell comment/);
    // A code block copied with its fences: the fences are neither run nor answered.
    const fenced: Reply[] = [];
    const before = ran.length;
    await tutor.typed('p', '```bash\n# inside the container\nps aux\n```', { onReply: (r) => void fenced.push(r) });
    expect(ran.slice(before).map((r) => r.what)).toEqual(['ps aux']);
    expect(fenced).toHaveLength(1);
    expect(fenced.map(all).join('\n')).not.toMatch(/```|bash`/);
  });

  it('answers questions, even mid-answer and misspelt, and hears a short answer as an answer', async () => {
    const { tutor, ran, events } = makeTutor({ sandbox: () => ok('USER PID\nroot 1 0.0 docker-init\n') });
    await tutor.handle('q', { type: 'start', lessonId: 'container-is-a-process' });
    await tutor.handle('q', { type: 'run-step' });
    const asked = () => events.filter((e) => e.type === 'question-asked').length;
    await tutor.handle('q', { type: 'line', text: 'i dont get why pid 1 is docker-init here?' });
    expect(asked()).toBe(1);
    const runs = ran.length;
    const answer = await tutor.handle('q', { type: 'line', text: 'ps aux itself' });
    expect(ran.length).toBe(runs);
    expect(all(answer)).toMatch(/PID 1 itself/);
    await tutor.handle('q', { type: 'line', text: 'cgrupのv1とv2のちがい' });
    expect(asked()).toBe(2);
    const here = await tutor.handle('q', { type: 'line', text: 'これ何が起きてるの？' });
    expect(all(here)).toMatch(/About this step/);
  });

  it('comforts a sad face, asks which choice for a number off the list, and offers the fix for `dokcer ps`', async () => {
    const { tutor, ran } = makeTutor();
    await tutor.handle('s', { type: 'start', lessonId: 'container-is-a-process' });
    expect(all(await tutor.handle('s', { type: 'line', text: '😭' }))).not.toMatch(/happy|thank/i);
    expect(all(await tutor.handle('s', { type: 'line', text: '9' }))).toMatch(/Which one\? Type a number from 1 to \d/);
    const typo = await tutor.handle('s', { type: 'line', text: 'dokcer ps' });
    expect(all(typo)).toMatch(/Did you mean `docker ps`\? I can run it in the lab/);
    expect(ran).toEqual([]);
    await tutor.handle('s', { type: 'line', text: '1' });
    expect(ran).toEqual([{ where: 'lab', what: 'ps' }]);
    // After the tutor's own question a sad face is still comforted, not thanked.
    const asked = makeTutor({ sandbox: () => ok('USER PID\nroot 1 0.0 docker-init\n') });
    await asked.tutor.handle('s2', { type: 'start', lessonId: 'container-is-a-process' });
    await asked.tutor.handle('s2', { type: 'run-step' });
    expect(all(await asked.tutor.handle('s2', { type: 'line', text: '😭' }))).not.toMatch(/thank|Nice|happy/i);
    // A number may be the answer to the tutor's question: heard, not "which one?".
    expect(all(await asked.tutor.handle('s2', { type: 'line', text: '7' }))).not.toMatch(/Which one/);
  });

  it('presses with a yes only what the reply asked about: Next, an answer\'s ▶ Run, one lesson, the step\'s ▶ Run', () => {
    const card = { type: 'try-card', cardId: 'c' } as const;
    const lesson = { type: 'start', lessonId: 'l' } as const;
    expect(forwardChoice([card, lesson, { type: 'rate', cardId: 'c', vote: 'up' }])).toEqual(card);
    expect(forwardChoice([{ type: 'run-step' }, { type: 'next' }])).toEqual({ type: 'next' });
    expect(forwardChoice([lesson, { type: 'start', lessonId: 'm' }])).toBeUndefined();
    expect(forwardChoice([{ type: 'hint' }, { type: 'more' }])).toBeUndefined();
    // "Yes, I did it!" after an answer's "run it and tell me" says they ran it: the ▶ Run is not pressed for them.
    expect(forwardChoice([card, lesson], { text: 'うん、できた！', stepPassed: false, inLesson: false })).toBeUndefined();
    expect(forwardChoice([card, lesson], { text: 'yes, done!', stepPassed: false, inLesson: false })).toBeUndefined();
    expect(forwardChoice([card, lesson], { text: 'うん', stepPassed: false, inLesson: false })).toEqual(card);
  });

  it('hears はい as "▶ Run this" when a step offers only that', async () => {
    const { tutor, ran } = makeTutor();
    await tutor.handle('w', { type: 'language', lang: 'ja' });
    await tutor.handle('w', { type: 'start', lessonId: 'container-is-a-process' });
    await tutor.handle('w', { type: 'line', text: 'はい' });
    expect(ran).toEqual([{ where: 'sandbox', what: 'ps aux' }]);
  });

  it('records learning events: started, step passed, hint used, stuck on the answer hint, completed', async () => {
    const { tutor, events } = makeTutor({ sandbox: () => ok('USER PID\nroot 1 0.0 docker-init\n') });
    await tutor.handle('e', { type: 'start', lessonId: 'container-is-a-process' }, { guildId: 'g1' });
    await tutor.handle('e', { type: 'run-step' }, { guildId: 'g1' });
    await tutor.handle('e', { type: 'next' });
    for (let i = 0; i < 3; i++) await tutor.handle('e', { type: 'hint' });
    const types = events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['lesson-started', 'step-passed']);
    expect(types).toEqual(expect.arrayContaining(['hint-used', 'stuck']));
    expect(events[0]).toMatchObject({ learnerId: 'e', guildId: 'g1', lessonId: 'container-is-a-process', step: 1 });
  });

  it('asks instead of guessing when it cannot tell, and never runs it unless told', async () => {
    const { tutor, ran } = makeTutor();
    const asked = await tutor.handle('f', { type: 'line', text: 'Ps aux' });
    expect(actions(asked)).toEqual([{ type: 'line', run: true }, { type: 'line', run: false }]);
    expect(ran).toEqual([]);
    await tutor.handle('f', { type: 'line', text: '2' });
    expect(ran).toEqual([]);
    await tutor.handle('f', { type: 'line', text: 'Ps aux' });
    await tutor.handle('f', { type: 'confirm-line', run: true });
    expect(ran).toEqual([{ where: 'sandbox', what: 'Ps aux' }]);
  });

  it('passes a clean-up step whose container the learner already removed (the seed removes it a step early)', async () => {
    const gone = (name: string) => ok('', { stderr: `Error response from daemon: No such container: ${name}\n`, exitCode: 1 });
    for (const lang of ['ja', 'en'] as const) {
      for (const [lessonId, name] of [['container-is-a-process', 'my-alpine'], ['host-view', 'deep-dive-container']] as const) {
        const lesson = curriculum.get(lang, lessonId)!;
        const step = lesson.steps.findIndex((st) => st.try.lab === `docker rm -f ${name}`);
        expect(step).toBeGreaterThan(0);
        const { tutor, deps } = makeTutor({ lab: () => gone(name) });
        const learner = `gone-${lang}-${lessonId}`;
        await deps.store.update(learner, () => newLearnerState(lang), (st) => ({ ...st, lang }));
        await tutor.handle(learner, { type: 'start', lessonId, step: step + 1 });
        const reply = await tutor.handle(learner, { type: 'run-step' });
        expect(all(reply)).not.toMatch(/まだ終わっていない|isn't done yet|想定と違った|Not what we expected/);
        expect(reply.blocks.some((b) => b.kind === 'text' && b.role === 'celebration')).toBe(false);
        const state = await deps.store.get(learner);
        expect(state?.stepPassed || (state?.completed ?? []).includes(lessonId)).toBe(true);
      }
    }
  });
});
