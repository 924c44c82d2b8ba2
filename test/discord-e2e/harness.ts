// The whole Discord path for end-to-end tests: the fake Discord, the REAL discord.js client inside our bot,
// and the real tutor, queue, worker and sandbox behind it (real Redis and Docker).

import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startTutorApp, type TutorApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { startDiscordBot, type DiscordBot, type DiscordBotOptions } from '../../src/discord/bot.js';
import { discordCommandNames, type DiscordCommandNames } from '../../src/discord/command-names.js';
import { DISCORD_USAGES } from '../../src/discord/commands.js';
import type { Clock } from '../../src/team/time.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { startWorker, type RunningWorker } from '../../src/worker/start.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type RecordedCall } from '../fake-discord/fake-discord.js';
import { isJsonObject, type JsonObject } from '../fake-discord/json.js';
import { assertServices, testConfig, type ServiceProbe } from '../helpers/services.js';

export interface Services {
  config: Config;
  worker: RunningWorker;
  app: TutorApp;
  redis: Redis;
  /** Shared by the tutor app and every bot started on it, as in `sensei bot`: each login sets canType. */
  commandNames: DiscordCommandNames;
  close(): Promise<void>;
}

/** What a suite may change in its tutor app: the team features' clock. */
export interface ServicesOptions {
  clock?: Clock;
}

/** One worker and one tutor app for a suite; the Discord side is started per test. */
export async function startServices(opts: ServicesOptions = {}): Promise<Services> {
  const config = testConfig({ SENSEI_INLINE_WORKER: 'false', SANDBOX_TIMEOUT_MS: '5000' });
  const worker = await startWorker(config, { log: silentLogger, endSessionsOnClose: true });
  const commandNames = discordCommandNames(true);
  const app = await startTutorApp(config, silentLogger, { defaultLang: 'ja', commands: commandNames, rendersMore: true, commandUsages: DISCORD_USAGES, ...(opts.clock ? { clock: opts.clock } : {}) });
  const redis = new Redis(config.REDIS_URL);
  return {
    config,
    worker,
    app,
    redis,
    commandNames,
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

export async function startWorld(
  services: Services,
  fakeOptions: FakeDiscordOptions = {},
  botOptions: Omit<DiscordBotOptions, 'tutorApp'> = {},
  log: Logger = silentLogger,
): Promise<World> {
  const fake = await startFakeDiscord(fakeOptions);
  const config: Config = { ...services.config, DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase, DISCORD_APP_ID: fake.appId };
  const start = () => startDiscordBot(config, log, { tutorApp: services.app, commandNames: services.commandNames, ...botOptions });
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

type WorldArgs = Parameters<typeof startWorld> extends [unknown, ...infer Rest] ? Rest : never;

/**
 * Registers an e2e suite's hooks (call it inside `describe`): the services start once, and every world a test
 * starts is closed after it.
 */
export function e2eSuite(gate: { probe: ServiceProbe }, opts: ServicesOptions = {}): { readonly services: Services; world(...args: WorldArgs): Promise<World> } {
  let services: Services | undefined;
  const worlds: World[] = [];
  beforeAll(async () => {
    assertServices(gate.probe);
    services = await startServices(opts);
  });
  afterEach(async () => {
    for (const world of worlds.splice(0)) await world.close();
  });
  afterAll(async () => {
    await services?.close();
  });
  const suite = {
    get services(): Services {
      if (!services) throw new Error('e2e services are not started (used outside a test?)');
      return services;
    },
    world: async (...args: WorldArgs): Promise<World> => {
      const world = await startWorld(suite.services, ...args);
      worlds.push(world);
      return world;
    },
  };
  return suite;
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

export const LESSON = 'container-is-a-process';

/** /lesson start in #lessons; resolves with the thread and the step message posted in it. */
export async function startLesson(w: World, userId?: string, channelId?: string, locale?: string): Promise<{ token: string; threadId: string; step: RecordedCall }> {
  const { fake } = w;
  const from = fake.calls.length;
  const { token } = fake.interaction({
    kind: 'command',
    name: 'lesson',
    options: subcommand('start', [stringOption('id', LESSON)]),
    ...(userId ? { userId } : {}),
    ...(channelId ? { channelId } : {}),
    ...(locale ? { locale } : {}),
  });
  // Used in the learner's own thread, the private deferral is deleted instead of pointing at that thread.
  const answered = await fake.waitForCall((c) => (c.method === 'PATCH' || c.method === 'DELETE') && c.path === originalPath(fake, token), 20_000);
  const threadId = answered.method === 'DELETE' ? channelId : /<#(\d+)>/.exec(contentOf(answered))?.[1];
  if (!threadId) throw new Error(`no thread in the reply: ${contentOf(answered)}`);
  const step = await fake.waitForCall(
    (c) => fake.calls.indexOf(c) >= from && c.method === 'POST' && c.path === `/channels/${threadId}/messages` && customIdsOf(c).length > 0,
  );
  return { token, threadId, step };
}

/** /run in a channel; resolves with every edit of the deferred reply once the output has arrived. */
export async function run(
  w: World,
  command: string,
  opts: { channelId?: string; userId?: string; locale?: string } = {},
): Promise<{ token: string; id: string; edits: RecordedCall[] }> {
  const { fake } = w;
  const { id, token } = fake.interaction({ kind: 'command', name: 'run', options: [stringOption('command', command)], ...opts });
  await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, token) && /```console/.test(contentOf(c)), 30_000);
  return { id, token, edits: fake.calls.filter((c) => c.method === 'PATCH' && c.path === originalPath(fake, token)) };
}

/** A slash command; resolves with its deferral (the callback) and the first edit of its deferred reply. */
export async function command(
  w: World,
  name: string,
  options: JsonObject[] = [],
  origin: { userId?: string; channelId?: string; locale?: string } = {},
): Promise<{ token: string; deferral: RecordedCall; reply: RecordedCall }> {
  const { fake } = w;
  const { token } = fake.interaction({ kind: 'command', name, options, ...origin });
  const reply = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, token), 20_000);
  const deferral = fake.calls.find((c) => c.path.endsWith(`/${token}/callback`));
  if (!deferral) throw new Error(`/${name} was answered without a deferral`);
  return { token, deferral, reply };
}

/** Messages the bot posted in a channel since call number `from`. */
export function postsIn(fake: FakeDiscord, channelId: string, from = 0): RecordedCall[] {
  return fake.calls.slice(from).filter((c) => c.method === 'POST' && c.path === `/channels/${channelId}/messages`);
}
