// The seed's lab lines as a laptop answers them, through the tutor's public path (scripted lab, in-memory store):
// `docker run -it … sh` moves the chat inside a new container and `exit` ends it.
import { beforeAll, describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import type { LabCommand } from '../../src/lab/command.js';
import { loadCurriculum, type Curriculum } from '../../src/lessons/index.js';
import type { LabNote } from '../../src/lab/notes.js';
import type { RunResult } from '../../src/sandbox/types.js';
import { actionsOf, ok, scriptedTutor, textOf } from './tutor-double.js';

const ID = 'c0ffee'.padEnd(64, '0');

describe('docker run -it … sh in the chat', () => {
  let curriculum: Curriculum;
  beforeAll(async () => {
    curriculum = await loadCurriculum(LESSONS_DIR);
  });

  const lab = (command: LabCommand) => (command.kind === 'run' ? ok(`${ID}\n`) : ok(''));

  it('moves inside a new container, runs lines there, and exit ends it; --rm says it is removed', async () => {
    const { tutor, ran } = scriptedTutor(curriculum, { lab });
    const inside = await tutor.handle('r', { type: 'line', text: 'docker run -it --rm alpine sh' });
    const run = ran.at(-1)?.lab;
    expect(run).toMatchObject({ kind: 'run', opensShell: true, remove: true, detach: false });
    expect(inside.where).toEqual({ kind: 'container', name: ID.slice(0, 12) });
    expect(textOf(inside)).toMatch(/PID 1/);
    expect(textOf(inside)).toMatch(/--rm/);
    await tutor.handle('r', { type: 'line', text: 'ps aux' });
    expect(ran.at(-1)?.lab).toMatchObject({ kind: 'exec', container: ID.slice(0, 12) });
    const out = await tutor.handle('r', { type: 'line', text: 'exit' });
    expect(ran.at(-1)?.lab).toEqual({ kind: 'stop', containers: [ID.slice(0, 12)], leaving: true });
    expect(out.where).toEqual({ kind: 'sandbox' });
    expect(textOf(out)).toMatch(/already removed/);
  });

  it('keeps a named container without --rm, exited, and says where to find it (in Japanese too)', async () => {
    const { tutor, ran } = scriptedTutor(curriculum, { lab }, 'ja');
    const inside = await tutor.handle('k', { type: 'line', text: 'docker run -it --name box alpine' });
    expect(inside.where).toEqual({ kind: 'container', name: 'box' });
    expect(textOf(inside)).toMatch(/PID 1/);
    const out = await tutor.handle('k', { type: 'line', text: 'exit' });
    expect(ran.at(-1)?.lab).toEqual({ kind: 'stop', containers: ['box'], leaving: true });
    expect(textOf(out)).toMatch(/Exited \(0\)/);
  });

  it('still runs a non-shell -it command once, and keeps the seed\'s Mac line going to the host\'s view', async () => {
    const { tutor, ran } = scriptedTutor(curriculum, { lab: () => ok('hello\n') });
    const once = await tutor.handle('o', { type: 'line', text: 'docker run -it --rm alpine echo hello' });
    expect(ran.at(-1)?.lab).toMatchObject({ kind: 'run', detach: false });
    expect(ran.at(-1)?.lab).not.toHaveProperty('opensShell');
    expect(once.where).toEqual({ kind: 'sandbox' });
    const vm = await tutor.handle('o', { type: 'line', text: 'docker run -it --rm --privileged --pid=host alpine nsenter -t 1 -m -u -n -i sh' });
    expect(vm.where).toEqual({ kind: 'host' });
  });
});

describe('a placeholder typed as written', () => {
  let curriculum: Curriculum;
  beforeAll(async () => {
    curriculum = await loadCurriculum(LESSONS_DIR);
  });
  const yours = [{ name: 'deep-dive-container', line: 'sudo ls -l /proc/4242/ns' }];
  const labNotes = (command: LabCommand): LabNote[] =>
    command.kind === 'host' && command.command === 'ns' && command.pid === 12345 ? [{ code: 'not-your-process', params: { pid: 12345, yours } }] : [];

  for (const lang of ['en', 'ja'] as const) {
    it(`offers the line with the learner's own value as choice [1], which runs it on the host's view (${lang})`, async () => {
      const { tutor, ran } = scriptedTutor(curriculum, { labNotes }, lang);
      const reply = await tutor.handle('p', { type: 'line', text: 'sudo ls -l /proc/12345/ns' });
      expect(actionsOf(reply)[0]).toEqual({ type: 'line', run: true });
      const label = reply.blocks.flatMap((b) => (b.kind === 'choices' ? b.choices.map((c) => c.label) : []))[0];
      expect(label).toContain('deep-dive-container');
      // Typed as the console shows it, or pressed as a button: the same choice.
      await tutor.handle('p', { type: 'line', text: '1' });
      expect(ran.at(-1)?.lab).toMatchObject({ kind: 'host', command: 'ns', pid: 4242 });
    });
  }

  it('offers the ID filled in for the seed\'s cgroup line, from the lab\'s placeholder answer', async () => {
    const id = 'ab'.repeat(32);
    const cgroup = { name: 'deep-dive-container', line: `sudo cat /sys/fs/cgroup/system.slice/docker-${id}.scope/memory.max` };
    const { tutor, ran } = scriptedTutor(curriculum, {
      labNotes: (c) => (c.kind === 'host' && c.command === 'placeholder' ? [{ code: 'placeholder', params: { want: 'id', token: '<ここに長いIDを入れる>', yours: [cgroup] } }] : []),
    }, 'ja');
    const reply = await tutor.handle('q', { type: 'line', text: 'sudo cat /sys/fs/cgroup/system.slice/docker-<ここに長いIDを入れる>.scope/memory.max' });
    expect(ran.at(-1)?.lab).toMatchObject({ kind: 'host', command: 'placeholder' });
    const choice = reply.blocks.find((b) => b.kind === 'choices');
    expect(choice?.kind === 'choices' && choice.choices[0]?.action).toEqual({ type: 'line', run: true });
    await tutor.handle('q', { type: 'line', text: '1' });
    expect(ran.at(-1)?.lab).toMatchObject({ kind: 'host', command: 'cgroup' });
  });

  it('runs the filled-in line pressed from the sandbox when the lab\'s line already has its sudo (as fillPlaceholder writes it)', async () => {
    const id = 'cd'.repeat(32);
    const cgroup = { name: 'deep-dive-container', line: `sudo cat /sys/fs/cgroup/system.slice/docker-${id}.scope/memory.max` };
    const { tutor, ran } = scriptedTutor(curriculum, {
      labNotes: (c) => (c.kind === 'host' && c.command === 'placeholder' ? [{ code: 'placeholder', params: { want: 'id', token: '<ID>', yours: [cgroup] } }] : []),
    }, 'en');
    await tutor.handle('s', { type: 'line', text: 'sudo cat /sys/fs/cgroup/system.slice/docker-<ID>.scope/memory.max' });
    const first = await tutor.handle('s2', { type: 'line', text: 'sudo cat /sys/fs/cgroup/system.slice/docker-<ID>.scope/memory.max' });
    expect(first.blocks.some((b) => b.kind === 'output')).toBe(false);
    const pressed = await tutor.handle('s', { type: 'line', text: '1' });
    expect(textOf(pressed)).not.toMatch(/does not run here/);
    expect(ran.at(-1)?.lab).toMatchObject({ kind: 'host', command: 'cgroup' });
  });
});

describe('a step re-run, a leftover name and a stopped container', () => {
  let curriculum: Curriculum;
  beforeAll(async () => {
    curriculum = await loadCurriculum(LESSONS_DIR);
  });
  const RUN = 'docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777';
  /** The four "after a few tries" cheers of en.ts. */
  const AFTER_TRIES = /Persistence wins|You got there!|You didn't give up|Great recovery|Fixed it!|There it is this time|Got it this time!|One small fix/;
  const conflict = ok('', { stderr: 'docker: Error response from daemon: Conflict. The container name "/deep-dive-container" is already in use by container "abc".\n', exitCode: 125 });
  const taken: LabNote[] = [{ code: 'name-in-use', params: { name: 'deep-dive-container' } }];

  it('cheers "after a few tries" only for a first pass after failed tries, not for a re-run or a cleared leftover', async () => {
    let next: RunResult = ok(`${ID}\n`);
    let notes: LabNote[] = [];
    const { tutor } = scriptedTutor(curriculum, { lab: (c) => (c.kind === 'run' ? next : ok('deep-dive-container\n')), labNotes: (c) => (c.kind === 'run' ? notes : []) });
    await tutor.handle('a', { type: 'start', lessonId: 'host-view', step: 1 });
    // A leftover from an earlier session, cleared, then the run: the first real try, plain cheer.
    [next, notes] = [conflict, taken];
    await tutor.handle('a', { type: 'line', text: RUN });
    await tutor.handle('a', { type: 'line', text: 'docker rm -f deep-dive-container' });
    [next, notes] = [ok(`${ID}\n`), []];
    const first = await tutor.handle('a', { type: 'line', text: RUN });
    expect(textOf(first)).toMatch(/64-character hex string/);
    expect(textOf(first)).not.toMatch(AFTER_TRIES);
    // Cleaned up and run again after the pass: a re-run, not a recovery.
    await tutor.handle('a', { type: 'line', text: 'docker rm -f deep-dive-container' });
    expect(textOf(await tutor.handle('a', { type: 'line', text: RUN }))).not.toMatch(AFTER_TRIES);

    // A real failure first (the engine refused it), then the pass: that is a recovery.
    const { tutor: other } = scriptedTutor(curriculum, { lab: (c) => (c.kind === 'run' ? next : ok('')) });
    await other.handle('b', { type: 'start', lessonId: 'host-view', step: 1 });
    next = ok('', { stderr: 'docker: Error response from daemon: failed to create task.\n', exitCode: 125 });
    expect(textOf(await other.handle('b', { type: 'line', text: RUN }))).not.toMatch(AFTER_TRIES);
    next = ok(`${ID}\n`);
    expect(textOf(await other.handle('b', { type: 'line', text: RUN }))).toMatch(AFTER_TRIES);
  });

  for (const lang of ['en', 'ja'] as const) {
    it(`offers docker rm -f NAME as a choice when the name is still in use, and the choice runs it (${lang})`, async () => {
      const { tutor, ran } = scriptedTutor(curriculum, { lab: (c) => (c.kind === 'run' ? conflict : ok('deep-dive-container\n')), labNotes: (c) => (c.kind === 'run' ? taken : []) }, lang);
      const reply = await tutor.handle('c', { type: 'line', text: RUN });
      const labels = reply.blocks.flatMap((b) => (b.kind === 'choices' ? b.choices.map((c) => c.label) : []));
      expect(labels[0]).toBe('🧹 docker rm -f deep-dive-container');
      expect(actionsOf(reply)[0]).toEqual({ type: 'line', run: true });
      expect(textOf(reply)).toContain('docker rm -f deep-dive-container');
      await tutor.handle('c', { type: 'line', text: '1' });
      expect(ran.at(-1)?.lab).toEqual({ kind: 'rm', force: true, containers: ['deep-dive-container'] });
    });
  }

  it('says first that a stopped container is not running, with no -i/-t remark, for docker exec -it NAME sh', async () => {
    const stopped = ok('', { stderr: `Error response from daemon: container ${ID} is not running\n`, exitCode: 1 });
    const { tutor } = scriptedTutor(curriculum, { lab: () => stopped, labNotes: (c) => (c.kind === 'exec' ? [{ code: 'container-stopped', params: { name: 'bomb', exitCode: 0 } }] : []) });
    const reply = await tutor.handle('d', { type: 'line', text: 'docker exec -it bomb sh' });
    expect(reply.where).toEqual({ kind: 'sandbox' });
    expect(textOf(reply).split('\n')[0]).toMatch(/`bomb` is not running/);
    expect(textOf(reply)).not.toMatch(/-i\/-t/);
    // A one-off command in it: still "not running" first; the -i/-t word is moot when nothing ran.
    const once = await tutor.handle('d', { type: 'line', text: 'docker exec -it bomb ps' });
    expect(textOf(once).split('\n')[0]).toMatch(/`bomb` is not running/);
    expect(textOf(once)).not.toMatch(/-i\/-t/);
  });
});
