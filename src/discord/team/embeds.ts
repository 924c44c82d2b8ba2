// Boards and digests as Discord embeds; the board carries its period buttons (stateless custom ids).

import { ButtonStyle } from 'discord.js';
import type { Lang } from '../../lessons/index.js';
import { boardSections, digestSections, type Sections } from '../../team/render.js';
import type { Period } from '../../team/time.js';
import type { BoardModel, DigestModel } from '../../team/views.js';
import { teamWords } from '../../team/words.js';
import { buildMessage } from '../format.js';
import { DISCORD_LIMITS, truncateMarkdown } from '../limits.js';
import { actionButton, actionRow, type DiscordMessagePayload, type EmbedPayload } from '../payload.js';
import { encodeTeamId } from './ids.js';

const BOARD_COLOR = 0x2496ed;
const DIGEST_COLOR = 0x43b581;
const PERIODS: readonly Period[] = ['week', 'month', 'all'];

function embedOf(s: Sections, color: number): EmbedPayload {
  return {
    title: truncateMarkdown(s.title, DISCORD_LIMITS.embedTitle),
    ...(s.description ? { description: s.description } : {}),
    color,
    fields: s.sections.map((x) => ({ name: truncateMarkdown(x.name, DISCORD_LIMITS.embedFieldName), value: truncateMarkdown(x.value, DISCORD_LIMITS.embedFieldValue) })),
    footer: { text: s.footer },
  };
}

export function boardPayload(model: BoardModel, lang: Lang): DiscordMessagePayload {
  const w = teamWords(lang);
  const buttons = PERIODS.map((period) =>
    actionButton(encodeTeamId({ action: 'board', period, ...(model.cohort ? { cohort: model.cohort.name } : {}) }), w.period[period], period === model.period ? ButtonStyle.Primary : ButtonStyle.Secondary),
  );
  return buildMessage({ embeds: [embedOf(boardSections(model, lang), BOARD_COLOR)], components: [actionRow(buttons)] });
}

export function digestPayload(model: DigestModel, lang: Lang): DiscordMessagePayload {
  return buildMessage({ embeds: [embedOf(digestSections(model, lang, (id) => `/lesson start id:${id}`), DIGEST_COLOR)] });
}
