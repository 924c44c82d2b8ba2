// A step's question and praise through the tutor's public path (scripted lab, in-memory store): lesson 2's
// "What Docker recorded" step as the seed walks it (the ID, then the limit file read twice, v2 path and v1 path).
import { beforeAll, describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import type { LabCommand } from '../../src/lab/command.js';
import { loadCurriculum, type Curriculum, type Lang } from '../../src/lessons/index.js';
import { en } from '../../src/tutor/phrases/en.js';
import { ja } from '../../src/tutor/phrases/ja.js';
import { ok, scriptedTutor, textOf } from './tutor-double.js';

const ID = 'c0ffee'.padEnd(64, '0');
const words = { ja, en } as const;
const INSPECT_ID = "docker inspect -f '{{.Id}}' deep-dive-container";
const V2_READ = `sudo cat /sys/fs/cgroup/system.slice/docker-${ID}.scope/memory.max`;
const V1_READ = `sudo cat /sys/fs/cgroup/memory/docker/${ID}/memory.limit_in_bytes`;

describe.each(['ja', 'en'] as const satisfies readonly Lang[])('%s: lesson 2, "What Docker recorded"', (lang) => {
  let curriculum: Curriculum;
  beforeAll(async () => {
    curriculum = await loadCurriculum(LESSONS_DIR);
  });
  const stepOf = () => curriculum.require(lang, 'host-view').steps.find((s) => s.id === 'limit-in-inspect')!;
  const stepNumber = () => curriculum.require(lang, 'host-view').steps.findIndex((s) => s.id === 'limit-in-inspect') + 1;
  const anyOf = (bank: readonly string[], text: string) => bank.some((phrase) => text.includes(phrase));

  it('asks its question once, hears a one-word answer on the host\'s view, and praises only the first pass', async () => {
    const lab = (c: LabCommand) => (c.kind === 'host' ? ok('134217728\n') : ok(`${ID}\n`));
    const { tutor } = scriptedTutor(curriculum, { lab }, lang);
    const type = (text: string) => tutor.handle('s', { type: 'line', text });
    await tutor.handle('s', { type: 'start', lessonId: 'host-view', step: stepNumber() });
    const step = stepOf();

    const first = textOf(await type(INSPECT_ID));
    expect(first).toContain(step.say.question!);
    expect(anyOf(words[lang].celebrate, first)).toBe(true);

    // The limit file read twice, as the seed does (v2 path, then v1 path): explained, not asked or praised again.
    for (const read of [V2_READ, V1_READ]) {
      const again = textOf(await type(read));
      expect(again).toContain('134217728');
      expect(again).not.toContain(step.say.question!);
      expect(anyOf([...words[lang].celebrate, ...words[lang].celebrateAfterTries], again)).toBe(false);
    }

    // "max" on the host's view is the answer to the question, not a command to run.
    const answer = textOf(await type('max'));
    expect(answer).toContain(step.say.answers![0]!.reply.slice(0, 20));
  });

  it('praises to scale: one slip is fixed, persistence is real struggle', async () => {
    for (const [fails, bank] of [[1, 'celebrateAfterSlip'], [2, 'celebrateAfterTries']] as const) {
      let left = fails;
      const lab = (c: LabCommand) => (c.kind !== 'host' && left-- > 0 ? ok('', { exitCode: 1, stderr: 'Error: No such object: deep-dive-container\n' }) : ok(`${ID}\n`));
      const { tutor } = scriptedTutor(curriculum, { lab }, lang);
      await tutor.handle('p', { type: 'start', lessonId: 'host-view', step: stepNumber() });
      for (let i = 0; i < fails; i++) await tutor.handle('p', { type: 'line', text: INSPECT_ID });
      const passed = textOf(await tutor.handle('p', { type: 'line', text: INSPECT_ID }));
      expect(anyOf(words[lang][bank], passed), `${fails} failed tries`).toBe(true);
    }
  });
});
