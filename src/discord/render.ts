// Turns the tutor's Reply into Discord message payloads: text as content (split under 2000 characters),
// commands as code blocks, real output through renderOutputForDiscord (attachments when needed), choices as
// buttons only the learner may press, progress as bars. Pure; every payload goes through buildMessage.

import type { Block, Choice, Reply } from '../tutor/reply.js';
import { escapeMentions, stripBidiControls, stripTerminalControls } from '../text/sanitize.js';
import { customIdForChoice } from './custom-id.js';
import { buildMessage, codeBlock, renderOutputForDiscord } from './format.js';
import { DISCORD_LIMITS, cutAtCodePoint, truncateMarkdown } from './limits.js';
import { actionButton, actionRow, BUTTON_STYLE, type ActionButtonPayload, type ActionRowPayload, type DiscordMessagePayload, type FilePayload } from './payload.js';

export interface RenderReplyOptions {
  /** The Discord user the reply is for: its buttons carry this id, so only they can press them. */
  learnerUserId: string;
  /** A "More" button after the choices, for what a short reply left out. */
  more?: { customId: string; label: string };
}

/** A unit of content that stays in one message, with the files that belong to it. */
interface Piece {
  text: string;
  files: FilePayload[];
}

const BAR_WIDTH = 10;

/** One or more payloads, in order; the buttons ride on the last one. Never empty. */
export function renderReply(reply: Reply, opts: RenderReplyOptions): DiscordMessagePayload[] {
  const pieces: Piece[] = [];
  const choices: Choice[] = [];
  for (const block of reply.blocks) {
    if (block.kind === 'choices') choices.push(...block.choices);
    else pieces.push(...piecesOf(block, reply.lang));
  }
  const messages = packPieces(pieces);
  const components = choiceRows(choices, opts.learnerUserId, opts.more);
  if (components.length > 0) {
    const last = messages.at(-1);
    if (last) last.components = components;
    else messages.push({ text: '', files: [], components });
  }
  if (messages.length === 0) messages.push({ text: '…', files: [] });
  return messages.map((m) =>
    buildMessage({
      ...(m.text !== '' ? { content: m.text } : {}),
      ...(m.files.length > 0 ? { files: m.files } : {}),
      ...(m.components ? { components: m.components } : {}),
    }),
  );
}

/** Tutor text may quote what a learner typed: no pings, no reordering, no terminal controls. */
export function cleanTutorText(text: string): string {
  return escapeMentions(stripBidiControls(stripTerminalControls(text)));
}

function piecesOf(block: Exclude<Block, { kind: 'choices' }>, lang: Reply['lang']): Piece[] {
  switch (block.kind) {
    case 'text':
      return splitText(cleanTutorText(block.text), DISCORD_LIMITS.content).map((text) => ({ text, files: [] }));
    case 'command':
      return [{ text: truncateMarkdown(codeBlock(escapeMentions(block.command), block.where.kind === 'own-machine' && block.where.platform === 'windows' ? 'powershell' : 'sh'), DISCORD_LIMITS.content), files: [] }];
    case 'output': {
      const rendered = renderOutputForDiscord(block.result, { lang });
      const prompt = truncateMarkdown(codeBlock(`$ ${escapeMentions(block.command)}`, 'console'), DISCORD_LIMITS.content);
      // The output stays whole (with its files); the prompt goes before it, in the same message when both fit.
      if (prompt.length + 1 + rendered.content.length <= DISCORD_LIMITS.content) {
        return [{ text: `${prompt}\n${rendered.content}`, files: rendered.files }];
      }
      return [{ text: prompt, files: [] }, { text: rendered.content, files: rendered.files }];
    }
    case 'progress':
      return [{ text: `${cleanTutorText(block.label)}\n${progressBar(block.done, block.total)}`, files: [] }];
  }
}

export function progressBar(done: number, total: number): string {
  const safeTotal = Math.max(0, total);
  const safeDone = Math.min(Math.max(0, done), safeTotal);
  const filled = safeTotal === 0 ? 0 : Math.round((safeDone / safeTotal) * BAR_WIDTH);
  return `\`${'▰'.repeat(filled)}${'▱'.repeat(BAR_WIDTH - filled)}\` ${safeDone}/${safeTotal}`;
}

/** Splits at line breaks (then anywhere) so each part is at most `max` characters. */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return text === '' ? [] : [text];
  const parts: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > max) {
      if (current !== '') {
        parts.push(current);
        current = '';
      }
      const head = cutAtCodePoint(rest, max);
      parts.push(head);
      rest = rest.slice(head.length);
    }
    const joined = current === '' ? rest : `${current}\n${rest}`;
    if (joined.length > max) {
      parts.push(current);
      current = rest;
    } else {
      current = joined;
    }
  }
  if (current !== '') parts.push(current);
  return parts;
}

interface Packed {
  text: string;
  files: FilePayload[];
  components?: ActionRowPayload[];
}

function packPieces(pieces: readonly Piece[]): Packed[] {
  const messages: Packed[] = [];
  for (const piece of pieces) {
    const last = messages.at(-1);
    const fits =
      last !== undefined &&
      last.text.length + 1 + piece.text.length <= DISCORD_LIMITS.content &&
      last.files.length + piece.files.length <= DISCORD_LIMITS.filesPerMessage;
    if (last && fits) {
      last.text = `${last.text}\n${piece.text}`;
      last.files.push(...piece.files);
    } else {
      messages.push({ text: piece.text, files: [...piece.files] });
    }
  }
  return messages;
}

function choiceRows(choices: readonly Choice[], learnerUserId: string, more?: RenderReplyOptions['more']): ActionRowPayload[] {
  const buttons: ActionButtonPayload[] = [];
  const seen = new Set<string>();
  const room = DISCORD_LIMITS.actionRows * DISCORD_LIMITS.buttonsPerRow - (more ? 1 : 0);
  for (const choice of choices) {
    let customId: string;
    try {
      customId = customIdForChoice(learnerUserId, choice.action);
    } catch {
      continue; // An id that cannot travel in a button (too long, odd characters) is left out, not sent broken.
    }
    // Discord refuses a message with two components of the same id.
    if (seen.has(customId)) continue;
    seen.add(customId);
    const label = cleanTutorText(choice.label).trim() || '…';
    const style = choice.action.type === 'run-step' || choice.action.type === 'next' ? BUTTON_STYLE.primary : BUTTON_STYLE.secondary;
    buttons.push(actionButton(customId, label, style));
    if (buttons.length === room) break;
  }
  if (more) buttons.push(actionButton(more.customId, more.label, BUTTON_STYLE.secondary));
  const rows: ActionRowPayload[] = [];
  for (let i = 0; i < buttons.length; i += DISCORD_LIMITS.buttonsPerRow) rows.push(actionRow(buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow)));
  return rows;
}
