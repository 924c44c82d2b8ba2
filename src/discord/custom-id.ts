// Stateless button custom ids: everything a handler needs is in the id itself, so buttons keep working
// after a restart. Format: `cs1:<action>:<learnerId>[:<lessonId>[:<stepId>[:<value>]]]`, at most 100 chars.

import { z } from 'zod';
import type { ChoiceAction } from '../tutor/reply.js';
import { DISCORD_LIMITS } from './limits.js';

export const CUSTOM_ID_VERSION_PREFIX = 'cs1:';

/**
 * run/hint/next/platform/start/quiz stand for the tutor's choices; forget/keep answer the /forget question;
 * more shows what a short reply left out (its key in the value slot); line answers "run it or was it chat";
 * place moves to the host's view or back.
 */
export const CUSTOM_ID_ACTIONS = ['run', 'hint', 'next', 'platform', 'start', 'quiz', 'forget', 'keep', 'more', 'line', 'place', 'card', 'trycard', 'rate'] as const;
export type CustomIdAction = (typeof CUSTOM_ID_ACTIONS)[number];

const SEPARATOR = ':';
const idPart = z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, underscore or hyphen').max(48);

export const customIdDataSchema = z.strictObject({
  action: z.enum(CUSTOM_ID_ACTIONS),
  /** A Discord user id (snowflake): only this learner may press the button. */
  learnerId: z.string().regex(/^\d{1,20}$/, 'a Discord user id'),
  lessonId: idPart.optional(),
  stepId: idPart.optional(),
  /** Free slot for the action, e.g. a platform name such as `linux/arm64`. */
  value: z
    .string()
    .regex(/^[A-Za-z0-9._~/+=-]+$/, 'letters, digits or . _ ~ / + = -')
    .max(64)
    .optional(),
});

export type CustomIdData = z.infer<typeof customIdDataSchema>;

export type DecodedCustomId =
  | { ok: true; data: CustomIdData }
  /** notOurs: another bot's or feature's id; otherVersion: an older `csN:` id; malformed: ours but broken. */
  | { ok: false; reason: 'notOurs' | 'otherVersion' | 'malformed' };

/** Throws when the data is invalid or the id would pass 100 characters: both are bugs in the caller. */
export function encodeCustomId(data: CustomIdData): string {
  const valid = customIdDataSchema.parse(data);
  const parts = [valid.action, valid.learnerId, valid.lessonId ?? '', valid.stepId ?? '', valid.value ?? ''];
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  const customId = CUSTOM_ID_VERSION_PREFIX + parts.join(SEPARATOR);
  if (customId.length > DISCORD_LIMITS.customId) {
    throw new RangeError(`custom id is ${customId.length} characters, limit ${DISCORD_LIMITS.customId}: ${customId}`);
  }
  return customId;
}

export function decodeCustomId(customId: string): DecodedCustomId {
  if (!customId.startsWith(CUSTOM_ID_VERSION_PREFIX)) {
    return { ok: false, reason: /^cs\d+:/.test(customId) ? 'otherVersion' : 'notOurs' };
  }
  if (customId.length > DISCORD_LIMITS.customId) return { ok: false, reason: 'malformed' };
  const parts = customId.slice(CUSTOM_ID_VERSION_PREFIX.length).split(SEPARATOR);
  if (parts.length < 2 || parts.length > 5) return { ok: false, reason: 'malformed' };
  const [action, learnerId, lessonId, stepId, value] = parts;
  const parsed = customIdDataSchema.safeParse({
    action,
    learnerId,
    lessonId: emptyToUndefined(lessonId),
    stepId: emptyToUndefined(stepId),
    value: emptyToUndefined(value),
  });
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, reason: 'malformed' };
}

function emptyToUndefined(part: string | undefined): string | undefined {
  return part === '' ? undefined : part;
}

const PLATFORMS = ['linux', 'mac', 'windows'] as const;

/** What a pressed button asks for, once its id is decoded. */
export type ButtonIntent =
  | { kind: 'choice'; action: ChoiceAction }
  | { kind: 'forget-confirm' }
  | { kind: 'forget-cancel' }
  | { kind: 'more'; key: string };

/**
 * The id of a button standing for a tutor choice, pressable by `learnerId` only. A quiz's question id
 * travels in the step slot and the choice number in the value slot. Throws like encodeCustomId.
 */
export function customIdForChoice(learnerId: string, action: ChoiceAction): string {
  const slotsOf = CHOICE_SLOTS[action.type] as (a: ChoiceAction) => ChoiceSlots;
  return encodeCustomId({ ...slotsOf(action), learnerId });
}

type ChoiceSlots = Omit<CustomIdData, 'learnerId'>;
/** Which id action each choice becomes, and which of its fields go in which slot. */
const CHOICE_SLOTS: { [T in ChoiceAction['type']]: (a: Extract<ChoiceAction, { type: T }>) => ChoiceSlots } = {
  'run-step': () => ({ action: 'run' }),
  start: (a) => ({ action: 'start', lessonId: a.lessonId }),
  hint: () => ({ action: 'hint' }),
  quiz: (a) => ({ action: 'quiz', stepId: a.questionId, value: String(a.choice) }),
  next: () => ({ action: 'next' }),
  line: (a) => ({ action: 'line', value: a.run ? 'run' : 'chat' }),
  more: () => ({ action: 'more' }),
  platform: (a) => ({ action: 'platform', value: a.platform }),
  rate: (a) => ({ action: 'rate', stepId: a.vote, value: a.cardId }),
  place: (a) => ({ action: 'place', value: a.place }),
  card: (a) => ({ action: 'card', value: a.cardId }),
  'try-card': (a) => ({ action: 'trycard', value: a.cardId }),
};

/** The intent of a decoded id; undefined when the id lacks what its action needs (a forged or stale id). */
export function buttonIntent(data: CustomIdData): ButtonIntent | undefined {
  switch (data.action) {
    case 'run':
      return { kind: 'choice', action: { type: 'run-step' } };
    case 'hint':
      return { kind: 'choice', action: { type: 'hint' } };
    case 'next':
      return { kind: 'choice', action: { type: 'next' } };
    case 'start':
      return data.lessonId === undefined ? undefined : { kind: 'choice', action: { type: 'start', lessonId: data.lessonId } };
    case 'platform': {
      const platform = PLATFORMS.find((p) => p === data.value);
      return platform === undefined ? undefined : { kind: 'choice', action: { type: 'platform', platform } };
    }
    case 'quiz': {
      const choice = Number(data.value);
      if (data.stepId === undefined || !/^\d{1,2}$/.test(data.value ?? '')) return undefined;
      return { kind: 'choice', action: { type: 'quiz', questionId: data.stepId, choice } };
    }
    case 'line':
      return data.value === 'run' || data.value === 'chat' ? { kind: 'choice', action: { type: 'line', run: data.value === 'run' } } : undefined;
    case 'more':
      // With a key: the Discord renderer's own "More" (the text kept for that message); without: the tutor's.
      return data.value === undefined ? { kind: 'choice', action: { type: 'more' } } : { kind: 'more', key: data.value };
    case 'place':
      return data.value === 'host' || data.value === 'sandbox' ? { kind: 'choice', action: { type: 'place', place: data.value } } : undefined;
    case 'card':
      return data.value === undefined ? undefined : { kind: 'choice', action: { type: 'card', cardId: data.value } };
    case 'trycard':
      return data.value === undefined ? undefined : { kind: 'choice', action: { type: 'try-card', cardId: data.value } };
    case 'rate':
      return data.value === undefined || (data.stepId !== 'up' && data.stepId !== 'down') ? undefined : { kind: 'choice', action: { type: 'rate', cardId: data.value, vote: data.stepId } };
    case 'forget':
      return { kind: 'forget-confirm' };
    case 'keep':
      return { kind: 'forget-cancel' };
  }
}
