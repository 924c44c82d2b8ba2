// A server's team settings as the admins set them, read from a Redis hash with defaults that work untouched.

import { z } from 'zod';
import type { Lang } from '../lessons/index.js';
import { DEFAULT_TIME_ZONE, isTimeZone } from './time.js';

const snowflake = z.string().regex(/^\d{1,20}$/);
const optionalInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max).optional().catch(undefined);

const settingsSchema = z.object({
  tz: z.string().refine(isTimeZone).catch(DEFAULT_TIME_ZONE).default(DEFAULT_TIME_ZONE),
  /** The language of server-wide posts (board, digest, help cards); unset: the server's own locale. */
  lang: z.enum(['ja', 'en']).optional().catch(undefined),
  boards: z.enum(['on', 'off']).catch('on').default('on'),
  digestChannel: snowflake.optional().catch(undefined),
  /** 1 = Monday … 7 = Sunday. */
  digestWeekday: optionalInt(1, 7),
  digestHour: optionalInt(0, 23),
  digestMonthly: z.enum(['on', 'off']).catch('off').default('off'),
  helpChannel: snowflake.optional().catch(undefined),
  exportRole: snowflake.optional().catch(undefined),
  /** Random per server: anonymous ids in exports cannot be turned back into user ids without it. */
  salt: z.string().optional(),
});

export type TeamSettings = z.infer<typeof settingsSchema>;
export type SettingName = keyof TeamSettings;

export function parseSettings(raw: Record<string, string>): TeamSettings {
  return settingsSchema.parse(raw);
}

export interface DigestSchedule {
  channelId: string;
  weekday: number;
  hour: number;
  monthly: boolean;
}

/** The digest schedule, when the admins have set one completely. */
export function digestSchedule(s: TeamSettings): DigestSchedule | undefined {
  if (!s.digestChannel || s.digestWeekday === undefined || s.digestHour === undefined) return undefined;
  return { channelId: s.digestChannel, weekday: s.digestWeekday, hour: s.digestHour, monthly: s.digestMonthly === 'on' };
}

/** The language of posts everyone in the server sees. */
export function serverLang(s: TeamSettings, fallback: Lang): Lang {
  return s.lang ?? fallback;
}
