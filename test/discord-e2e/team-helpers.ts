// What the team e2e suites share: a movable clock for the team features, the admin's command, and the text of
// the embeds a call posted.

import type { FakeDiscord, RecordedCall } from '../fake-discord/fake-discord.js';
import { isJsonObject, type JsonObject } from '../fake-discord/json.js';
import { subcommand } from './harness.js';

/** The team features' "now": real time unless a test moves it. */
export const teamClock = { now: undefined as number | undefined };
export const clockFn = () => teamClock.now ?? Date.now();

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Everything an embed in a recorded call says, as one string. */
export function embedText(call: RecordedCall): string {
  const embeds = isJsonObject(call.body) ? call.body['embeds'] : undefined;
  return JSON.stringify(Array.isArray(embeds) ? embeds : []);
}

/** A /sensei-admin subcommand from the server's owner. */
export const admin = (fake: FakeDiscord, name: string, options: JsonObject[] = [], locale = 'ja') => ({ name: 'sensei-admin', options: subcommand(name, options), origin: { userId: fake.ownerId, locale } });
