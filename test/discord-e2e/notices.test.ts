// A notice nobody asked for (the learner's lab was lost with its engine) reaches them in Discord: in their
// lesson thread when they have one, else in a DM.
import { describe, expect, it } from 'vitest';
import { learnerIdFor } from '../../src/discord/router.js';
import { integrationGate } from '../helpers/services.js';
import { contentOf, e2eSuite, startLesson } from './harness.js';

const gate = await integrationGate();

describe.runIf(gate.run)('notices to a learner', () => {
  const suite = e2eSuite(gate);

  it('go to their lesson thread, or to a DM when they have none', async () => {
    const w = await suite.world({ learners: [{ username: 'with-thread' }, { username: 'no-thread' }] });
    const { fake } = w;
    const [withThread, noThread] = fake.learnerIds as [string, string];
    const { threadId } = await startLesson(w, withThread);
    const { tutor } = suite.services.app;
    await tutor.handle(learnerIdFor(noThread), { type: 'hello' });

    const lost = await tutor.labLost(learnerIdFor(withThread));
    expect(await w.bot.tell(learnerIdFor(withThread), lost!)).toBe(true);
    const inThread = fake.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${threadId}/messages`).map(contentOf);
    expect(inThread.some((text) => text.includes('ラボのコンテナが動いていたマシン'))).toBe(true);

    const before = fake.calls.length;
    expect(await w.bot.tell(learnerIdFor(noThread), (await tutor.labLost(learnerIdFor(noThread)))!)).toBe(true);
    const opened = fake.calls.slice(before).find((c) => c.method === 'POST' && c.path === '/users/@me/channels');
    expect(opened).toBeDefined();
    const dmId = (opened!.response as { id: string }).id;
    expect(fake.calls.slice(before).some((c) => c.path === `/channels/${dmId}/messages` && contentOf(c).includes('docker run'))).toBe(true);

    // Someone of another transport is not Discord's to tell; someone the tutor never met has nothing to hear.
    expect(await w.bot.tell('console-alice', lost!)).toBe(false);
    expect(await tutor.labLost('discord-0000000')).toBeUndefined();
  }, 120_000);
});
