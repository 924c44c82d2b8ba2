// Interaction webhooks (editing a deferred reply, follow-ups) are not paced under the bot's 50 requests a second,
// as Discord does not count them; bot-authenticated requests still are. The real discord.js Client, fake Discord.

import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, RESTEvents, Routes, type RateLimitData } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { exemptInteractionWebhooks } from '../../src/discord/rest-pacing.js';
import { startFakeDiscord } from '../fake-discord/fake-discord.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function connected(exempt: boolean): Promise<{ client: Client<true>; appId: string; tokens: string[] }> {
  const fake = await startFakeDiscord();
  cleanups.push(() => fake.close());
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
  if (exempt) exemptInteractionWebhooks(client);
  cleanups.push(() => client.destroy());
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  if (!client.isReady()) throw new Error('client not ready');
  // A learner each: one interaction's edits go one after another anyway.
  const tokens = Array.from({ length: 120 }, () => fake.interaction({ kind: 'command', name: 'progress' }).token);
  return { client, appId: fake.appId, tokens };
}

/** Makes `n` requests at once and counts how often the client held one back for its global limit (50 a second). */
async function globalWaits(client: Client, n: number, request: (k: number) => Promise<unknown>): Promise<number> {
  let waits = 0;
  const onLimited = (info: RateLimitData) => void (info.global && (waits += 1));
  client.rest.on(RESTEvents.RateLimited, onLimited);
  // Answered with an error or not, every request counted against the limit when it was made.
  await Promise.allSettled(Array.from({ length: n }, (_, k) => request(k)));
  client.rest.off(RESTEvents.RateLimited, onLimited);
  return waits;
}

describe('REST pacing', () => {
  it('sends the replies of 120 interactions at once, not 50 a second', async () => {
    const { client, appId, tokens } = await connected(true);
    const edit = (k: number) => client.rest.patch(Routes.webhookMessage(appId, tokens[k]!), { auth: false, body: { content: 'done' } });
    expect(await globalWaits(client, 120, edit)).toBe(0);
    // Bot-authenticated requests stay under the limit.
    expect(await globalWaits(client, 60, () => client.rest.get(Routes.user('@me')))).toBeGreaterThan(0);
  }, 20_000);

  it('without the exemption, @discordjs/rest holds interaction replies back past 50 a second', async () => {
    const { client, appId, tokens } = await connected(false);
    const edit = (k: number) => client.rest.patch(Routes.webhookMessage(appId, tokens[k]!), { auth: false, body: { content: 'done' } });
    expect(await globalWaits(client, 120, edit)).toBeGreaterThan(0);
  }, 20_000);
});
