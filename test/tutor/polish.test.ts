// Small things a new learner trips on, through the tutor's public path (scripted lab, in-memory store):
// "are you still there?", `ls` on the host's view, and the example PID filled in for them.
import { beforeAll, describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import type { LabCommand } from '../../src/lab/command.js';
import { loadCurriculum, type Curriculum } from '../../src/lessons/index.js';
import { heardWords } from '../../src/tutor/heard.js';
import { actionsOf, ok, outputOf, scriptedTutor, textOf } from './tutor-double.js';

describe.each(['ja', 'en'] as const)('%s', (lang) => {
  let curriculum: Curriculum;
  beforeAll(async () => {
    curriculum = await loadCurriculum(LESSONS_DIR);
  });

  it('"are you still there?" gets "yes, I\'m here" (and the step the learner is on), never lesson suggestions', async () => {
    const { tutor } = scriptedTutor(curriculum, {}, lang);
    const asked = lang === 'ja' ? 'まだいる？' : 'are you still there?';
    const cold = await tutor.handle('p', { type: 'line', text: asked });
    expect(textOf(cold)).toBe(heardWords(lang).here({}));
    expect(actionsOf(cold)).toEqual([]);
    await tutor.handle('p', { type: 'start', lessonId: 'container-is-a-process', step: 2 });
    const step = curriculum.require(lang, 'container-is-a-process').steps[1]!;
    const mid = await tutor.handle('p', { type: 'line', text: lang === 'ja' ? '先生、いる？' : 'hello?' });
    expect(textOf(mid)).toBe(heardWords(lang).here({ step: { number: 2, total: curriculum.require(lang, 'container-is-a-process').steps.length, title: step.title } }));
    expect((await tutor.whereIs('p'))?.state.stepIndex).toBe(1);
  });

  it('`ls` on the host\'s view is answered briefly, without calling it "a command for the host"', async () => {
    const { tutor, ran } = scriptedTutor(curriculum, {}, lang);
    await tutor.handle('h', { type: 'place', place: 'host' });
    const reply = await tutor.handle('h', { type: 'line', text: 'ls' });
    expect(ran).toEqual([]);
    const text = textOf(reply);
    expect(text).not.toMatch(/command for the host|ホストで実行するコマンド/);
    expect(text).toContain('ls -l /proc/PID/ns');
    expect(text.length).toBeLessThan(lang === 'ja' ? 200 : 300);
  });

  it('the seed\'s example PID is filled in with the learner\'s own, in one plain sentence', async () => {
    const labNotes = (c: LabCommand) =>
      c.kind === 'host' && c.command === 'ns' && c.pid === 12345 ? [{ code: 'not-your-process' as const, params: { pid: 12345, yours: [{ name: 'my-alpine', line: 'ls -l /proc/4242/ns' }] } }] : [];
    const { tutor } = scriptedTutor(curriculum, { lab: () => ok(''), labNotes }, lang);
    const reply = await tutor.handle('f', { type: 'line', text: 'sudo ls -l /proc/12345/ns' });
    expect(outputOf(reply)).toBeDefined();
    const text = textOf(reply);
    expect(text).toContain('`ls -l /proc/4242/ns` (my-alpine)'.replace(' (my-alpine)', lang === 'ja' ? '（my-alpine）' : ' (my-alpine)'));
    expect(text).not.toMatch(/own value[.:] With|自分の値に置き換えてね。君のコンテナなら/);
  });
});
