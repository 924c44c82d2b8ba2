import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import { loadCurriculum, type Curriculum } from '../../src/lessons/index.js';
import { createRedis } from '../../src/store/redis.js';
import { startPipeline, tutorOnPipeline, type Pipeline } from '../helpers/pipeline.js';
import { assertServices, eventually, integrationGate, removeAppContainers } from '../helpers/services.js';
import { actionsOf, outputOf, textOf } from './tutor-double.js';

// The same explanations as explanations.test.ts, against the real sandbox and lab: what they really print.

const gate = await integrationGate();

describe.runIf(gate.run)('explanations of real output (real sandbox, lab and Redis)', () => {
  let p: Pipeline;
  let curriculum: Curriculum;
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'producer');
  const makeTutor = () => tutorOnPipeline(p, curriculum, redis, 'en');

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

  it('ps aux | grep "sleep 7777" in the sandbox finds only grep: the PID-namespace moment, the host view offered, then the real host PID there', async () => {
    const tutor = makeTutor();
    const learner = 'grep-only';
    await tutor.handle(learner, { type: 'start', lessonId: 'host-view', step: 1 });
    await tutor.handle(learner, { type: 'line', text: 'docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777' });
    const here = await tutor.handle(learner, { type: 'command', command: 'ps aux | grep "sleep 7777"' });
    expect(outputOf(here)?.where).toEqual({ kind: 'sandbox', mode: 'session' });
    expect(outputOf(here)?.result.stdout).toMatch(/grep/);
    expect(textOf(here)).not.toMatch(/There it is/);
    expect(textOf(here)).toMatch(/Only `grep` found itself/);
    expect(actionsOf(here)).toContainEqual({ type: 'place', place: 'host' });

    await tutor.handle(learner, { type: 'place', place: 'host' });
    const host = await tutor.handle(learner, { type: 'line', text: 'ps aux | grep "sleep 7777"' });
    expect(outputOf(host)?.where).toEqual({ kind: 'host' });
    expect(textOf(host)).toMatch(/There it is|PID \*\*\d+/);
    await tutor.handle(learner, { type: 'line', text: 'docker rm -f deep-dive-container' });
  }, 90_000);

  it('typed commands that meet a sandbox limit name the limit: pids.max, no network, the read-only root, the 16 MiB /tmp, NUL bytes at the cap', async () => {
    const tutor = makeTutor();
    const learner = 'limits';
    const cases: [string, RegExp][] = [
      [`bash -c ':(){ :|:& };:'`, /fork bomb.*64 processes \(`pids\.max`\)/s],
      ['curl https://example.com', /no network on purpose \(`--network none`\).*network namespace/s],
      ['apt-get update', /no network.*read-only.*Dockerfile/s],
      ['rm -rf / --no-preserve-root', /root filesystem is read-only.*16 MiB tmpfs/s],
      ['dd if=/dev/zero of=/tmp/big bs=1M count=100', /"full" at 16 MiB.*tmpfs/s],
      ['cat /dev/zero', /NUL bytes.*64 KiB output cap/s],
    ];
    for (const [command, said] of cases) {
      const reply = await tutor.handle(learner, { type: 'command', command });
      expect(outputOf(reply)?.where.kind, command).toBe('sandbox');
      expect(textOf(reply), command).toMatch(said);
      expect(textOf(reply), command).not.toMatch(/finished without trouble|spelling/);
      await new Promise((r) => setTimeout(r, 350));
    }
  }, 120_000);

  it('a leftover name offers docker rm -f as a choice, a re-run after cleanup is no "recovery", and exec -it into a stopped container says it is not running', async () => {
    const tutor = makeTutor();
    const learner = 'leftover';
    const RUN = 'docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777';
    await tutor.handle(learner, { type: 'start', lessonId: 'host-view', step: 1 });
    expect(outputOf(await tutor.handle(learner, { type: 'line', text: RUN }))?.result.exitCode).toBe(0);
    const clash = await tutor.handle(learner, { type: 'line', text: RUN });
    expect(outputOf(clash)?.result.stderr).toMatch(/is already in use/);
    const labels = clash.blocks.flatMap((b) => (b.kind === 'choices' ? b.choices.map((c) => c.label) : []));
    expect(labels[0]).toBe('🧹 docker rm -f deep-dive-container');
    const removed = await tutor.handle(learner, { type: 'line', text: '1' });
    expect(outputOf(removed)?.result).toMatchObject({ stdout: 'deep-dive-container\n', exitCode: 0 });
    const again = await tutor.handle(learner, { type: 'line', text: RUN });
    expect(outputOf(again)?.result.exitCode).toBe(0);
    expect(textOf(again)).not.toMatch(/Persistence wins|You got there!|You didn't give up|Great recovery/);

    await tutor.handle(learner, { type: 'line', text: 'docker run -d --name bomb alpine true' });
    const stopped = await eventually(async () => {
      const reply = await tutor.handle(learner, { type: 'line', text: 'docker exec -it bomb sh' });
      return /is not running/.test(outputOf(reply)?.result.stderr ?? '') && reply;
    });
    expect(stopped.where).toEqual({ kind: 'sandbox' });
    expect(textOf(stopped).split('\n')[0]).toMatch(/`bomb` is not running/);
    expect(textOf(stopped)).not.toMatch(/-i\/-t/);
    await tutor.handle(learner, { type: 'line', text: 'docker rm -f deep-dive-container bomb' });
  }, 90_000);
});
