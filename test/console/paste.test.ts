import { describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import { LineBursts } from '../../src/console/bursts.js';
import { CONSOLE_USAGES, parseConsoleLine } from '../../src/console/input.js';
import { loadCurriculum } from '../../src/lessons/index.js';
import { scriptedTutor, textOf } from '../tutor/tutor-double.js';

/** Lines as a terminal delivers them: each after its delay (ms) from the one before. */
async function* arriving(lines: readonly [number, string][]): AsyncGenerator<string> {
  for (const [delay, line] of lines) {
    await new Promise((r) => setTimeout(r, delay));
    yield line;
  }
}

describe('the console hears a paste as one message, and its commands as the help says', () => {
  it('gathers lines that arrive together into one burst; a line typed later is a burst of its own', async () => {
    const bursts = new LineBursts(arriving([[0, '# start it'], [0, 'echo one'], [1, 'echo two'], [150, 'ps aux'], [150, 'exit']]));
    expect(await bursts.next()).toEqual(['# start it', 'echo one', 'echo two']);
    expect(await bursts.next()).toEqual(['ps aux']);
    expect(await bursts.next()).toEqual(['exit']);
    expect(await bursts.next()).toBeUndefined();
  });

  for (const lang of ['en', 'ja'] as const) {
    it(`${lang}: /help lists /host, /sandbox and /quit, and /platform alone says how it is written`, async () => {
      const curriculum = await loadCurriculum(LESSONS_DIR);
      const { tutor } = scriptedTutor(curriculum, {}, lang, { commandUsages: CONSOLE_USAGES });
      const event = (line: string) => {
        const input = parseConsoleLine(line);
        if (input.kind !== 'event') throw new Error(`${line} is not a tutor event`);
        return input.event;
      };
      const help = textOf(await tutor.handle('c', event('/help')));
      for (const name of ['/host', '/sandbox', '/quit', '/where sandbox|host']) expect(help).toContain(`\`${name}\``);
      const platform = textOf(await tutor.handle('c', event('/platform')));
      expect(platform).toContain('/platform linux|mac|windows');
      expect(platform).not.toMatch(/don't know|知らない|見当たらない/);
      // A command it truly does not know still says so, with the list.
      expect(textOf(await tutor.handle('c', event('/dance')))).toContain('/lessons');
    });
  }
});
