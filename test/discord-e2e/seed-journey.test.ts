// The seed's Phase 1 typed in a Discord thread exactly as the seed writes it, through the real discord.js
// client against the fake Discord: each command runs where it belongs and the reply explains the real value.

import { describe, expect, it } from 'vitest';
import type { RecordedCall } from '../fake-discord/fake-discord.js';
import { integrationGate } from '../helpers/services.js';
import { contentOf, e2eSuite, postsIn, startLesson, waitFor } from './harness.js';

const gate = await integrationGate();

describe.runIf(gate.run)('Discord: the seed typed as written', () => {
  const suite = e2eSuite(gate);
  const world = suite.world;

  it('runs, enters my-alpine, sees sleep 1000 as PID 1, leaves, and reads the 128m limit on the host view', async () => {
    const w = await world();
    const { fake } = w;
    const { threadId } = await startLesson(w);
    /** Types a line in the thread and waits for the bot's reply that matches. */
    const type = async (line: string, reply: RegExp): Promise<RecordedCall> => {
      const from = fake.calls.length;
      fake.message({ content: line, channelId: threadId });
      return waitFor(`a reply to ${line}`, () => postsIn(fake, threadId, from).find((c) => reply.test(contentOf(c))), 60_000);
    };
    await type('docker run -d --name my-alpine alpine sleep 1000', /[0-9a-f]{64}/);
    await type('docker exec -it my-alpine sh', /my-alpine/);
    const ps = await type('ps aux', /sleep 1000/);
    expect(contentOf(ps)).toMatch(/^\S+\s+1\s.*sleep 1000$/m);
    await type('exit', /サンドボックス/);
    await type('docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777', /[0-9a-f]{64}/);
    const idReply = await type("docker inspect -f '{{.Id}}' deep-dive-container", /cgroup/);
    const id = /\b([0-9a-f]{64})\b/.exec(contentOf(idReply))?.[1];
    expect(id).toBeDefined();
    const limit = await type(`sudo cat /sys/fs/cgroup/system.slice/docker-${id}.scope/memory.max`, /134217728/);
    expect(contentOf(limit)).toMatch(/128 × 1024 × 1024/);
    const mac = await type('docker run -it --rm --privileged --pid=host justincormack/nsenter1', /Docker Desktop/);
    expect(contentOf(mac)).not.toMatch(/```console/);
    await type('docker rm -f my-alpine deep-dive-container', /deep-dive-container/);
  }, 240_000);
});
