import { beforeAll, describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import { loadCurriculum, type Curriculum } from '../../src/lessons/index.js';
import { statusLine } from '../../src/text/output-text.js';
import { quizQuestion } from '../../src/tutor/persona.js';
import type { Block } from '../../src/tutor/reply.js';
import { actionsOf, ok, outputOf, scriptedTutor, textOf } from './tutor-double.js';

// What the tutor says about the real output of the seed's commands, typed as the seed writes them.

const GREP_ONLY = [
  'learner        8 30.4  0.0   2592  1640 ?        Ss   15:21   0:00 /bin/sh /usr/local/bin/sensei-run ps aux | grep "sleep 7777" 10.00 d3df8ec66889a11a06',
  'learner       16  0.0  0.0   2928  1816 ?        S    15:21   0:00 timeout -k 1 10.00 sh -c ps aux | grep "sleep 7777"',
  'learner       17 14.2  0.0   2592  1668 ?        S    15:21   0:00 sh -c ps aux | grep "sleep 7777"',
  'learner       19  0.0  0.0   3760  2052 ?        S    15:21   0:00 grep sleep 7777',
].join('\n');
const HOST_PS = [
  'sensei   8270   0.2    0.0    1020   676    ?     Ss     15:37   0:00   /sbin/docker-init -- sleep 7777',
  'sensei   8288   0.0    0.0    2920   1796   ?     S      15:37   0:00   sleep 7777',
].join('\n');
const ID = 'a'.repeat(64);
const hostView = { type: 'place', place: 'host' };

describe('explanations of what the learner really got', () => {
  let curriculum: Curriculum;
  beforeAll(async () => {
    curriculum = await loadCurriculum(LESSONS_DIR);
  });

  for (const lang of ['en', 'ja'] as const) {
    it(`${lang}: a grep in the sandbox that found only itself is not "there it is", and offers the host's view`, async () => {
      const { tutor, ran } = scriptedTutor(curriculum, { sandbox: () => ok(GREP_ONLY) }, lang);
      // Step 1, where the tutor asks "shall we find this sleep 7777 in the host's process list?"
      await tutor.handle('a', { type: 'start', lessonId: 'host-view', step: 1 });
      const atStep = await tutor.handle('a', { type: 'line', text: 'ps aux | grep "sleep 7777"' });
      expect(ran.at(-1)?.where).toBe('sandbox');
      expect(textOf(atStep)).not.toMatch(/There it is|見つかったね/);
      expect(textOf(atStep)).toMatch(/Only `grep` found itself|`grep` 自身だけ/);
      expect(textOf(atStep)).toMatch(/PID namespace/);
      expect(actionsOf(atStep)).toContainEqual(hostView);

      // Typed in another lesson, the curriculum's moment still explains it, with the same way out.
      await tutor.handle('a', { type: 'start', lessonId: 'container-is-a-process' });
      const elsewhere = await tutor.handle('a', { type: 'line', text: 'ps aux | grep "sleep 7777"' });
      expect(textOf(elsewhere)).not.toMatch(/There it is|見つかったね/);
      expect(textOf(elsewhere)).toMatch(/`grep`/);
      expect(actionsOf(elsewhere)).toContainEqual(hostView);
    });
  }

  it('a search that found only itself for a command no lesson has is still explained', async () => {
    const { tutor } = scriptedTutor(curriculum, { sandbox: () => ok('learner  12  0.0  0.0  3760  2052 ?  S  15:21  0:00 grep nginx') });
    const reply = await tutor.handle('a', { type: 'line', text: 'ps aux | grep nginx' });
    expect(textOf(reply)).toMatch(/Only `grep` found itself/);
    expect(actionsOf(reply)).toContainEqual(hostView);
  });

  it("the host's view with the real process keeps today's explanation, with its host PID", async () => {
    const { tutor, ran } = scriptedTutor(curriculum, { lab: () => ok(HOST_PS) });
    await tutor.handle('a', { type: 'start', lessonId: 'host-view', step: 2 });
    await tutor.handle('a', { type: 'place', place: 'host' });
    const reply = await tutor.handle('a', { type: 'line', text: 'ps aux | grep "sleep 7777"' });
    expect(ran.at(-1)?.where).toBe('lab');
    expect(textOf(reply)).toMatch(/There it is/);
    expect(actionsOf(reply)).not.toContainEqual(hostView);
    expect(actionsOf(reply)).toContainEqual({ type: 'next' });
  });

  for (const lang of ['en', 'ja'] as const) {
    it(`${lang}: lesson 1 step 1, the seed's docker run -d and docker rm -f are explained, never an unforeseen failed try`, async () => {
      const { tutor, events } = scriptedTutor(
        curriculum,
        { lab: (c) => (c.kind === 'run' ? ok(`${ID}\n`) : ok('my-alpine\n')) },
        lang,
      );
      await tutor.handle('a', { type: 'start', lessonId: 'container-is-a-process' });
      for (let i = 0; i < 3; i++) {
        const run = await tutor.handle('a', { type: 'line', text: 'docker run -d --name my-alpine alpine sleep 1000' });
        expect(textOf(run)).not.toMatch(/did not foresee|想定していなかった/);
        expect(textOf(run)).toMatch(/ID of `my-alpine`|`my-alpine` の ID/);
        const rm = await tutor.handle('a', { type: 'line', text: 'docker rm -f my-alpine' });
        expect(textOf(rm)).not.toMatch(/did not foresee|想定していなかった/);
        expect(textOf(rm)).toMatch(/`my-alpine`/);
      }
      expect(events.map((e) => e.type)).not.toContain('stuck');
    });
  }

  it("every recipe's set-up and clean-up lines (docker run -d, docker rm) typed at their step are explained, not failed tries", async () => {
    const recipeLines = curriculum.list('en').flatMap((lesson) =>
      lesson.steps.flatMap((step, index) =>
        [step.try.linux, step.try.mac, step.try.windows]
          .filter((block): block is string => block !== undefined && block.trim().includes('\n'))
          .flatMap((block) => block.split('\n').map((l) => l.trim()))
          .filter((line) => /^docker (?:run -d|rm )/.test(line))
          .map((line) => ({ lesson: lesson.id, step: index + 1, line })),
      ),
    );
    expect(recipeLines.length).toBeGreaterThan(5);
    for (const { lesson, step, line } of recipeLines) {
      const { tutor } = scriptedTutor(curriculum, { lab: (c) => (c.kind === 'run' ? ok(`${ID}\n`) : ok(`${c.kind === 'rm' ? c.containers.join('\n') : ''}\n`)) });
      await tutor.handle('a', { type: 'start', lessonId: lesson, step });
      const reply = await tutor.handle('a', { type: 'line', text: line });
      const said = textOf(reply);
      expect(said, `${lesson} ${step}: ${line}`).not.toMatch(/did not foresee|Not quite|hint/i);
      // A flag the lab does not offer (--tmpfs) is refused kindly before anything runs.
      if (outputOf(reply)) expect(said, `${lesson} ${step}: ${line}`).toMatch(/ID of|is gone/);
      else expect(said).toMatch(/not an option the lab/);
    }
  });

  for (const lang of ['en', 'ja'] as const) {
    it(`${lang}: output cut at the cap (exit 137 from the cap's kill) is the output cap, never an OOM kill`, async () => {
      const flood = ok('y\n'.repeat(5000), { exitCode: 137, truncated: true });
      const { tutor } = scriptedTutor(curriculum, { sandbox: () => flood }, lang);
      const reply = await tutor.handle('a', { type: 'command', command: 'yes' });
      expect(textOf(reply)).not.toMatch(/OOM|memory limit|メモリ上限/i);
      expect(textOf(reply)).toMatch(/output cap|出力の上限/);
    });
  }

  it('the status line names an OOM kill only when the command itself did not end well', () => {
    expect(statusLine({ exitCode: 0, timedOut: false, oomKilled: true }, 'ja')).toBe('✅ 終了コード 0');
    expect(statusLine({ exitCode: 0, timedOut: false, oomKilled: true }, 'en')).toBe('✅ exit code 0');
    expect(statusLine({ exitCode: 137, timedOut: false, oomKilled: true }, 'en')).toMatch(/Out of memory.*137/);
  });

  it("a Mac learner gets the Docker Desktop VM's way for Linux-host-only lines, not the bare sudo line", async () => {
    const { tutor } = scriptedTutor(curriculum);
    await tutor.handle('a', { type: 'platform', platform: 'mac' });
    const step = await tutor.handle('a', { type: 'start', lessonId: 'host-view', step: 5 });
    const own = step.blocks.find((b): b is Extract<Block, { kind: 'command' }> => b.kind === 'command' && b.where.kind === 'own-machine');
    // The lesson's own Mac recipe: into the VM first, the host's lines inside it, no bare sudo line.
    const lines = own?.command.split('\n') ?? [];
    const enter = lines.findIndex((l) => /nsenter -t 1 -m -u -n -i sh$/.test(l));
    expect(enter).toBeGreaterThanOrEqual(0);
    expect(lines.findIndex((l) => /\/proc\/12345\/ns/.test(l))).toBeGreaterThan(enter);
    expect(own?.command).not.toMatch(/^sudo /m);
    expect(own?.command).toMatch(/Linux VM/);
    // Said mid-step, "I'm on a Mac" shows the same recipe (item 13 of tryout2: not the Linux host's lines).
    const switched = await tutor.handle('a', { type: 'line', text: "I'm on a Mac" });
    const mac = switched.blocks.find((b): b is Extract<Block, { kind: 'command' }> => b.kind === 'command' && b.where.kind === 'own-machine');
    expect(mac?.command).toBe(own?.command);
    // Step 4 too: macOS has no /proc, so its NSpid line is read inside the VM.
    await tutor.handle('a', { type: 'start', lessonId: 'host-view', step: 4 });
    const four = await tutor.handle('a', { type: 'line', text: "I'm on a Mac" });
    const nspid = four.blocks.find((b): b is Extract<Block, { kind: 'command' }> => b.kind === 'command' && b.where.kind === 'own-machine')?.command.split('\n') ?? [];
    expect(nspid.findIndex((l) => /grep NSpid \/proc\/12345\/status/.test(l))).toBeGreaterThan(nspid.findIndex((l) => /nsenter/.test(l)));
    // A Linux learner keeps the host's own lines.
    const linux = scriptedTutor(curriculum).tutor;
    await linux.handle('b', { type: 'platform', platform: 'linux' });
    const plain = await linux.handle('b', { type: 'start', lessonId: 'host-view', step: 5 });
    const line = plain.blocks.find((b): b is Extract<Block, { kind: 'command' }> => b.kind === 'command' && b.where.kind === 'own-machine');
    expect(line?.command).not.toMatch(/nsenter/);
    expect(line?.command).toMatch(/sudo ls -l \/proc\/12345\/ns/);
  });

  it('says what the lab is once per lesson, and quiz buttons carry no second number', async () => {
    const { tutor } = scriptedTutor(curriculum);
    const first = await tutor.handle('a', { type: 'start', lessonId: 'container-is-a-process', step: 2 });
    expect(textOf(first)).toMatch(/real Docker engine/);
    const later = await tutor.handle('a', { type: 'start', lessonId: 'container-is-a-process', step: 3 });
    expect(textOf(later)).not.toMatch(/real Docker engine/);
    expect(textOf(later)).toMatch(/In the lab, type it just like this/);
    const q = curriculum.list('en').flatMap((l) => l.steps.flatMap((s) => s.quiz ?? [])).find((x) => x.choices);
    expect(q).toBeDefined();
    const labels = quizQuestion({ lang: 'en', turn: 0 }, q!).flatMap((b) => (b.kind === 'choices' ? b.choices.map((c) => c.label) : []));
    expect(labels).toEqual(q!.choices);
  });

  it("ps aux inside my-alpine teaches what the lab really shows: sleep 1000 at PID 1, the exec'd shell and ps above it", async () => {
    // The real lab's answer (test/lab/pid-one.test.ts checks the lab gives exactly this shape).
    const inside = [
      'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND',
      'sensei         1  8.1  0.0   2920  1784 ?        Ss   18:22   0:00 sleep 1000',
      'learner       21 36.3  0.0   2592  1692 ?        Ss   18:22   0:00 sh -c ps aux',
      'learner       27 33.3  0.0   8496  4512 ?        R    18:22   0:00 ps aux',
    ].join('\n');
    for (const lang of ['en', 'ja'] as const) {
      const { tutor, ran } = scriptedTutor(curriculum, { lab: (c) => (c.kind === 'exec' ? ok(c.args[0] === 'true' ? '' : inside) : ok(`${ID}\n`)) }, lang);
      await tutor.handle('a', { type: 'start', lessonId: 'container-is-a-process', step: 4 });
      await tutor.handle('a', { type: 'line', text: 'docker exec -it my-alpine sh' });
      const reply = await tutor.handle('a', { type: 'line', text: 'ps aux' });
      expect(ran.at(-1)?.lab).toMatchObject({ kind: 'exec', container: 'my-alpine' });
      expect(textOf(reply)).toMatch(lang === 'en' ? /PID 1 is `sleep 1000`, the command you gave `docker run`/ : /PID 1 は `sleep 1000`、君が `docker run` に渡したコマンドそのもの/);
      expect(textOf(reply)).toMatch(lang === 'en' ? /PID in the thousands/ : /何千番台の PID/);
      expect(textOf(reply)).not.toMatch(/docker-init|output cap|出力の上限/);
      expect(actionsOf(reply)).toContainEqual({ type: 'next' });
    }
  });

  it('ps aux in a container started with --init explains docker-init at PID 1 and the command under it', async () => {
    const inside = [
      'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND',
      'sensei         1  0.6  0.0   1020   680 ?        Ss   15:12   0:00 /sbin/docker-init -- sleep 1000',
      'sensei         7  0.0  0.0   2920  1828 ?        S    15:12   0:00 sleep 1000',
      'learner       38  0.0  0.0   8648  3160 ?        R    15:12   0:00 ps aux',
    ].join('\n');
    const { tutor } = scriptedTutor(curriculum, { lab: (c) => (c.kind === 'exec' ? ok(inside) : ok(`${ID}\n`)) });
    await tutor.handle('a', { type: 'start', lessonId: 'container-is-a-process', step: 4 });
    const reply = await tutor.handle('a', { type: 'line', text: 'docker exec my-alpine ps aux' });
    expect(textOf(reply)).toMatch(/PID 1 is `\/sbin\/docker-init`, with your `sleep 1000` right under it/);
  });

  it("a one-off sudo from the sandbox says it ran on the host's view and that the learner is still in the sandbox", async () => {
    const { tutor, ran } = scriptedTutor(curriculum, { lab: () => ok('134217728\n') });
    const once = await tutor.handle('a', { type: 'line', text: `sudo cat /sys/fs/cgroup/system.slice/docker-${ID}.scope/memory.max` });
    expect(ran.at(-1)?.where).toBe('lab');
    expect(textOf(once)).toMatch(/still in your sandbox/);
    expect(textOf(once)).not.toMatch(/`exit` to go back/);
    expect(once.where).toEqual({ kind: 'sandbox' });
    await tutor.handle('a', { type: 'place', place: 'host' });
    const there = await tutor.handle('a', { type: 'line', text: `cat /sys/fs/cgroup/system.slice/docker-${ID}.scope/memory.max` });
    expect(textOf(there)).toMatch(/`exit` to go back/);
  });
});
