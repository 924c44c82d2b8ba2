import type { RepliableInteraction } from 'discord.js';
import { describe, expect, it, vi } from 'vitest';
import { liveStatus, PlaceEditBudget, placeOf } from '../../src/discord/live-status.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stand-in for the interaction (only editReply is used): records what it shows, each edit taking `editMs`. */
function recorder(editMs = 0): { edits: string[]; maxInFlight: () => number; interaction: RepliableInteraction } {
  const edits: string[] = [];
  let inFlight = 0;
  let most = 0;
  const editReply = async (p: { content?: string }) => {
    most = Math.max(most, ++inFlight);
    await sleep(editMs);
    inFlight -= 1;
    edits.push(p.content ?? '');
  };
  return { edits, maxInFlight: () => most, interaction: { editReply } as unknown as RepliableInteraction };
}

describe('place-in-line edits for the whole bot', () => {
  it('shows places within the budget, skips the rest, and still shows where each command runs', async () => {
    const budget = new PlaceEditBudget(2);
    const recorders = Array.from({ length: 4 }, () => recorder());
    const statuses = recorders.map(({ interaction }) => liveStatus(interaction, 'en', placeOf(undefined), () => false, budget, 0));
    statuses.forEach((status, k) => status.onProgress({ stage: 'queued', position: k + 3 }));
    for (const status of statuses) status.onProgress({ stage: 'started' });
    await vi.waitFor(() => expect(recorders.map(({ edits }) => edits.length)).toEqual([2, 2, 1, 1]));
    await Promise.all(statuses.map((s) => s.settled()));
    expect(recorders.every(({ edits }) => /Running/.test(edits.at(-1)!))).toBe(true);
  });

  it('refills with time', async () => {
    const budget = new PlaceEditBudget(20);
    expect(Array.from({ length: 25 }, () => budget.take()).filter(Boolean)).toHaveLength(20);
    await new Promise((r) => setTimeout(r, 120));
    expect(budget.take()).toBe(true);
  });
});

describe('status edits of one run', () => {
  it('shows nothing for a command whose result comes within the grace: the result replaces it', async () => {
    const { edits, interaction } = recorder();
    const status = liveStatus(interaction, 'en', placeOf(undefined), () => false, undefined, 200);
    status.onProgress({ stage: 'queued', position: 4 });
    status.onProgress({ stage: 'started' });
    await sleep(50);
    await status.settled();
    await sleep(250);
    expect(edits).toEqual([]);
  });

  it('shows the latest status once the command has taken the grace', async () => {
    const { edits, interaction } = recorder();
    const status = liveStatus(interaction, 'en', placeOf({ kind: 'host' }), () => false, undefined, 60);
    status.onProgress({ stage: 'queued', position: 4 });
    status.onProgress({ stage: 'started' });
    await sleep(20);
    expect(edits).toEqual([]);
    await vi.waitFor(() => expect(edits).toEqual(["▶️ Running on the host's view…"]));
    await status.settled();
  });

  it('keeps one edit in flight, sends only the newest status after it, and the result waits for it', async () => {
    const { edits, interaction, maxInFlight } = recorder(80);
    const status = liveStatus(interaction, 'en', placeOf(undefined), () => false, undefined, 0);
    status.onProgress({ stage: 'queued', position: 5 });
    status.onProgress({ stage: 'started' }, { kind: 'container', name: 'a' });
    status.onProgress({ stage: 'started' }, { kind: 'container', name: 'b' });
    await vi.waitFor(() => expect(edits).toHaveLength(2));
    expect(edits[0]).toMatch(/4/);
    expect(edits[1]).toMatch(/\bb\b/);
    expect(maxInFlight()).toBe(1);

    // The result is ready while a status edit is in flight: a newer status is dropped, the edit is waited for.
    const slow = recorder(80);
    const again = liveStatus(slow.interaction, 'en', placeOf(undefined), () => false, undefined, 0);
    again.onProgress({ stage: 'queued', position: 3 });
    again.onProgress({ stage: 'started' });
    await again.settled();
    expect(slow.edits).toHaveLength(1);
    await sleep(120);
    expect(slow.edits).toHaveLength(1);
  });

  it('sends nothing once the interaction token has expired', async () => {
    const { edits, interaction } = recorder();
    const status = liveStatus(interaction, 'en', placeOf(undefined), () => true, undefined, 0);
    status.onProgress({ stage: 'started' });
    await sleep(20);
    await status.settled();
    expect(edits).toEqual([]);
  });
});
