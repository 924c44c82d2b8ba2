import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LESSONS_DIR } from '../../src/app.js';
import { loadCurriculum, type Curriculum, type Lang } from '../../src/lessons/index.js';
import { createRedis } from '../../src/store/redis.js';
import type { Reply } from '../../src/tutor/reply.js';
import { startPipeline, tutorOnPipeline, type Pipeline } from '../helpers/pipeline.js';
import { assertServices, integrationGate, removeAppContainers } from '../helpers/services.js';
import { outputOf, textOf } from './tutor-double.js';

const gate = await integrationGate();

/**
 * The seed's lesson 2 typed line after line, as a learner who never presses Next: real Redis, queue, lab
 * and host view. Each seed line keeps the learner where the seed means them to be.
 */
describe.runIf(gate.run)("the seed's lesson 2, typed without pressing Next", () => {
  let p: Pipeline;
  let curriculum: Curriculum;
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'producer');

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
    it(`${lang}: ps aux | grep after docker run runs on the host's view and finds the real PID; "done" then moves past the removed container`, async () => {
      const tutor = tutorOnPipeline(p, curriculum, redis, lang);
      const learner = `seed-typed-${lang}`;
      const type = async (text: string): Promise<Reply> => {
        const replies: Reply[] = [];
        await tutor.typed(learner, text, { onReply: (r) => void replies.push(r) });
        expect(replies).toHaveLength(1);
        return replies[0]!;
      };
      await tutor.handle(learner, { type: 'language', lang });
      await tutor.handle(learner, { type: 'start', lessonId: 'host-view' });
      await type('docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777');
      // A person reads the reply before typing on; right after the run only docker-init may have started.
      await new Promise((r) => setTimeout(r, 1500));

      const ps = await type('ps aux | grep "sleep 7777"');
      expect(outputOf(ps)?.where).toEqual({ kind: 'host' });
      expect(outputOf(ps)?.result.stdout).toMatch(/^\S+\s+\d+\s.*sleep 7777/m);
      expect(ps.where).toEqual({ kind: 'host' });
      expect((await tutor.whereIs(learner))?.state).toMatchObject({ stepIndex: 1, stepPassed: true });

      const id = await type("docker inspect -f '{{.Id}}' deep-dive-container");
      expect(outputOf(id)?.result.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
      expect((await tutor.whereIs(learner))?.state).toMatchObject({ stepIndex: 2, stepPassed: true });

      const limit = await type(`sudo cat /sys/fs/cgroup/system.slice/docker-${outputOf(id)!.result.stdout.trim()}.scope/memory.max`);
      expect(outputOf(limit)?.result.stdout.trim()).toBe('134217728');
      expect(textOf(limit)).not.toMatch(/No sudo|sudo は要らない/);

      await type('docker rm -f deep-dive-container');
      await type(lang === 'ja' ? 'うん、できた！' : 'yes, done!');
      // Step 4 reads from the sandbox, which needs no container: the learner is not sent back to a host step.
      const at = await tutor.whereIs(learner);
      expect(at?.state.stepIndex).toBe(3);
      expect(at?.step?.mode).not.toBe('lab');
    }, 90_000);
  }
});
