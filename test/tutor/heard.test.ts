import { beforeAll, describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import type { LabCommand } from '../../src/lab/command.js';
import { loadCurriculum, type Curriculum, type Lang } from '../../src/lessons/index.js';
import type { Reply } from '../../src/tutor/reply.js';
import { actionsOf, ok, outputOf, scriptedTutor, textOf } from './tutor-double.js';

// The tutor hears a learner as a person would (tryout2's findings), driven through Tutor.typed and
// Tutor.handle as a transport drives it; the sandbox and lab are scripted so each reply is about a known output.

const HOST_PS = 'root     24158  0.0  0.0   1612     4 ?        Ss   18:12   0:00 sleep 7777\n';
const ID = 'a'.repeat(64);

/** A lab that answers as the seed's lesson 2 expects: the run prints an ID, the host's ps finds sleep 7777. */
function lesson2Lab(command: LabCommand) {
  if (command.kind === 'run') return ok(`${ID}\n`);
  if (command.kind === 'host') return ok(HOST_PS);
  if (command.kind === 'inspect') return ok(`${ID}\n`);
  if (command.kind === 'rm') return ok('deep-dive-container\n');
  return ok('');
}

describe('hearing a learner as a person would', () => {
  let curriculum: Curriculum;
  beforeAll(async () => {
    curriculum = await loadCurriculum(LESSONS_DIR);
  });

  const typer = (tutor: ReturnType<typeof scriptedTutor>['tutor'], learner: string) => async (text: string) => {
    const replies: { reply: Reply; line?: string }[] = [];
    await tutor.typed(learner, text, { onReply: (reply, line) => void replies.push({ reply, ...(line ? { line } : {}) }) });
    return replies;
  };

  for (const [lang, mac] of [['en', "I'm on a Mac"], ['ja', 'すみません、実はMacを使っていました']] as const satisfies readonly (readonly [Lang, string])[]) {
    it(`${lang}: "${mac}" while the tutor awaits an answer switches to the Mac way, and is not taken as the answer`, async () => {
      const { tutor } = scriptedTutor(curriculum, { lab: lesson2Lab }, lang);
      const type = typer(tutor, `mac-${lang}`);
      await tutor.handle(`mac-${lang}`, { type: 'start', lessonId: 'host-view' });
      await type('docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777');
      expect((await tutor.whereIs(`mac-${lang}`))?.state.awaiting).toBeDefined();
      const [heard] = await type(mac);
      expect((await tutor.whereIs(`mac-${lang}`))?.state.platform).toBe('mac');
      expect(heard!.reply.blocks.some((b) => b.kind === 'command' && b.where.kind === 'own-machine' && b.where.platform === 'mac')).toBe(true);
      expect(textOf(heard!.reply)).not.toMatch(/Got your answer|Thanks for answering|答えてくれて|照らし合わせ/);
    });

    it(`${lang}: "${mac}" during a quiz is not a wrong answer: it switches, and the quiz still waits`, async () => {
      const { tutor } = scriptedTutor(curriculum, { sandbox: () => ok('268435456\n') }, lang);
      const learner = `quiz-mac-${lang}`;
      await tutor.handle(learner, { type: 'start', lessonId: 'host-view', step: 6 });
      await tutor.handle(learner, { type: 'run-step' });
      const quiz = (await tutor.whereIs(learner))?.state.pendingQuiz;
      expect(quiz).toBe('bytes-for-128m');
      const reply = await tutor.handle(learner, { type: 'line', text: mac });
      expect((await tutor.whereIs(learner))?.state).toMatchObject({ platform: 'mac', pendingQuiz: quiz });
      expect(textOf(reply)).not.toMatch(/Not quite|残念|惜しい/);
    });

    it(`${lang}: the next step's host-side command typed without Next moves there and runs on the host's view`, async () => {
      const { tutor, ran } = scriptedTutor(curriculum, { lab: lesson2Lab }, lang);
      const learner = `ahead-${lang}`;
      const type = typer(tutor, learner);
      await tutor.handle(learner, { type: 'start', lessonId: 'host-view' });
      await type('docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777');
      const [ps] = await type('ps aux | grep "sleep 7777"');
      expect(ran.at(-1)).toMatchObject({ where: 'lab', command: 'host' });
      expect(outputOf(ps!.reply)?.where).toEqual({ kind: 'host' });
      expect(textOf(ps!.reply)).toMatch(lang === 'en' ? /next step's command.*step 2\/8/s : /次のステップのコマンド.*2\/8/s);
      const at = await tutor.whereIs(learner);
      expect(at?.state.stepIndex).toBe(1);
      expect(at?.state.stepPassed).toBe(true);
      expect(ps!.reply.where).toEqual({ kind: 'host' });
      // The seed's {{.Id}} line is step 3's too: the learner keeps up with the seed, and a yes then moves past it.
      await type("docker inspect -f '{{.Id}}' deep-dive-container");
      expect((await tutor.whereIs(learner))?.state).toMatchObject({ stepIndex: 2, stepPassed: true });
      await type('docker rm -f deep-dive-container');
      await type(lang === 'en' ? 'yes, done!' : 'うん、できた！');
      expect((await tutor.whereIs(learner))?.state.stepIndex).toBe(3);
    });

    it(`${lang}: the seed's lesson 1 lines typed without Next: docker run -d moves past the lab's extra step, ps aux inside my-alpine is step 4's`, async () => {
      const inside = 'USER  PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND\nsensei  1  0.0  0.0 2920 1776 ?  Ss  23:05  0:00 sleep 1000\nlearner  42  0.0  0.0 8496 4552 ?  R  23:05  0:00 ps aux\n';
      const lab = (command: LabCommand) => (command.kind === 'run' ? ok(`${ID}\n`) : command.kind === 'exec' ? ok(inside) : ok(''));
      const { tutor, ran } = scriptedTutor(curriculum, { sandbox: () => ok('USER PID\nroot 1 0.0 /sbin/docker-init -- sleep infinity\n'), lab }, lang);
      const learner = `seed1-${lang}`;
      const type = typer(tutor, learner);
      await tutor.handle(learner, { type: 'start', lessonId: 'container-is-a-process' });
      await type('ps aux');
      expect((await tutor.whereIs(learner))?.state).toMatchObject({ stepIndex: 0, stepPassed: true });
      await type('docker run -d --name my-alpine alpine sleep 1000');
      expect((await tutor.whereIs(learner))?.state).toMatchObject({ stepIndex: 2, stepPassed: true });
      await type('docker exec -it my-alpine sh');
      const [ps] = await type('/ # ps aux');
      expect(ran.at(-1)).toMatchObject({ where: 'lab', command: 'exec' });
      // Not step 2 (whose sandbox form is also `ps aux`, but which runs `docker run --rm alpine ps aux` in the lab).
      expect((await tutor.whereIs(learner))?.state).toMatchObject({ stepIndex: 3, stepPassed: true });
      expect(textOf(ps!.reply)).toMatch(lang === 'en' ? /step 4\/7/ : /4\/7/);
    });

    it(`${lang}: "done" after a hint on a passed step moves on, and never re-runs the step`, async () => {
      const { tutor, ran } = scriptedTutor(curriculum, { sandbox: () => ok('USER PID\nroot 1 0.0 docker-init\n') }, lang);
      const learner = `done-${lang}`;
      await tutor.handle(learner, { type: 'start', lessonId: 'container-is-a-process' });
      await tutor.handle(learner, { type: 'run-step' });
      await tutor.handle(learner, { type: 'line', text: lang === 'en' ? "I don't get it" : 'よくわからない' });
      const runs = ran.length;
      await tutor.handle(learner, { type: 'line', text: lang === 'en' ? 'yes, done!' : 'うん、できた！' });
      expect(ran.length).toBe(runs);
      expect((await tutor.whereIs(learner))?.state.stepIndex).toBe(1);
    });

    it(`${lang}: an insult gets a calm, kind reply with help on offer, not cheer`, async () => {
      const { tutor } = scriptedTutor(curriculum, {}, lang);
      const learner = `rude-${lang}`;
      await tutor.handle(learner, { type: 'start', lessonId: 'container-is-a-process' });
      const reply = await tutor.handle(learner, { type: 'line', text: lang === 'en' ? "this is stupid, you're a useless bot" : 'お前ほんと役に立たないな' });
      expect(textOf(reply)).toMatch(lang === 'en' ? /sorry/i : /ごめん/);
      expect(textOf(reply)).toMatch(lang === 'en' ? /hint/ : /ヒント/);
      expect(textOf(reply)).not.toMatch(/Likewise|happy|fun|うれしい|楽しんで|こちらこそ/i);
    });

    it(`${lang}: a 200-line log gets one reply; 200 commands run 10 and the rest is handed back; comments are silent`, async () => {
      const { tutor, ran } = scriptedTutor(curriculum, {}, lang);
      const type = typer(tutor, `paste-${lang}`);
      const log = Array.from({ length: 200 }, (_, i) => `[ ${(i * 0.37).toFixed(6)}] usb 1-${i % 4}: new high-speed USB device number ${i} using xhci_hcd`).join('\n');
      const logReplies = await type(log);
      expect(logReplies).toHaveLength(1);
      expect(textOf(logReplies[0]!.reply)).toMatch(/200/);
      expect(ran).toEqual([]);
      const echoes = await type(Array.from({ length: 200 }, (_, i) => `echo line-${i}`).join('\n'));
      expect(ran).toHaveLength(10);
      expect(echoes).toHaveLength(12);
      expect(textOf(echoes.at(-1)!.reply)).toMatch(/190/);
      // Each reply to a line says which line it answers; comments get none.
      const block = await type('# start it\necho one\n# then look\necho two');
      expect(block.map((r) => r.line)).toEqual(['echo one', 'echo two']);
      // A terminal shows each line as it is read, before its reply.
      const heard: string[] = [];
      await tutor.typed(`paste-${lang}`, 'echo three\n# skip me\necho four', { onLine: (line) => void heard.push(`line ${line}`), onReply: (_r, line) => void heard.push(`reply ${line}`) });
      expect(heard).toEqual(['line echo three', 'reply echo three', 'line echo four', 'reply echo four']);
    });
  }

  it('asks for English placeholders with spaces to be filled in; on the way to the host\'s view, the lab answers them', async () => {
    const { tutor, ran } = scriptedTutor(curriculum, {}, 'en');
    // Typed in the sandbox without sudo, nothing runs: "fill it in", and where the ID comes from.
    const typed = await tutor.handle('ph', { type: 'line', text: '/ # cat /sys/fs/cgroup/system.slice/docker-<long ID>.scope/memory.max' });
    expect(textOf(typed)).toMatch(/placeholder.*docker inspect/s);
    expect(actionsOf(typed)).not.toContainEqual({ type: 'line', run: true });
    expect(ran).toEqual([]);
    // With sudo it goes to the host's view, read as a placeholder (the lab offers the learner's own ID), never as "a command?".
    const sudo = await tutor.handle('ph', { type: 'line', text: 'sudo cat /sys/fs/cgroup/system.slice/docker-<paste the long ID here>.scope/memory.max' });
    expect(ran.at(-1)?.lab).toMatchObject({ kind: 'host', command: 'placeholder', want: 'id', token: '<paste the long ID here>' });
    expect(actionsOf(sudo)).not.toContainEqual({ type: 'line', run: true });
  });

  for (const [lang, guess, question] of [['ja', 'max かな？', 'memory.max って何？'], ['en', 'max?', 'what is memory.max?']] as const) {
    it(`${lang}: "${guess}" right after the tutor's question is a guess at the answer; "${question}" is still a question`, async () => {
      const { tutor } = scriptedTutor(curriculum, { lab: lesson2Lab }, lang);
      const learner = `guess-${lang}`;
      const type = typer(tutor, learner);
      await tutor.handle(learner, { type: 'start', lessonId: 'host-view' });
      await type('docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777');
      await type('ps aux | grep "sleep 7777"');
      await type("docker inspect -f '{{.Id}}' deep-dive-container");
      expect((await tutor.whereIs(learner))?.state.awaiting).toBeDefined();
      // A question of the learner's own leaves the tutor's question open...
      await type(question);
      expect((await tutor.whereIs(learner))?.state.awaiting).toBeDefined();
      // ...and so does a comparison without a question mark ("runc vs containerd").
      await type(lang === 'en' ? 'runc vs containerd' : 'runc vs containerd');
      expect((await tutor.whereIs(learner))?.state.awaiting).toBeDefined();
      // ...a guess answers it.
      const [heard] = await type(guess);
      expect(textOf(heard!.reply)).not.toMatch(/当てずっぽう|did you mean|もしかして|not sure which|lesson that answers|レッスンがあるよ/i);
      expect((await tutor.whereIs(learner))?.state.awaiting).toBeUndefined();
    });
  }

  it('ja: an answer to the step\'s own question is not taken for the quiz set in the same message; a choice number still is', async () => {
    const v1 = 'blkio\ncpu,cpuacct\ndevices\nfreezer\nmemory\npids\n';
    const { tutor } = scriptedTutor(curriculum, { sandbox: () => ok(v1) }, 'ja');
    const learner = 'quiz-and-question';
    const lesson = curriculum.get('ja', 'container-is-a-process')!;
    const step = lesson.steps.findIndex((st) => st.id === 'cgroup-controllers');
    await tutor.handle(learner, { type: 'start', lessonId: lesson.id, step: step + 1 });
    await tutor.handle(learner, { type: 'run-step' });
    const before = (await tutor.whereIs(learner))?.state;
    expect(before?.awaiting).toBeDefined();
    expect(before?.pendingQuiz).toBeDefined();
    const answered = await tutor.handle(learner, { type: 'line', text: '1 行に 1 つずつでした' });
    expect(textOf(answered)).not.toMatch(/おしい|残念/);
    const after = (await tutor.whereIs(learner))?.state;
    expect(after?.awaiting).toBeUndefined();
    expect(after?.pendingQuiz).toBe(before?.pendingQuiz);
    const quiz = lesson.steps[step]!.quiz!.find((q) => q.id === before?.pendingQuiz)!;
    const right = String(quiz.choices!.indexOf(quiz.answer) + 1);
    const picked = await tutor.handle(learner, { type: 'line', text: right });
    expect(textOf(picked)).not.toMatch(/おしい/);
    expect((await tutor.whereIs(learner))?.state.pendingQuiz).not.toBe(before?.pendingQuiz);
  });

  it('runs a line with Discord mentions in it: `<@…>` is a mention, not a placeholder', async () => {
    const { tutor, ran } = scriptedTutor(curriculum, {}, 'en');
    const reply = await tutor.handle('mention', { type: 'line', text: 'echo @everyone @here <@123456789012345678>' });
    expect(textOf(reply)).not.toMatch(/placeholder/);
    expect(ran).toEqual([{ where: 'sandbox', command: 'echo @everyone @here <@123456789012345678>' }]);
  });

  it('runs a line whose angle brackets are quoted (`echo \'<html>\'`, `printf \'<@%s>\'`): only bare ones are placeholders', async () => {
    const { tutor, ran } = scriptedTutor(curriculum, {}, 'en');
    for (const line of [`echo '<html>'`, `printf '<@%s>' 123`, `echo "<b>bold</b>"`]) {
      const reply = await tutor.handle('quoted', { type: 'line', text: line });
      expect(textOf(reply)).not.toMatch(/placeholder/);
    }
    expect(ran.map((r) => r.command)).toEqual([`echo '<html>'`, `printf '<@%s>' 123`, `echo "<b>bold</b>"`]);
    const bare = await tutor.handle('quoted', { type: 'line', text: 'cat /proc/<PID>/status' });
    expect(textOf(bare)).toMatch(/placeholder/);
  });

  for (const lang of ['en', 'ja'] as const) {
    it(`${lang}: a docker run whose program is not in the image says so, names the likely program, and how to free the name`, async () => {
      const notFound = { ...ok(''), exitCode: 127, stderr: 'docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "slep": executable file not found in $PATH: unknown.\n' };
      const { tutor } = scriptedTutor(curriculum, { lab: () => notFound }, lang);
      const reply = textOf(await tutor.handle(`slep-${lang}`, { type: 'line', text: 'docker run -d --name typo1 alpine slep 7777' }));
      expect(reply).toContain('`slep`');
      expect(reply).toContain('`sleep`');
      expect(reply).toContain('127');
      expect(reply).toContain('docker rm typo1');
    });
  }

  for (const lang of ['en', 'ja'] as const) {
    it(`${lang}: a name already in use, typed outside the lesson, says how to remove the old container`, async () => {
      const taken = { ...ok(''), exitCode: 125, stderr: 'docker: Error response from daemon: Conflict. The container name "/deep-dive-container" is already in use by container "abc".\n' };
      const { tutor } = scriptedTutor(curriculum, { lab: () => taken }, lang);
      const reply = await tutor.handle(`taken-${lang}`, { type: 'line', text: 'docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777' });
      expect(textOf(reply)).toContain('docker rm -f deep-dive-container');
    });
  }
});
