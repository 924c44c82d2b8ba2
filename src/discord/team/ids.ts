// Stateless custom ids of the team features' buttons and modals: `ct1:<action>:<parts…>`, at most 100
// characters, so they keep working after a restart. Board buttons anyone may press; the rest name their user.

import type { BoardPeriod } from '../../tutor/commands.js';
import { DISCORD_LIMITS } from '../limits.js';

export const TEAM_ID_PREFIX = 'ct1:';

/** "Ask the team" (opens the modal) and the modal itself: the draft of what the learner ran, named or not. */
export type AskId = { action: 'ask' | 'ask-modal'; userId: string; draft: string; named: boolean };
export type SolvedId = { action: 'solved'; userId: string; threadId: string };

export type TeamId = { action: 'board'; period: BoardPeriod; cohort?: string } | { action: 'remind'; userId: string; on: boolean } | AskId | SolvedId;

const PART = /^[A-Za-z0-9_-]{1,40}$/;
const SNOWFLAKE = /^\d{1,20}$/;

export function encodeTeamId(id: TeamId): string {
  const parts = ((): string[] => {
    switch (id.action) {
      case 'board':
        return ['board', id.period, ...(id.cohort ? [id.cohort] : [])];
      case 'remind':
        return ['remind', id.userId, id.on ? 'on' : 'off'];
      case 'ask':
      case 'ask-modal':
        return [id.action, id.userId, id.draft, id.named ? 'named' : 'anon'];
      case 'solved':
        return ['solved', id.userId, id.threadId];
    }
  })();
  const encoded = TEAM_ID_PREFIX + parts.join(':');
  if (encoded.length > DISCORD_LIMITS.customId || parts.slice(1).some((p) => !PART.test(p))) throw new RangeError(`bad team custom id: ${encoded}`);
  return encoded;
}

/** The id's meaning; undefined when it is not one of ours or is malformed. */
export function decodeTeamId(customId: string): TeamId | undefined {
  if (!customId.startsWith(TEAM_ID_PREFIX) || customId.length > DISCORD_LIMITS.customId) return undefined;
  const [action, a, b, c, ...extra] = customId.slice(TEAM_ID_PREFIX.length).split(':');
  if (extra.length > 0 || [a, b, c].some((p) => p !== undefined && !PART.test(p))) return undefined;
  switch (action) {
    case 'board':
      return a === 'week' || a === 'month' || a === 'all' ? { action, period: a, ...(b ? { cohort: b } : {}) } : undefined;
    case 'remind':
      return a && SNOWFLAKE.test(a) && (b === 'on' || b === 'off') && c === undefined ? { action, userId: a, on: b === 'on' } : undefined;
    case 'ask':
    case 'ask-modal':
      return a && SNOWFLAKE.test(a) && b && (c === 'named' || c === 'anon') ? { action, userId: a, draft: b, named: c === 'named' } : undefined;
    case 'solved':
      return a && SNOWFLAKE.test(a) && b && SNOWFLAKE.test(b) && c === undefined ? { action, userId: a, threadId: b } : undefined;
    default:
      return undefined;
  }
}
