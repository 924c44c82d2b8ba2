// The seed's lab lines as a laptop answers them, through the tutor's public path (scripted lab, in-memory store):
// `docker run -it … sh` moves the chat inside a new container and `exit` ends it.
import { beforeAll, describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import type { LabCommand } from '../../src/lab/command.js';
import { loadCurriculum, type Curriculum } from '../../src/lessons/index.js';
import type { LabNote } from '../../src/lab/notes.js';
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
  const yours = [{ name: 'deep-dive-container', line: 'ls -l /proc/4242/ns' }];
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
    const cgroup = { name: 'deep-dive-container', line: `cat /sys/fs/cgroup/system.slice/docker-${id}.scope/memory.max` };
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
});
