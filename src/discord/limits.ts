import { NO_MENTIONS, type ActionRowPayload, type DiscordMessagePayload, type EmbedPayload } from './payload.js';

// Lengths are counted in UTF-16 code units, which is never fewer than Discord's own count.
export const DISCORD_LIMITS = Object.freeze({
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooterText: 2048,
  embedAuthorName: 256,
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  filesPerMessage: 10,
  /** Discord's per-file upload limit for bots without boosts is 10 MiB; stay under it. */
  attachmentBytes: 8 * 1024 * 1024,
});

const ELLIPSIS = '…';
const FENCE = '```';

/** Cuts `text` to at most `max` code units, ending in an ellipsis when cut, never splitting a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return ELLIPSIS;
  return cutAtCodePoint(text, max - ELLIPSIS.length) + ELLIPSIS;
}

/** The longest prefix of `text` that is at most `max` code units and does not end inside a surrogate pair. */
export function cutAtCodePoint(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, Math.max(0, end));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Like truncateText, but closes a code block the cut left open so the rest of the message still renders. */
export function truncateMarkdown(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = truncateText(text, max);
  if (countFences(cut) % 2 === 0) return cut;
  const closing = `\n${FENCE}`;
  const shorter = truncateText(text, max - closing.length);
  return countFences(shorter) % 2 === 0 ? shorter : shorter + closing;
}

function countFences(text: string): number {
  return text.split(FENCE).length - 1;
}

export function embedTextLength(embed: EmbedPayload): number {
  const fieldsLength = (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    fieldsLength
  );
}

/** Every way `payload` breaks a Discord limit, in words; empty when Discord would accept it. */
export function findLimitViolations(payload: DiscordMessagePayload): string[] {
  const problems: string[] = [];
  const limit = DISCORD_LIMITS;
  const over = (what: string, actual: number, max: number): void => {
    if (actual > max) problems.push(`${what} is ${actual}, limit ${max}`);
  };
  if (payload.allowedMentions.parse.length !== 0) problems.push('allowedMentions must parse nothing');
  over('content length', payload.content?.length ?? 0, limit.content);
  const embeds = payload.embeds ?? [];
  over('embed count', embeds.length, limit.embedsPerMessage);
  embeds.forEach((embed, i) => problems.push(...findEmbedViolations(embed, `embed ${i}`)));
  over('total embed text', embeds.reduce((sum, embed) => sum + embedTextLength(embed), 0), limit.embedTotal);
  const rows = payload.components ?? [];
  over('action row count', rows.length, limit.actionRows);
  rows.forEach((row, i) => problems.push(...findRowViolations(row, `row ${i}`)));
  const files = payload.files ?? [];
  over('file count', files.length, limit.filesPerMessage);
  for (const file of files) over(`file ${file.name} bytes`, file.attachment.length, limit.attachmentBytes);
  if (!hasVisibleBody(payload)) problems.push('message has no content, embed, component or file');
  return problems;
}

function findEmbedViolations(embed: EmbedPayload, where: string): string[] {
  const problems: string[] = [];
  const limit = DISCORD_LIMITS;
  const over = (what: string, actual: number, max: number): void => {
    if (actual > max) problems.push(`${where} ${what} is ${actual}, limit ${max}`);
  };
  over('title', embed.title?.length ?? 0, limit.embedTitle);
  over('description', embed.description?.length ?? 0, limit.embedDescription);
  over('author name', embed.author?.name.length ?? 0, limit.embedAuthorName);
  over('footer', embed.footer?.text.length ?? 0, limit.embedFooterText);
  const fields = embed.fields ?? [];
  over('field count', fields.length, limit.embedFields);
  fields.forEach((field, i) => {
    over(`field ${i} name`, field.name.length, limit.embedFieldName);
    over(`field ${i} value`, field.value.length, limit.embedFieldValue);
    if (field.name.length === 0 || field.value.length === 0) problems.push(`${where} field ${i} is empty`);
  });
  return problems;
}

function findRowViolations(row: ActionRowPayload, where: string): string[] {
  const problems: string[] = [];
  const limit = DISCORD_LIMITS;
  if (row.components.length === 0) problems.push(`${where} has no buttons`);
  if (row.components.length > limit.buttonsPerRow) {
    problems.push(`${where} has ${row.components.length} buttons, limit ${limit.buttonsPerRow}`);
  }
  row.components.forEach((button, i) => {
    const label = button.label ?? '';
    if (label.length > limit.buttonLabel) problems.push(`${where} button ${i} label is ${label.length}, limit ${limit.buttonLabel}`);
    if (label.length === 0 && button.emoji === undefined) problems.push(`${where} button ${i} has neither label nor emoji`);
    if (button.style !== 5) {
      const length = button.custom_id.length;
      if (length === 0 || length > limit.customId) problems.push(`${where} button ${i} customId is ${length}, limit ${limit.customId}`);
    }
  });
  return problems;
}

function hasVisibleBody(payload: DiscordMessagePayload): boolean {
  return (
    (payload.content?.length ?? 0) > 0 ||
    (payload.embeds?.length ?? 0) > 0 ||
    (payload.components?.length ?? 0) > 0 ||
    (payload.files?.length ?? 0) > 0
  );
}

/**
 * Brings text, counts and sizes within Discord's limits: long text is cut with an ellipsis (code blocks
 * re-closed), extra embeds/fields/rows/buttons/files are dropped. Custom ids are not touched: one that is too
 * long is a bug, and findLimitViolations reports it. Always sets NO_MENTIONS.
 */
export function clampToDiscordLimits(payload: DiscordMessagePayload): DiscordMessagePayload {
  const limit = DISCORD_LIMITS;
  const clamped: DiscordMessagePayload = { allowedMentions: NO_MENTIONS };
  if (payload.content !== undefined) clamped.content = truncateMarkdown(payload.content, limit.content);
  if (payload.embeds !== undefined) clamped.embeds = clampEmbeds(payload.embeds);
  if (payload.components !== undefined) clamped.components = clampRows(payload.components);
  if (payload.files !== undefined) {
    clamped.files = payload.files
      .slice(0, limit.filesPerMessage)
      .map((file) => ({ ...file, attachment: file.attachment.subarray(0, limit.attachmentBytes) }));
  }
  return clamped;
}

/** Clamps each embed, then spends the 6000-character total first come, first served. */
function clampEmbeds(embeds: EmbedPayload[]): EmbedPayload[] {
  const budget = { left: DISCORD_LIMITS.embedTotal };
  const spend = (text: string, max: number, cutText = truncateText): string => {
    const cut = cutText(text, Math.min(max, budget.left));
    budget.left -= cut.length;
    return cut;
  };
  return embeds
    .slice(0, DISCORD_LIMITS.embedsPerMessage)
    .map((embed) => clampEmbed(embed, spend))
    .filter((embed) => embedTextLength(embed) > 0 || embed.url !== undefined);
}

type SpendBudget = (text: string, max: number, cutText?: (text: string, max: number) => string) => string;

function clampEmbed(embed: EmbedPayload, spend: SpendBudget): EmbedPayload {
  const limit = DISCORD_LIMITS;
  const { title, description, author, footer, fields, ...rest } = embed;
  const clamped: EmbedPayload = { ...rest };
  const clampedTitle = title === undefined ? '' : spend(title, limit.embedTitle);
  if (clampedTitle) clamped.title = clampedTitle;
  const authorName = author === undefined ? '' : spend(author.name, limit.embedAuthorName);
  if (author !== undefined && authorName) clamped.author = { ...author, name: authorName };
  const clampedDescription = description === undefined ? '' : spend(description, limit.embedDescription, truncateMarkdown);
  if (clampedDescription) clamped.description = clampedDescription;
  if (fields !== undefined) {
    clamped.fields = fields
      .slice(0, limit.embedFields)
      .map((field) => ({ ...field, name: spend(field.name, limit.embedFieldName), value: spend(field.value, limit.embedFieldValue) }))
      .filter((field) => field.name.length > 0 && field.value.length > 0);
  }
  const footerText = footer === undefined ? '' : spend(footer.text, limit.embedFooterText);
  if (footer !== undefined && footerText) clamped.footer = { ...footer, text: footerText };
  return clamped;
}

function clampRows(rows: ActionRowPayload[]): ActionRowPayload[] {
  return rows
    .slice(0, DISCORD_LIMITS.actionRows)
    .map((row) => ({
      ...row,
      components: row.components
        .slice(0, DISCORD_LIMITS.buttonsPerRow)
        .map((button) => (button.label === undefined ? button : { ...button, label: truncateText(button.label, DISCORD_LIMITS.buttonLabel) })),
    }))
    .filter((row) => row.components.length > 0);
}

/** Throws when the payload breaks a limit; for payloads built by code, where a violation is a bug. */
export function assertWithinDiscordLimits(payload: DiscordMessagePayload): DiscordMessagePayload {
  const problems = findLimitViolations(payload);
  if (problems.length > 0) throw new RangeError(`Discord message payload out of limits: ${problems.join('; ')}`);
  return payload;
}
