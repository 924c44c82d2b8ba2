// The whole Discord path for end-to-end tests: the fake Discord, the REAL discord.js client inside our bot,
// and the real tutor, queue, worker and sandbox behind it (real Redis and Docker).

import { Redis } from 'ioredis';
import { startTutorApp, type TutorApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { startDiscordBot, type DiscordBot, type DiscordBotOptions } from '../../src/discord/bot.js';
import { silentLogger } from '../../src/log.js';
import { startWorker, type RunningWorker } from '../../src/worker/start.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type RecordedCall } from '../fake-discord/fake-discord.js';
import { isJsonObject, type JsonObject } from '../fake-discord/json.js';
import { testConfig } from '../helpers/services.js';

export interface Services {
  config: Config;
  worker: RunningWorker;
  app: TutorApp;
  redis: Redis;
  close(): Promise<void>;
}

/** One worker and one tutor app for a suite; the Discord side is started per test. */
export async function startServices(): Promise<Services> {
  const config = testConfig({ SENSEI_INLINE_WORKER: 'false', SANDBOX_TIMEOUT_MS: '5000' });
  const worker = await startWorker(config, { log: silentLogger, endSessionsOnClose: true });
  const app = await startTutorApp(config, silentLogger, { defaultLang: 'ja' });
  const redis = new Redis(config.REDIS_URL);
  return {
    config,
    worker,
    app,
    redis,
    close: async () => {
      await app.close();
      await worker.close();
      const keys = await redis.keys(`${config.SENSEI_PREFIX}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

export interface World {
  fake: FakeDiscord;
  bot: DiscordBot;
  /** A new bot process on the same Redis and fake (the old one is closed first). */
  restartBot(): Promise<DiscordBot>;
  close(): Promise<void>;
}

export async function startWorld(services: Services, fakeOptions: FakeDiscordOptions = {}, botOptions: Omit<DiscordBotOptions, 'tutorApp'> = {}): Promise<World> {
  const fake = await startFakeDiscord(fakeOptions);
  const config: Config = { ...services.config, DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase, DISCORD_APP_ID: fake.appId };
  const start = () => startDiscordBot(config, silentLogger, { tutorApp: services.app, messageContent: false, ...botOptions });
  const world: World = {
    fake,
    bot: await start(),
    restartBot: async () => {
      await world.bot.close();
      world.bot = await start();
      return world.bot;
    },
    close: async () => {
      await world.bot.close();
      await fake.close();
    },
  };
  return world;
}

export function bodyOf(call: RecordedCall): JsonObject {
  if (!isJsonObject(call.body)) throw new Error(`${call.method} ${call.path} had no JSON object body`);
  return call.body;
}

export function contentOf(call: RecordedCall): string {
  if (!isJsonObject(call.body)) return '';
  const content = call.body['content'];
  return typeof content === 'string' ? content : '';
}

/** The button custom ids of a recorded message call, in order. */
export function customIdsOf(call: RecordedCall): string[] {
  const rows = bodyOf(call)['components'];
  if (!Array.isArray(rows)) return [];
  return rows.flatMap((row) => {
    const components = isJsonObject(row) ? row['components'] : undefined;
    return Array.isArray(components) ? components.flatMap((c) => (isJsonObject(c) && typeof c['custom_id'] === 'string' ? [c['custom_id']] : [])) : [];
  });
}

/** A /command with a subcommand or plain options, as Discord sends it. */
export function subcommand(name: string, options: JsonObject[] = []): JsonObject[] {
  return [{ type: 1, name, options }];
}

export function stringOption(name: string, value: string): JsonObject {
  return { type: 3, name, value };
}

/** Every call the bot made that sends message content (webhooks and channel messages). */
export function messageCalls(fake: FakeDiscord): RecordedCall[] {
  return fake.calls.filter(
    (c) => (c.method === 'POST' || c.method === 'PATCH') && (c.path.startsWith('/webhooks/') || /^\/channels\/\d+\/messages$/.test(c.path)),
  );
}

export function originalPath(fake: FakeDiscord, token: string): string {
  return `/webhooks/${fake.appId}/${token}/messages/@original`;
}

export async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
