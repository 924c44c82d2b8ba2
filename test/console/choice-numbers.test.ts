// The console's numbered choices: every reply that shows choices numbers them from [1], and the number
// typed next presses exactly the choice shown with it (not one left over from an earlier reply).
import { beforeAll, describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import { renderForTerminal } from '../../src/console/render.js';
import { loadCurriculum, type Curriculum } from '../../src/lessons/index.js';
import type { TutorEvent } from '../../src/tutor/engine.js';
import type { Reply } from '../../src/tutor/reply.js';
import { ok, scriptedTutor } from '../tutor/tutor-double.js';

const ID = 'ab'.repeat(32);

describe('console choice numbers', () => {
  let curriculum: Curriculum;
  beforeAll(async () => {
    curriculum = await loadCurriculum(LESSONS_DIR);
  });

  /** The seed's first lesson as a learner types it, numbers included. */
  const walk: TutorEvent[] = [
    { type: 'hello' },
    { type: 'line', text: '1' },
    { type: 'lessons' },
    { type: 'line', text: '1' },
    { type: 'line', text: '2' },
    { type: 'line', text: '1' },
    { type: 'line', text: 'docker run -d --name my-alpine alpine sleep 1000' },
    { type: 'line', text: 'docker exec -it my-alpine sh' },
    { type: 'line', text: 'ps aux' },
    { type: 'line', text: 'exit' },
    { type: 'line', text: 'sudo ls -l /proc/12345/ns' },
    { type: 'line', text: '1' },
  ];

  for (const lang of ['ja', 'en'] as const) {
    it(`starts at [1] in every reply and presses what was shown (${lang})`, async () => {
      const ps = 'USER PID COMMAND\nsensei 1 0:00 sleep 1000\n';
      const { tutor, ran } = scriptedTutor(
        curriculum,
        {
          sandbox: () => ok('USER PID\nsensei 1 0:00 /sbin/docker-init -- sleep infinity\n'),
          lab: (c) => (c.kind === 'run' ? ok(`${ID}\n`) : c.kind === 'exec' ? ok(ps) : ok('')),
          labNotes: (c) => (c.kind === 'host' && c.command === 'ns' && c.pid === 12345 ? [{ code: 'not-your-process', params: { pid: 12345, yours: [{ name: 'my-alpine', line: 'sudo ls -l /proc/4242/ns' }] } }] : []),
        },
        lang,
      );
      let shown: ReturnType<typeof renderForTerminal> | undefined;
      let pressed = 0;
      for (const event of walk) {
        const before = ran.length;
        const reply: Reply = await tutor.handle('n', event);
        if (event.type === 'line' && /^\d$/.test(event.text) && shown) {
          // The number pressed the choice shown with it: its effect is the one that choice stands for.
          const choice = shown.choices[Number(event.text) - 1];
          expect(choice, `choice ${event.text} was shown`).toBeDefined();
          if (choice?.action.type === 'line') expect(ran.at(-1)?.lab).toMatchObject({ kind: 'host', pid: 4242 });
          if (choice?.action.type === 'run-step') expect(ran.length).toBe(before + 1);
          pressed += 1;
        }
        const rendered = renderForTerminal(reply, { color: false });
        const numbers = [...rendered.text.matchAll(/\[(\d+)\] /g)].map((m) => Number(m[1]));
        expect(numbers).toEqual(rendered.choices.map((_, i) => i + 1));
        if (rendered.choices.length > 0) shown = rendered;
      }
      expect(pressed).toBe(5);
    });
  }

  it('shows a reply\'s choices as one set at the end: a later lesson\'s "start the earlier one" and the step\'s Run read [1] [2] [3]', async () => {
    const { tutor } = scriptedTutor(curriculum, {}, 'ja');
    const reply = await tutor.handle('later', { type: 'start', lessonId: 'host-view' });
    expect(reply.blocks.filter((b) => b.kind === 'choices').length).toBeGreaterThan(1);
    const { text, choices } = renderForTerminal(reply, { color: false });
    const lastParagraph = text.split('\n\n').at(-1)!;
    expect([...lastParagraph.matchAll(/\[(\d+)\] /g)].map((m) => Number(m[1]))).toEqual(choices.map((_, i) => i + 1));
    expect(text.split('\n\n').slice(0, -1).join('\n\n')).not.toMatch(/\[\d+\] /);
  });
});
