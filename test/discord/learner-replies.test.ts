// Short replies, the "More" button, the live status and the typing switch: the pure parts of the Discord
// adapter's conversation, without Discord.

import type { RepliableInteraction } from 'discord.js';
import { describe, expect, it, vi } from 'vitest';
import { discordCommandNames } from '../../src/discord/command-names.js';
import { buttonIntent, decodeCustomId, encodeCustomId } from '../../src/discord/custom-id.js';
import { expandedMessage, rowsWithout, shortenReply } from '../../src/discord/learner-replies.js';
import { liveStatus, placeOf } from '../../src/discord/live-status.js';
import { reachedUsEmpty } from '../../src/discord/messages.js';
import { actionButton, actionRow, type ActionButtonPayload } from '../../src/discord/payload.js';
import { renderReply } from '../../src/discord/render.js';
import type { RunResult } from '../../src/sandbox/types.js';
import type { Reply } from '../../src/tutor/reply.js';

const userId = '123456789012345678';

const run: RunResult = { stdout: '1 root sleep 1000\n', stderr: '', exitCode: 0, timedOut: false, oomKilled: false, truncated: false, durationMs: 9 } as RunResult;

const result: Reply = {
  lang: 'en',
  blocks: [
    { kind: 'output', command: 'ps aux', result: run, where: { kind: 'sandbox', mode: 'session' } },
    { kind: 'text', text: 'PID 1 is sleep 1000: the command you gave.', role: 'explanation' },
    { kind: 'text', text: 'Seen from the host it has a PID in the thousands.', role: 'background' },
    { kind: 'text', text: '💡 Use --init for a tiny PID 1.', role: 'tip' },
    { kind: 'text', text: 'What was PID 1 on your machine?', role: 'question' },
    { kind: 'choices', choices: [{ label: 'Next step', action: { type: 'next' } }] },
  ],
};

describe('short replies', () => {
  it('keep background and tip back, in order, and show everything when detailed', () => {
    const { shown, hidden } = shortenReply(result, 'short');
    expect(hidden).toEqual(['Seen from the host it has a PID in the thousands.', '💡 Use --init for a tiny PID 1.']);
    expect(shown.blocks.map((b) => (b.kind === 'text' ? b.role : b.kind))).toEqual(['output', 'explanation', 'question', 'choices']);
    expect(shortenReply(result, 'detailed')).toEqual({ shown: result, hidden: [] });
    expect(shortenReply({ lang: 'ja', blocks: [{ kind: 'text', text: 'やあ', role: 'point' }] }, 'short').hidden).toEqual([]);
  });

  it('put a More button after the choices, whose id names the learner and the stored text', () => {
    const more = { customId: encodeCustomId({ action: 'more', learnerId: userId, value: 'k3y_-AbC' }), label: 'More' };
    const [message] = renderReply(shortenReply(result, 'short').shown, { learnerUserId: userId, more });
    const buttons = (message?.components ?? []).flatMap((row) => row.components) as ActionButtonPayload[];
    expect(buttons.map((b) => b.label)).toEqual(['Next step', 'More']);
    expect(message?.content).not.toContain('thousands');
    const decoded = decodeCustomId(buttons[1]!.custom_id);
    expect(decoded.ok && decoded.data.learnerId).toBe(userId);
    expect(decoded.ok && buttonIntent(decoded.data)).toEqual({ kind: 'more', key: 'k3y_-AbC' });
    // Without a key it is the tutor's own More (the console's and any transport's that lets the core shorten).
    expect(buttonIntent({ action: 'more', learnerId: userId })).toEqual({ kind: 'choice', action: { type: 'more' } });
  });

  it('a pressed More adds the hidden text in place when it fits, else after the message', () => {
    const hidden = { lang: 'en' as const, texts: ['Background <@123>.', '💡 Tip.'] };
    expect(expandedMessage('The point.', hidden)).toEqual({ inPlace: 'The point.\nBackground <\u200B@123>.\n💡 Tip.', after: [] });
    const full = 'x'.repeat(1990);
    expect(expandedMessage(full, hidden)).toEqual({ after: ['Background <\u200B@123>.\n💡 Tip.'] });
  });

  it('a pressed More leaves the other buttons of its message', () => {
    const rows = [actionRow([actionButton('cs1:next:1', 'Next step', 1), actionButton('cs1:more:1:::k', 'More')])];
    expect(rowsWithout(rows, 'cs1:more:1:::k')).toEqual([actionRow([actionButton('cs1:next:1', 'Next step', 1)])]);
    expect(rowsWithout([actionRow([actionButton('cs1:more:1:::k', 'More')])], 'cs1:more:1:::k')).toEqual([]);
  });
});

describe('live status of a run', () => {
  function recorder(): { edits: string[]; interaction: RepliableInteraction } {
    const edits: string[] = [];
    // Only editReply is used; a stand-in records what it would show.
    const interaction = { editReply: async (p: { content?: string }) => void edits.push(p.content ?? '') } as unknown as RepliableInteraction;
    return { edits, interaction };
  }

  it('shows a place in line only when someone is ahead, then where the command runs', async () => {
    const { edits, interaction } = recorder();
    const status = liveStatus(interaction, 'en', placeOf({ kind: 'host' }), () => false, undefined, 0);
    status.onProgress({ stage: 'queued', position: 1 });
    status.onProgress({ stage: 'started' });
    await vi.waitFor(() => expect(edits).toHaveLength(1));
    await status.settled();
    expect(edits).toEqual(["▶️ Running on the host's view…"]);

    const other = recorder();
    const waiting = liveStatus(other.interaction, 'ja', placeOf(undefined), () => false, undefined, 0);
    waiting.onProgress({ stage: 'queued', position: 3 });
    waiting.onProgress({ stage: 'started' }, { kind: 'container', name: 'my-alpine' });
    await vi.waitFor(() => expect(other.edits).toHaveLength(2));
    await waiting.settled();
    expect(other.edits).toEqual(['⏳ 順番待ちです（前に 2 件）…', '▶️ コンテナ my-alpine の中で実行中です…']);
    expect(placeOf({ kind: 'container', name: 'web' })).toEqual({ kind: 'container', name: 'web' });
  });
});

describe('typing on Discord', () => {
  it('names /run in the tutor’s sentences once typed messages turn out not to reach the bot', () => {
    const names = discordCommandNames(true);
    expect({ ...names }.run).toBe('$ ');
    names.canType = false;
    expect({ ...names }).toMatchObject({ run: '/run command:', canType: false, lessons: '/lesson list' });
  });

  it('tells an empty message (no Message Content intent) from a file, sticker or forward alone', () => {
    const none = { size: 0 };
    const empty = { content: '', attachments: none, stickers: none, embeds: [], poll: null, messageSnapshots: none };
    expect(reachedUsEmpty(empty as never)).toBe(true);
    expect(reachedUsEmpty({ ...empty, attachments: { size: 1 } } as never)).toBe(false);
    expect(reachedUsEmpty({ ...empty, stickers: { size: 1 } } as never)).toBe(false);
    expect(reachedUsEmpty({ ...empty, messageSnapshots: { size: 1 } } as never)).toBe(false);
    expect(reachedUsEmpty({ ...empty, content: 'ps aux' } as never)).toBe(false);
  });
});
