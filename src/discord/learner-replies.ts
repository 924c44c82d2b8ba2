// Replies as each learner wants them: short by default (the point first; background and tip behind a
// "More" button), or detailed (`/style detailed`). Shortening is pure; the store keeps what was left out
// for an hour, keyed by a random id the button carries, so the button needs no other state.

import { randomBytes } from 'node:crypto';
import type { Reply, TextRole } from '../tutor/reply.js';
import { encodeCustomId } from './custom-id.js';
import { buildMessage } from './format.js';
import { DISCORD_LIMITS } from './limits.js';
import { actionButton, actionRow, type ActionRowPayload, type DiscordMessagePayload } from './payload.js';
import { cleanTutorText, renderReply, splitText } from './render.js';
import type { DiscordStore, HiddenText, ReplyStyle } from './store.js';
import { TEXT } from './texts.js';

/** The parts of the seed's reply shape a short reply keeps behind "More". */
export const HIDDEN_WHEN_SHORT: ReadonlySet<TextRole> = new Set<TextRole>(['background', 'tip']);

/** The reply to show in a style, and the texts it leaves out (in their order). */
export function shortenReply(reply: Reply, style: ReplyStyle): { shown: Reply; hidden: string[] } {
  if (style === 'detailed') return { shown: reply, hidden: [] };
  const hidden: string[] = [];
  const blocks = reply.blocks.filter((block) => {
    const hide = block.kind === 'text' && block.role !== undefined && HIDDEN_WHEN_SHORT.has(block.role);
    if (hide) hidden.push(block.text);
    return !hide;
  });
  return { shown: { ...reply, blocks }, hidden };
}

/** The message parts that show a "More" button's hidden text: appended in place when it fits, else after. */
export function expandedMessage(current: string, hidden: HiddenText): { inPlace?: string; after: string[] } {
  const extra = hidden.texts.map(cleanTutorText).join('\n');
  const joined = current === '' ? extra : `${current}\n${extra}`;
  if (joined.length <= DISCORD_LIMITS.content) return { inPlace: joined, after: [] };
  return { after: splitText(extra, DISCORD_LIMITS.content) };
}

/** The button rows of a sent message (as API JSON) without one button; other components are dropped. */
export function rowsWithout(rows: readonly unknown[], customId: string): ActionRowPayload[] {
  const kept: ActionRowPayload[] = [];
  for (const row of rows) {
    if (!isRecord(row) || row['type'] !== 1 || !Array.isArray(row['components'])) continue;
    const buttons = row['components'].flatMap((c) => {
      if (!isRecord(c) || c['type'] !== 2 || typeof c['custom_id'] !== 'string' || c['custom_id'] === customId) return [];
      const style = c['style'];
      const label = typeof c['label'] === 'string' ? c['label'] : '…';
      return style === 1 || style === 2 || style === 3 || style === 4 ? [actionButton(c['custom_id'], label, style)] : [];
    });
    if (buttons.length > 0) kept.push(actionRow(buttons));
  }
  return kept;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Messages to add after a rendered reply (the team features' "Ask the team" offer). */
export type ReplyExtras = (reply: Reply, userId: string) => Promise<DiscordMessagePayload[]>;

export class LearnerReplies {
  constructor(
    private readonly store: DiscordStore,
    private readonly extras?: ReplyExtras,
  ) {}

  /** The reply as Discord payloads in the learner's style, with a "More" button when something was left out. */
  async render(reply: Reply, userId: string): Promise<DiscordMessagePayload[]> {
    const after = (await this.extras?.(reply, userId)) ?? [];
    const { shown, hidden } = shortenReply(reply, reply.style ?? 'short');
    if (hidden.length === 0) return [...renderReply(shown, { learnerUserId: userId }), ...after];
    const key = randomBytes(9).toString('base64url');
    await this.store.saveHidden(userId, key, { lang: reply.lang, texts: hidden });
    const more = { customId: encodeCustomId({ action: 'more', learnerId: userId, value: key }), label: TEXT.more(reply.lang) };
    return [...renderReply(shown, { learnerUserId: userId, more }), ...after];
  }

  /** What a "More" button stands for, as message parts; undefined once it has expired. */
  async expand(userId: string, key: string, current: string): Promise<{ inPlace?: string; after: DiscordMessagePayload[] } | undefined> {
    const hidden = await this.store.hidden(userId, key);
    if (!hidden) return undefined;
    const { inPlace, after } = expandedMessage(current, hidden);
    return { ...(inPlace !== undefined ? { inPlace } : {}), after: after.map((content) => buildMessage({ content })) };
  }
}
