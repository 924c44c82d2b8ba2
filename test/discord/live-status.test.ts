import type { RepliableInteraction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { liveStatus, PlaceEditBudget, placeOf } from '../../src/discord/live-status.js';

describe('place-in-line edits for the whole bot', () => {
  it('shows places within the budget, skips the rest, and still shows where each command runs', async () => {
    const budget = new PlaceEditBudget(2);
    const shown: string[][] = [];
    const statuses = Array.from({ length: 4 }, () => {
      const edits: string[] = [];
      shown.push(edits);
      // Only editReply is used; a stand-in records what it would show.
      const interaction = { editReply: async (p: { content?: string }) => void edits.push(p.content ?? '') } as unknown as RepliableInteraction;
      return liveStatus(interaction, 'en', placeOf(undefined), () => false, budget);
    });
    statuses.forEach((status, k) => status.onProgress({ stage: 'queued', position: k + 3 }));
    for (const status of statuses) status.onProgress({ stage: 'started' });
    await Promise.all(statuses.map((s) => s.settled()));
    expect(shown.map((edits) => edits.length)).toEqual([2, 2, 1, 1]);
    expect(shown.every((edits) => /Running/.test(edits.at(-1)!))).toBe(true);
  });

  it('refills with time', async () => {
    const budget = new PlaceEditBudget(20);
    expect(Array.from({ length: 25 }, () => budget.take()).filter(Boolean)).toHaveLength(20);
    await new Promise((r) => setTimeout(r, 120));
    expect(budget.take()).toBe(true);
  });
});
