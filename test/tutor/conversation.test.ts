import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCurriculum, type Curriculum, type Lang } from '../../src/lessons/index.js';
import { createRedis } from '../../src/store/redis.js';
import type { Tutor } from '../../src/tutor/engine.js';
import type { Block, Reply } from '../../src/tutor/reply.js';
import { LESSONS_DIR } from '../../src/app.js';
import { startPipeline, tutorOnPipeline, type Pipeline } from '../helpers/pipeline.js';
import { assertServices, integrationGate, removeAppContainers } from '../helpers/services.js';

const gate = await integrationGate();

const texts = (r: Reply) => r.blocks.filter((b): b is Extract<Block, { kind: 'text' }> => b.kind === 'text');
const all = (r: Reply) => texts(r).map((b) => b.text).join('\n');
const output = (r: Reply) => r.blocks.find((b): b is Extract<Block, { kind: 'output' }> => b.kind === 'output');
const actions = (r: Reply) => r.blocks.flatMap((b) => (b.kind === 'choices' ? b.choices.map((c) => c.action) : []));

/**
 * The seed's Phase 1 typed exactly as the seed writes it, as a person types in a chat: no `$ `, no buttons.
 * Each checkpoint asserts where the command ran and that the reply explains the real value.
 */
describe.runIf(gate.run)('talking to the tutor the way the seed does', () => {
  let p: Pipeline;
  let curriculum: Curriculum;
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'producer');
  const makeTutor = () => tutorOnPipeline(p, curriculum, redis, 'ja');
  /** Types a message (one line or a paste) and collects every reply, in order. */
  const typer = (tutor: Tutor, learner: string) => async (text: string): Promise<Reply[]> => {
    const replies: Reply[] = [];
    await tutor.typed(learner, text, { onReply: (r) => void replies.push(r) });
    return replies;
  };
  const one = async (replies: Promise<Reply[]>): Promise<Reply> => {
    const list = await replies;
    expect(list).toHaveLength(1);
    return list[0]!;
  };

  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startPipeline({ POOL_SIZE: '1', LEARNER_COOLDOWN_MS: '300', LEARNER_BURST: '3', SANDBOX_TIMEOUT_MS: '10000' });
    curriculum = await loadCurriculum(LESSONS_DIR);
  });
  afterAll(async () => {
    redis.disconnect();
    await p?.close();
    if (p) await removeAppContainers(p.config);
  });

  for (const lang of ['ja', 'en'] as const satisfies readonly Lang[]) {
    it(`lesson 1 in ${lang}: run, exec -it, ps aux inside, cgroup.controllers, exit`, async () => {
      const tutor = makeTutor();
      const learner = `seed1-${lang}`;
      const type = typer(tutor, learner);
      await tutor.handle(learner, { type: 'language', lang });
      await tutor.handle(learner, { type: 'start', lessonId: 'container-is-a-process', step: 3 });

      const run = await one(type('docker run -d --name my-alpine alpine sleep 1000'));
      expect(output(run)?.where).toEqual({ kind: 'lab' });
      expect(output(run)?.result.stdout).toMatch(/^[0-9a-f]{64}\n$/);
      expect((await tutor.whereIs(learner))?.state.stepPassed).toBe(true);
      await tutor.handle(learner, { type: 'next' });

      const entered = await one(type('docker exec -it my-alpine sh'));
      expect(entered.where).toEqual({ kind: 'container', name: 'my-alpine' });

      // `ps aux` inside my-alpine: sleep 1000 is PID 1, the step passes, and the reply says so.
      const ps = await one(type('ps aux'));
      expect(output(ps)?.where).toEqual({ kind: 'container', name: 'my-alpine' });
      expect(output(ps)?.result.stdout).toMatch(/^\S+\s+1\s.*sleep 1000$/m);
      const step = curriculum.require(lang, 'container-is-a-process').steps[3]!;
      expect(all(ps)).toContain(step.expect[0]!.explain.trim().slice(0, 30));
      expect((await tutor.whereIs(learner))?.state.stepPassed).toBe(true);

      // Still inside: the cgroup file, explained for this host's cgroup version.
      const controllers = await one(type('cat /sys/fs/cgroup/cgroup.controllers'));
      expect(output(controllers)?.where).toEqual({ kind: 'container', name: 'my-alpine' });
      const v1 = /No such file/.test(output(controllers)!.result.stderr);
      expect(all(controllers)).toMatch(v1 ? /v1/ : /v2|cgroup/);

      const left = await one(type('exit'));
      expect(left.where).toEqual({ kind: 'sandbox' });
      const rm = await one(type('docker rm -f my-alpine'));
      expect(output(rm)?.result.stdout).toBe('my-alpine\n');
    }, 90_000);

    it(`lesson 2 in ${lang}: the host's view with sudo, a real PID and the container's own ID`, async () => {
      const tutor = makeTutor();
      const learner = `seed2-${lang}`;
      const type = typer(tutor, learner);
      await tutor.handle(learner, { type: 'language', lang });
      await tutor.handle(learner, { type: 'start', lessonId: 'host-view' });
      await one(type('docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777'));
      // The next step looks from the host: the tutor moves the learner there and says so.
      const moved = await tutor.handle(learner, { type: 'next' });
      expect(moved.where).toEqual({ kind: 'host' });

      const ps = await one(type('ps aux | grep "sleep 7777"'));
      expect(output(ps)?.where).toEqual({ kind: 'host' });
      const pid = Number(/^\S+\s+(\d+)\s.*sleep 7777/m.exec(output(ps)!.result.stdout)?.[1]);
      expect(pid).toBeGreaterThan(1);
      expect((await tutor.whereIs(learner))?.state.stepPassed).toBe(true);

      // The seed types these with sudo, from anywhere: back in the sandbox first, to prove it.
      await one(type('exit'));
      const ns = await one(type(`sudo ls -l /proc/${pid}/ns`));
      expect(output(ns)?.where).toEqual({ kind: 'host' });
      expect(output(ns)?.result.stdout).toMatch(/pid -> pid:\[\d+\]/);
      expect(all(ns)).toMatch(/inode/);

      const idReply = await one(type("docker inspect -f '{{.Id}}' deep-dive-container"));
      const id = output(idReply)!.result.stdout.trim();
      expect(id).toMatch(/^[0-9a-f]{64}$/);
      expect(all(idReply)).toMatch(/cgroup/);

      const limit = await one(type(`sudo cat /sys/fs/cgroup/system.slice/docker-${id}.scope/memory.max`));
      expect(output(limit)?.result.stdout.trim()).toBe('134217728');
      expect(all(limit)).toMatch(/128 × 1024 × 1024/);
      expect(all(limit)).toMatch(/--memory=128m/);
      await one(type('docker rm -f deep-dive-container'));
    }, 90_000);
  }

  it('answers the seed\'s Mac commands for a Mac user and puts them on the host\'s view, where the seed\'s next lines run', async () => {
    const tutor = makeTutor();
    const type = typer(tutor, 'mac-user');
    await tutor.handle('mac-user', { type: 'language', lang: 'en' });
    await one(type('docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777'));
    for (const line of ['docker run -it --rm --privileged --pid=host justincormack/nsenter1', 'docker run -it --rm --privileged --pid=host alpine nsenter -t 1 -m -u -n -i sh']) {
      const reply = await one(type(line));
      expect(output(reply)).toBeUndefined();
      expect(all(reply)).toMatch(/Docker Desktop/);
      expect(all(reply)).toMatch(/VM/);
      expect(reply.where).toEqual({ kind: 'host' });
      // The seed's next lines, with the VM shell's prompt pasted in front, run on the host's view.
      const ps = await one(type('/ # ps aux | grep "sleep 7777"'));
      expect(output(ps)?.where).toEqual({ kind: 'host' });
      const sleeper = output(ps)!.result.stdout.split('\n').find((l) => /sleep 7777/.test(l) && !/grep/.test(l));
      expect(Number(/^\S+\s+(\d+)\s/.exec(sleeper ?? '')?.[1])).toBeGreaterThan(1);
      const out = await one(type('/ # exit'));
      expect(out.where).toEqual({ kind: 'sandbox' });
    }
    // Removing the container you are inside steps you back out.
    await one(type('docker exec -it deep-dive-container sh'));
    const removed = await one(type('docker rm -f deep-dive-container'));
    expect(removed.where).toEqual({ kind: 'sandbox' });
    // Inside the VM the seed types nsenter itself: here it runs in the sandbox, meets the wall, and the way on is offered.
    const wall = await one(type('nsenter -t 1 -m -u -n -i sh'));
    expect(output(wall)?.result.exitCode).not.toBe(0);
    expect(actions(wall)).toContainEqual({ type: 'place', place: 'host' });
    // "1" presses the offered choice: the host's view.
    const pressed = await one(type('1'));
    expect(pressed.where).toEqual({ kind: 'host' });
  }, 60_000);

  it('runs a 3-line paste in order, one reply per line, and hears the chat line as chat', async () => {
    const tutor = makeTutor();
    const replies = await typer(tutor, 'paster')('echo one\necho two\nありがとう！');
    expect(replies).toHaveLength(3);
    expect(output(replies[0]!)?.result.stdout).toBe('one\n');
    expect(output(replies[1]!)?.result.stdout).toBe('two\n');
    expect(output(replies[2]!)).toBeUndefined();
  }, 60_000);

  it('hears an answer to its own question, and "yes" to its invitation', async () => {
    const tutor = makeTutor();
    const type = typer(tutor, 'answerer');
    await tutor.handle('answerer', { type: 'start', lessonId: 'container-is-a-process' });
    const ran = await one(type('ps aux'));
    expect((await tutor.whereIs('answerer'))?.state.stepPassed).toBe(true);
    expect(texts(ran).some((b) => b.role === 'question')).toBe(true);
    const heard = await one(type('PID 1 は docker-init でした'));
    expect(all(heard)).toMatch(/docker-init/);
    expect(output(heard)).toBeUndefined();
    expect(actions(heard)).toContainEqual({ type: 'next' });
    // "はい" presses the Next on offer.
    await one(type('はい'));
    expect((await tutor.whereIs('answerer'))?.state.stepIndex).toBe(1);
  }, 60_000);

  it('numbers quiz choices as they are labelled, and keeps choices pressable after chat', async () => {
    const tutor = makeTutor();
    const type = typer(tutor, 'quizzer');
    await tutor.handle('quizzer', { type: 'language', lang: 'en' });
    await tutor.handle('quizzer', { type: 'start', lessonId: 'container-is-a-process', step: 6 });
    const ran = await tutor.handle('quizzer', { type: 'run-step' });
    const offered = actions(ran);
    // The quiz's own choices are all that is offered, so "2" is its second choice.
    expect(offered.every((a) => a.type === 'quiz' || a.type === 'more')).toBe(true);
    const label2 = ran.blocks.flatMap((b) => (b.kind === 'choices' ? b.choices : []))[1]!.label;
    // The label carries no number of its own: the transport numbers choices ("[2]"), so "2" is this one.
    expect(label2).not.toMatch(/^\d/);
    const answered = await one(type('2'));
    expect((await tutor.whereIs('quizzer'))?.state.pendingQuiz).toBeUndefined();
    expect(all(answered)).toMatch(/kernel/);
    // Chat in between does not take the offered choices away: "1" still presses the one after the quiz.
    await one(type('なるほど'));
    const next = await one(type('1'));
    expect((await tutor.whereIs('quizzer'))?.state.stepIndex).toBe(6);
    expect(next.blocks.some((b) => b.kind === 'command')).toBe(true);
  }, 60_000);

  it('asks instead of guessing when a line could be either, and runs it only when told', async () => {
    const tutor = makeTutor();
    const type = typer(tutor, 'unsure');
    const asked = await one(type('yes'));
    const choice = actions(asked);
    if (choice.some((a) => a.type === 'line')) {
      expect(output(asked)).toBeUndefined();
      const talked = await tutor.handle('unsure', { type: 'confirm-line', run: false });
      expect(output(talked)).toBeUndefined();
    } else {
      // Chat in the sandbox: never run.
      expect(output(asked)).toBeUndefined();
    }
  });
  for (const lang of ['ja', 'en'] as const satisfies readonly Lang[]) {
    it(`lesson 2 in ${lang}, typed without pressing Next: ps aux | grep runs on the host's view, and "done" moves past the removed container`, async () => {
      const tutor = makeTutor();
      const learner = `seed-typed-${lang}`;
      const type = typer(tutor, learner);
      await tutor.handle(learner, { type: 'language', lang });
      await tutor.handle(learner, { type: 'start', lessonId: 'host-view' });
      await one(type('docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777'));
      // A person reads the reply before typing on; right after the run only docker-init may have started.
      await new Promise((r) => setTimeout(r, 1500));

      const ps = await one(type('ps aux | grep "sleep 7777"'));
      expect(output(ps)?.where).toEqual({ kind: 'host' });
      expect(output(ps)?.result.stdout).toMatch(/^\S+\s+\d+\s.*sleep 7777/m);
      expect(ps.where).toEqual({ kind: 'host' });
      expect((await tutor.whereIs(learner))?.state).toMatchObject({ stepIndex: 1, stepPassed: true });

      const id = await one(type("docker inspect -f '{{.Id}}' deep-dive-container"));
      expect(output(id)?.result.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
      expect((await tutor.whereIs(learner))?.state).toMatchObject({ stepIndex: 2, stepPassed: true });

      const limit = await one(type(`sudo cat /sys/fs/cgroup/system.slice/docker-${output(id)!.result.stdout.trim()}.scope/memory.max`));
      expect(output(limit)?.result.stdout.trim()).toBe('134217728');
      expect(all(limit)).not.toMatch(/No sudo|sudo は要らない/);

      await one(type('docker rm -f deep-dive-container'));
      await one(type(lang === 'ja' ? 'うん、できた！' : 'yes, done!'));
      // Step 4 reads from the sandbox, which needs no container: the learner is not sent back to a host step.
      const at = await tutor.whereIs(learner);
      expect(at?.state.stepIndex).toBe(3);
      expect(at?.step?.mode).not.toBe('lab');
    }, 90_000);
  }
});
