// The seed's lab lines as a laptop answers them, through the tutor's public path (scripted lab, in-memory store):
// `docker run -it … sh` moves the chat inside a new container and `exit` ends it.
import { beforeAll, describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import type { LabCommand } from '../../src/lab/command.js';
import { loadCurriculum, type Curriculum } from '../../src/lessons/index.js';
import { ok, scriptedTutor, textOf } from './tutor-double.js';

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
