// A paste of commands through the tutor's public path (typed, scripted sandbox): every line is answered, the
// cheer is said once (for the first line), not once per line.
import { beforeAll, describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import { loadCurriculum, type Curriculum } from '../../src/lessons/index.js';
import { en } from '../../src/tutor/phrases/en.js';
import { ja } from '../../src/tutor/phrases/ja.js';
import type { Reply } from '../../src/tutor/reply.js';
import { ok, outputOf, scriptedTutor, textOf } from './tutor-double.js';

describe.each([['ja', ja], ['en', en]] as const)('%s: ten echo lines pasted at once', (lang, words) => {
  let curriculum: Curriculum;
  beforeAll(async () => {
    curriculum = await loadCurriculum(LESSONS_DIR);
  });

  it('runs each, and cheers once', async () => {
    const { tutor, ran } = scriptedTutor(curriculum, { sandbox: (c) => ok(`${c.slice(5)}\n`) }, lang);
    const replies: Reply[] = [];
    const paste = Array.from({ length: 10 }, (_, i) => `echo line-${i + 1}`).join('\n');
    await tutor.typed('paster', paste, { onReply: (r) => void replies.push(r) });
    expect(ran.map((r) => r.command)).toEqual(paste.split('\n'));
    expect(replies.every((r) => outputOf(r) !== undefined)).toBe(true);
    const cheered = replies.filter((r) => words.practiceCheer.some((cheer) => textOf(r).includes(cheer)));
    expect(cheered).toEqual([replies[0]]);
    // A line typed on its own afterwards is cheered again: the quiet was for the paste only.
    const alone = await tutor.handle('paster', { type: 'line', text: 'echo alone' });
    expect(words.practiceCheer.some((cheer) => textOf(alone).includes(cheer))).toBe(true);
  });
});
