import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCurriculum, type Curriculum } from '../../src/lessons/index.js';
import { createRedis } from '../../src/store/redis.js';
import type { TutorEvent } from '../../src/tutor/engine.js';
import type { Block, Reply } from '../../src/tutor/reply.js';
import { LESSONS_DIR } from '../../src/app.js';
import { startPipeline, tutorOnPipeline, type Pipeline } from '../helpers/pipeline.js';
import { assertServices, integrationGate, removeAppContainers } from '../helpers/services.js';

const gate = await integrationGate();

const texts = (r: Reply) => r.blocks.filter((b): b is Extract<Block, { kind: 'text' }> => b.kind === 'text');
const roles = (r: Reply) => texts(r).map((b) => b.role);
const all = (r: Reply) => texts(r).map((b) => b.text).join('\n');
const output = (r: Reply) => r.blocks.find((b): b is Extract<Block, { kind: 'output' }> => b.kind === 'output');
const choices = (r: Reply) => r.blocks.flatMap((b) => (b.kind === 'choices' ? b.choices.map((c) => c.action.type) : []));

/** Whole conversations through the real queue, worker and sandbox, with state in the real Redis. */
describe.runIf(gate.run)('the conversation engine', () => {
  let p: Pipeline;
  let curriculum: Curriculum;
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'producer');
  const makeTutor = () => tutorOnPipeline(p, curriculum, redis, 'ja');

  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startPipeline({ POOL_SIZE: '1', SANDBOX_TIMEOUT_MS: '30000' });
    curriculum = await loadCurriculum(LESSONS_DIR);
  });
  afterAll(async () => {
    redis.disconnect();
    await p?.close();
    // The learners' lab containers outlive the worker by design; the test removes its own.
    if (p) await removeAppContainers(p.config);
  });

  it('start -> try -> pass -> next, to the end of a lesson', async () => {
    const tutor = makeTutor();
    const say = (e: TutorEvent) => tutor.handle('alice', e);
    // Detailed replies: background and tips come with every result (short ones hold them behind "More").
    await say({ type: 'style', style: 'detailed' });
    const lesson = curriculum.require('ja', 'container-is-a-process');
    const started = await say({ type: 'start', lessonId: 'container-is-a-process' });
    expect(roles(started)).toContain('point');
    expect(started.blocks.some((b) => b.kind === 'command' && b.where.kind === 'sandbox' && b.command === lesson.steps[0]!.try.sandbox)).toBe(true);
    expect(choices(started)).toEqual(expect.arrayContaining(['run-step', 'hint']));

    for (let i = 0; i < lesson.steps.length; i++) {
      const ran = await say({ type: 'run-step' });
      expect(output(ran)?.result.exitCode).not.toBeNull();
      // The explanation is the one for what THIS output shows.
      expect(roles(ran)).toEqual(expect.arrayContaining(['explanation', 'tip', 'question']));
      // Next, or first the step's quiz (whose own choices then come alone, numbered as labelled).
      expect(choices(ran).includes('next') || choices(ran).every((c) => c === 'quiz')).toBe(true);
      const where = await tutor.whereIs('alice');
      expect(where?.state.stepPassed).toBe(true);
      const next = await say({ type: 'next' });
      if (i < lesson.steps.length - 1) expect(roles(next)).toContain('point');
    }
    const state = (await tutor.whereIs('alice'))!.state;
    expect(state.completed).toEqual(['container-is-a-process']);
    expect(state.lessonId).toBeUndefined();
  }, 60_000);

  it('keeps replies short by default: background and tip wait behind "More"', async () => {
    const tutor = makeTutor();
    const say = (e: TutorEvent) => tutor.handle('shorty', e);
    await say({ type: 'start', lessonId: 'container-is-a-process' });
    const ran = await say({ type: 'run-step' });
    expect(roles(ran)).not.toContain('tip');
    expect(roles(ran)).not.toContain('background');
    expect(choices(ran)).toContain('more');
    const more = await say({ type: 'more' });
    expect(roles(more)).toEqual(expect.arrayContaining(['background', 'tip']));
    const step = curriculum.require('ja', 'container-is-a-process').steps[0]!;
    expect(all(more)).toContain(step.say.tip!.trim().slice(0, 20));
    // The style is remembered.
    await say({ type: 'style', style: 'detailed' });
    expect((await tutor.whereIs('shorty'))?.state.style).toBe('detailed');
  });

  it('explains a wrong output, then gives hints that escalate to the answer', async () => {
    const tutor = makeTutor();
    const say = (e: TutorEvent) => tutor.handle('bob', e);
    await say({ type: 'language', lang: 'en' });
    await say({ type: 'start', lessonId: 'container-is-a-process' });
    const step = curriculum.require('en', 'container-is-a-process').steps[0]!;
    // A command that fails: the tutor explains calmly and offers a hint.
    const wrong = await say({ type: 'command', command: 'ps --no-such-flag' });
    expect(output(wrong)?.result.exitCode).not.toBe(0);
    expect((await tutor.whereIs('bob'))?.state.stepPassed).toBe(false);
    const h1 = await say({ type: 'hint' });
    const h2 = await say({ type: 'hint' });
    const h3 = await say({ type: 'hint' });
    expect(all(h1)).toContain(step.hints.nudge.trim().slice(0, 20));
    expect(all(h2)).toContain(step.hints.stronger.trim().slice(0, 20));
    expect(all(h3)).toContain(step.hints.answer.trim().slice(0, 20));
    const h4 = await say({ type: 'hint' });
    expect(all(h4)).not.toBe('');
    // Asking for help in words is a hint request too.
    expect((await tutor.whereIs('bob'))?.state.hintsUsed).toBe(3);
  });

  it('switches the command variant when the learner says they are on a Mac', async () => {
    const tutor = makeTutor();
    await tutor.handle('carol', { type: 'start', lessonId: 'host-view' });
    const reply = await tutor.handle('carol', { type: 'text', text: 'Macを使ってます' });
    expect((await tutor.whereIs('carol'))?.state.platform).toBe('mac');
    expect(reply.blocks.some((b) => b.kind === 'command' && b.where.kind === 'own-machine' && b.where.platform === 'mac')).toBe(true);
    const next = await tutor.handle('carol', { type: 'next' });
    expect(next.blocks.some((b) => b.kind === 'command' && b.where.kind === 'own-machine' && b.where.platform === 'mac')).toBe(true);
  });

  it('survives a restart mid-lesson and resumes where the learner was', async () => {
    const first = makeTutor();
    await first.handle('dave', { type: 'start', lessonId: 'host-view' });
    await first.handle('dave', { type: 'run-step' });
    await first.handle('dave', { type: 'next' });
    const before = (await first.whereIs('dave'))!;
    expect(before.state.stepIndex).toBe(1);
    const afterRestart = makeTutor();
    const resumed = await afterRestart.handle('dave', { type: 'next' });
    expect((await afterRestart.whereIs('dave'))!.state.stepIndex).toBe(1);
    const step = curriculum.require('ja', 'host-view').steps[1]!;
    expect(resumed.blocks.some((b) => b.kind === 'command' && b.command === (step.try.lab ?? step.try.sandbox))).toBe(true);
  });

  it('answers bad input kindly and loses no progress', async () => {
    const tutor = makeTutor();
    const say = (e: TutorEvent) => tutor.handle('erin', e);
    await say({ type: 'start', lessonId: 'host-view' });
    await say({ type: 'run-step' });
    const before = (await tutor.whereIs('erin'))!.state;
    const replies = [
      await say({ type: 'start', lessonId: 'no-such-lesson' }),
      await say({ type: 'start', lessonId: 'host-view', step: 99 }),
      await say({ type: 'text', text: 'x'.repeat(5000) }),
      await say({ type: 'text', text: '   ' }),
      await say({ type: 'text', text: '\u0007\u0000' }),
      await say({ type: 'command', command: '' }),
      await say({ type: 'command', command: 'x'.repeat(3000) }),
      await say({ type: 'command', command: 'echo \u0000' }),
      await say({ type: 'unknown-command', given: '/dance', known: ['/lessons'] }),
    ];
    for (const r of replies) expect(all(r).length).toBeGreaterThan(0);
    const after = (await tutor.whereIs('erin'))!.state;
    // Progress is untouched; only the choices on offer follow the conversation.
    const progress = (s: typeof before) => ({ ...s, turn: 0, updatedAt: 0, offered: undefined, held: undefined });
    expect(progress(after)).toEqual(progress(before));
    // Unicode in a command is fine.
    const uni = await say({ type: 'command', command: "echo 'こんにちは 🐳'" });
    expect(output(uni)?.result.stdout).toBe('こんにちは 🐳\n');
  });

  it('says "still running" to a command sent while the previous one runs', async () => {
    const tutor = makeTutor();
    const slow = tutor.handle('fay', { type: 'command', command: 'sleep 1; echo done' });
    await new Promise((r) => setTimeout(r, 150));
    const second = await tutor.handle('fay', { type: 'command', command: 'echo hi' });
    expect(output(second)).toBeUndefined();
    expect(all(second).length).toBeGreaterThan(0);
    expect(output(await slow)?.result.stdout).toBe('done\n');
  });

  it('asks a quiz after a passed step, and judges typed and pressed answers', async () => {
    const tutor = makeTutor();
    const say = (e: TutorEvent) => tutor.handle('quinn', e);
    await say({ type: 'language', lang: 'en' });
    // host-view step 6 (memory-limit-file) has a free-answer quiz: how many bytes is 128m?
    await say({ type: 'start', lessonId: 'host-view', step: 6 });
    const passed = await say({ type: 'run-step' });
    expect((await tutor.whereIs('quinn'))?.state.stepPassed).toBe(true);
    expect(all(passed)).toMatch(/128/);
    expect((await tutor.whereIs('quinn'))?.state.pendingQuiz).toBe('bytes-for-128m');
    // A wrong typed answer keeps the question open; the right one closes it.
    await say({ type: 'text', text: '128000000' });
    expect((await tutor.whereIs('quinn'))?.state.pendingQuiz).toBe('bytes-for-128m');
    await say({ type: 'text', text: '134217728' });
    expect((await tutor.whereIs('quinn'))?.state.pendingQuiz).toBeUndefined();
    // A multiple-choice quiz answered with a button press (choice index, 0-based).
    await say({ type: 'next' });
    const step4 = await say({ type: 'run-step' });
    const quizChoices = step4.blocks.flatMap((b) => (b.kind === 'choices' ? b.choices : [])).filter((c) => c.action.type === 'quiz');
    expect(quizChoices.length).toBe(3);
    const right = quizChoices.find((c) => c.label.includes('SIGKILL') || c.label.startsWith('2'))!;
    const { eventForChoice } = await import('../../src/tutor/engine.js');
    await say(eventForChoice(right.action));
    expect((await tutor.whereIs('quinn'))?.state.pendingQuiz).toBeUndefined();
  });

  it('runs the seed\'s docker commands in the lab, and moves the chat into a container with exec -it', async () => {
    const tutor = makeTutor();
    const say = (command: string) => tutor.handle('lab-learner', { type: 'command', command });
    await tutor.handle('lab-learner', { type: 'language', lang: 'en' });
    const run = await say('docker run -d --name my-alpine alpine sleep 1000');
    expect(output(run)?.result.exitCode).toBe(0);
    expect(output(run)?.result.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    // The image name maps to the sandbox image, and the tutor says so.
    expect(all(run)).toMatch(/alpine/);
    const entered = await say('docker exec -it my-alpine sh');
    expect((await tutor.whereIs('lab-learner'))?.state.context).toEqual({ kind: 'container', name: 'my-alpine' });
    expect(all(entered)).toMatch(/my-alpine/);
    const ps = await say('ps aux');
    expect(output(ps)?.result.stdout).toMatch(/^\S+\s+1\s.*sleep 1000$/m);
    await say('exit');
    expect((await tutor.whereIs('lab-learner'))?.state.context).toBeUndefined();
    await say('docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777');
    const mem = await say("docker inspect -f '{{.HostConfig.Memory}}' deep-dive-container");
    expect(output(mem)?.result.stdout.trim()).toBe('134217728');
    const refused = await say('docker run --privileged alpine sh');
    expect(output(refused)).toBeUndefined();
    expect(all(refused)).toMatch(/privileged/i);
    const rm = await say('docker rm -f my-alpine deep-dive-container');
    expect(output(rm)?.result.stdout).toBe('my-alpine\ndeep-dive-container\n');
  }, 60_000);

  it('says once that alpine is our sandbox image, and clears the lab on reset', async () => {
    const tutor = makeTutor();
    const say = (command: string) => tutor.handle('lab-reset', { type: 'command', command });
    const notices = (r: Reply) => texts(r).filter((b) => b.role === 'notice').length;
    const first = await say('docker run -d --name one alpine sleep 100');
    const second = await say('docker run -d --name two alpine sleep 100');
    expect(notices(first)).toBeGreaterThan(notices(second));
    expect(output(await say('docker ps'))?.result.stdout).toMatch(/one[\s\S]*two|two[\s\S]*one/);
    await tutor.handle('lab-reset', { type: 'reset' });
    const after = output(await say('docker ps -a'))?.result.stdout ?? '';
    expect(after.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('steps out of a container that went away', async () => {
    const tutor = makeTutor();
    const say = (command: string) => tutor.handle('lab-gone', { type: 'command', command });
    await say('docker run -d --name short-lived alpine sleep 100');
    await say('docker exec -it short-lived sh');
    expect((await tutor.whereIs('lab-gone'))?.state.context).toEqual({ kind: 'container', name: 'short-lived' });
    // Removed from inside: the chat steps out at once, and the next line runs in the sandbox.
    await say('docker rm -f short-lived');
    expect((await tutor.whereIs('lab-gone'))?.state.context).toBeUndefined();
    const after = await say('ls /');
    expect(output(after)?.where).toMatchObject({ kind: 'sandbox' });
    expect(output(after)?.result.exitCode).toBe(0);
  }, 60_000);

  it('follows the seed on the host: host PID, namespaces, and the memory limit in the cgroup file', async () => {
    const tutor = makeTutor();
    const say = (command: string) => tutor.handle('host-learner', { type: 'command', command });
    await say('docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777');
    await tutor.handle('host-learner', { type: 'place', place: 'host' });
    expect((await tutor.whereIs('host-learner'))?.state.context).toEqual({ kind: 'host' });
    const ps = output(await say('ps aux | grep "sleep 7777"'))!.result.stdout;
    const pid = Number(/^\S+\s+(\d+)\s.*sleep 7777/m.exec(ps)?.[1]);
    expect(pid).toBeGreaterThan(1);
    const ns = output(await say(`sudo ls -l /proc/${pid}/ns`))!.result.stdout;
    for (const kind of ['pid', 'mnt', 'net', 'uts', 'ipc']) expect(ns).toMatch(new RegExp(`${kind} -> ${kind}:\\[\\d+\\].*differs`));
    const id = output(await say("docker inspect -f '{{.Id}}' deep-dive-container"))!.result.stdout.trim();
    const limit = output(await say(`sudo cat /sys/fs/cgroup/system.slice/docker-${id}.scope/memory.max`))!.result.stdout;
    expect(limit.trim()).toBe('134217728');
    // Anything else on the host is refused, kindly.
    const shadow = await say('cat /etc/shadow');
    expect(output(shadow)).toBeUndefined();
    await say('exit');
    expect((await tutor.whereIs('host-learner'))?.state.context).toBeUndefined();
    await say('docker rm -f deep-dive-container');
  }, 60_000);

  it('points a question to the lesson that answers it', async () => {
    const tutor = makeTutor();
    const reply = await tutor.handle('gus', { type: 'text', text: 'What is OverlayFS copy-up?' });
    expect(reply.blocks.some((b) => b.kind === 'choices' && b.choices.some((c) => c.action.type === 'start' && c.action.lessonId === 'overlayfs'))).toBe(true);
  });
});
