import { beforeAll, describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import type { LabCommand } from '../../src/lab/command.js';
import { loadCurriculum, type Curriculum } from '../../src/lessons/index.js';
import { SubmitError } from '../../src/queue/errors.js';
import type { RunResult } from '../../src/sandbox/types.js';
import { MemoryLearnerStore } from '../../src/store/memory-learner-store.js';
import { Tutor, type TutorDeps } from '../../src/tutor/engine.js';
import type { LearningEvent } from '../../src/tutor/learning-events.js';
import type { Block, Reply } from '../../src/tutor/reply.js';

// The conversation engine's own logic, in milliseconds: an in-memory learner store and a scripted runner
// stand in for Redis and the sandbox (the real ones are exercised in conversation.test.ts and engine.test.ts).

const ok = (stdout: string, extra: Partial<RunResult> = {}): RunResult => ({ stdout, stderr: '', exitCode: 0, timedOut: false, oomKilled: false, truncated: false, durationMs: 5, ...extra });
const all = (r: Reply) => r.blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : [])).join('\n');
const output = (r: Reply) => r.blocks.find((b): b is Extract<Block, { kind: 'output' }> => b.kind === 'output');
const actions = (r: Reply) => r.blocks.flatMap((b) => (b.kind === 'choices' ? b.choices.map((c) => c.action) : []));

describe('the conversation engine, without Redis or Docker', () => {
  let curriculum: Curriculum;
  beforeAll(async () => {
    curriculum = await loadCurriculum(LESSONS_DIR);
  });

  function makeTutor(outputs: { sandbox?: (command: string) => RunResult; lab?: (command: LabCommand) => RunResult } = {}) {
    const ran: { where: 'sandbox' | 'lab'; what: string }[] = [];
    const events: LearningEvent[] = [];
    const deps: TutorDeps = {
      curriculum,
      store: new MemoryLearnerStore(),
      defaultLang: 'en',
      run: async (_learner, command) => {
        ran.push({ where: 'sandbox', what: command });
        return { result: outputs.sandbox?.(command) ?? ok('') };
      },
      runLab: async (_learner, command, opts) => {
        opts.onProgress?.({ stage: 'started' });
        ran.push({ where: 'lab', what: command.kind });
        return { result: outputs.lab?.(command) ?? ok(''), notes: [] };
      },
      clearLab: async () => ({ removed: 0 }),
      recordEvent: async (e) => void events.push(e),
    };
    return { tutor: new Tutor(deps), deps, ran, events };
  }

  it('reads typed lines as a person would: commands run, chat does not, and `$ ` forces a run', async () => {
    const { tutor, ran } = makeTutor();
    await tutor.handle('a', { type: 'line', text: 'ps aux' });
    await tutor.handle('a', { type: 'line', text: 'thanks, that was fun!' });
    await tutor.handle('a', { type: 'line', text: 'docker ps' });
    await tutor.handle('a', { type: 'line', text: 'sudo cat /sys/fs/cgroup/memory/docker/abc123/memory.limit_in_bytes' });
    expect(ran).toEqual([
      { where: 'sandbox', what: 'ps aux' },
      { where: 'lab', what: 'ps' },
      { where: 'lab', what: 'host' },
    ]);
  });

  it('waits out a short cooldown for a typed line, and only a long one is said', async () => {
    const refusals = [{ code: 'cooldown' as const, retryInMs: 300 }, { code: 'cooldown' as const, retryInMs: 9_000 }];
    let tries = 0;
    const { tutor, deps } = makeTutor();
    const inner = deps.run;
    deps.run = async (...args) => {
      tries += 1;
      const refusal = tries === 1 ? refusals[0] : tries === 3 ? refusals[1] : undefined;
      if (refusal) throw new SubmitError(refusal);
      return inner(...args);
    };
    const early = await tutor.handle('a', { type: 'line', text: 'echo early' });
    expect(output(early)).toBeDefined();
    expect(tries).toBe(2);
    const flood = await tutor.handle('a', { type: 'line', text: 'echo flood' });
    expect(output(flood)).toBeUndefined();
    expect(all(flood)).toMatch(/9 s|9 seconds|about 9/);
    expect(tries).toBe(3);
  });

  it('moves into a container with exec -it, runs there until exit, and says where it is', async () => {
    const { tutor, ran } = makeTutor();
    const inside = await tutor.handle('b', { type: 'line', text: 'docker exec -it my-alpine sh' });
    expect(inside.where).toEqual({ kind: 'container', name: 'my-alpine' });
    await tutor.handle('b', { type: 'line', text: 'ps aux' });
    expect(ran.at(-1)).toEqual({ where: 'lab', what: 'exec' });
    const out = await tutor.handle('b', { type: 'line', text: 'exit' });
    expect(out.where).toEqual({ kind: 'sandbox' });
    const nothing = await tutor.handle('b', { type: 'line', text: 'exit' });
    expect(all(nothing)).toMatch(/nothing to leave/);
  });

  it('explains 134217728 as the --memory=128m the learner set, on the host view', async () => {
    const { tutor } = makeTutor({ lab: () => ok('134217728\n') });
    const reply = await tutor.handle('c', { type: 'line', text: `sudo cat /sys/fs/cgroup/system.slice/docker-${'a'.repeat(64)}.scope/memory.max` });
    expect(output(reply)?.where).toEqual({ kind: 'host' });
    expect(all(reply)).toMatch(/128 × 1024 × 1024/);
  });

  it('tells the status line where a command runs: a sudo line typed in the sandbox runs on the host', async () => {
    const { tutor } = makeTutor({ lab: () => ok('134217728\n') });
    const places: unknown[] = [];
    await tutor.handle('g', { type: 'line', text: 'sudo cat /sys/fs/cgroup/memory/docker/abc123/memory.limit_in_bytes' }, { onProgress: (_p, place) => void places.push(place) });
    expect(places).toEqual([{ kind: 'host' }]);
  });

  it('answers the seed\'s Mac commands without running them, and offers the host\'s view', async () => {
    const { tutor, ran } = makeTutor();
    const reply = await tutor.handle('d', { type: 'line', text: 'docker run -it --rm --privileged --pid=host justincormack/nsenter1' });
    expect(ran).toEqual([]);
    expect(actions(reply)).toContainEqual({ type: 'place', place: 'host' });
  });

  it('records learning events: started, step passed, hint used, stuck on the answer hint, completed', async () => {
    const { tutor, events } = makeTutor({ sandbox: () => ok('USER PID\nroot 1 0.0 docker-init\n') });
    await tutor.handle('e', { type: 'start', lessonId: 'container-is-a-process' }, { guildId: 'g1' });
    await tutor.handle('e', { type: 'run-step' }, { guildId: 'g1' });
    await tutor.handle('e', { type: 'next' });
    for (let i = 0; i < 3; i++) await tutor.handle('e', { type: 'hint' });
    const types = events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['lesson-started', 'step-passed']);
    expect(types).toEqual(expect.arrayContaining(['hint-used', 'stuck']));
    expect(events[0]).toMatchObject({ learnerId: 'e', guildId: 'g1', lessonId: 'container-is-a-process', step: 1 });
  });

  it('asks instead of guessing when it cannot tell, and never runs it unless told', async () => {
    const { tutor, ran } = makeTutor();
    const asked = await tutor.handle('f', { type: 'line', text: 'Ps aux' });
    expect(actions(asked)).toEqual([{ type: 'line', run: true }, { type: 'line', run: false }]);
    expect(ran).toEqual([]);
    await tutor.handle('f', { type: 'line', text: '2' });
    expect(ran).toEqual([]);
    await tutor.handle('f', { type: 'line', text: 'Ps aux' });
    await tutor.handle('f', { type: 'confirm-line', run: true });
    expect(ran).toEqual([{ where: 'sandbox', what: 'Ps aux' }]);
  });
});
