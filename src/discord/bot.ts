// The Discord bot process: logs in, checks its permissions, and hands every interaction and message to the
// router. Tutor, queue and workers come from the tutor app; this only connects Discord to them.

import { once } from 'node:events';
import { ChannelType, Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { TutorApp } from '../app.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createRedis, pingRedis } from '../store/redis.js';
import { missingPermissions } from './permissions.js';
import { DiscordRouter } from './router.js';
import { DiscordStore } from './store.js';
import { PERMISSION_NAMES } from './texts.js';

export interface DiscordBotOptions {
  tutorApp: Pick<TutorApp, 'tutor'>;
  /** `$ command` messages in a learner's thread; needs the privileged Message Content intent. Default: DISCORD_MESSAGE_CONTENT. */
  messageContent?: boolean;
  /** For tests: how long an interaction token is trusted (Discord: 15 minutes). */
  interactionTtlMs?: number;
  /** How long close() waits for interactions still being answered (a running command, say). Default 20 s. */
  drainMs?: number;
}

export interface DiscordBot {
  client: Client<true>;
  store: DiscordStore;
  close(): Promise<void>;
}


export async function startDiscordBot(config: Config, log: Logger, opts: DiscordBotOptions): Promise<DiscordBot> {
  if (!config.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set: the bot token from the Discord developer portal');
  const messageContent = opts.messageContent ?? config.DISCORD_MESSAGE_CONTENT;
  const intents = [GatewayIntentBits.Guilds, ...(messageContent ? [GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent] : [])];
  const redis = createRedis(config.REDIS_URL, 'producer', log);
  try {
    await pingRedis(redis, config.REDIS_URL);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  const store = new DiscordStore(redis, config.SENSEI_PREFIX);
  const client = new Client({
    intents,
    partials: [Partials.Channel],
    ...(config.DISCORD_API_BASE ? { rest: { api: config.DISCORD_API_BASE } } : {}),
  });
  const router = new DiscordRouter({
    client,
    tutor: opts.tutorApp.tutor,
    store,
    log,
    ...(opts.interactionTtlMs !== undefined ? { interactionTtlMs: opts.interactionTtlMs } : {}),
  });
  // Work in progress is tracked so close() can let a running command deliver its result first.
  const inflight = new Set<Promise<void>>();
  const guard = (what: string, work: Promise<void>): void => {
    const tracked = work.catch((err: unknown) => log.error(`${what}: ${(err as Error)?.stack ?? String(err)}`)).finally(() => inflight.delete(tracked));
    inflight.add(tracked);
  };
  client.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isChatInputCommand()) guard(`/${interaction.commandName}`, router.onCommand(interaction));
    else if (interaction.isButton()) guard('button', router.onButton(interaction));
  });
  if (messageContent) client.on(Events.MessageCreate, (message) => guard('message', router.onMessage(message)));
  client.on(Events.Error, (err) => log.error(`discord client: ${err.message}`));

  const ready = once(client, Events.ClientReady);
  try {
    await client.login(config.DISCORD_TOKEN);
    await ready;
  } catch (err) {
    await client.destroy();
    redis.disconnect();
    throw err;
  }
  if (!client.isReady()) throw new Error('discord client not ready after ClientReady');
  log.info(`Discord bot logged in as ${client.user.tag} in ${client.guilds.cache.size} server(s)${messageContent ? ' (with $ messages)' : ''}`);
  await checkPermissionsAtStartup(client, store, log).catch((err: unknown) => log.warn(`permission check failed: ${String(err)}`));

  return {
    client,
    store,
    close: async () => {
      client.removeAllListeners(Events.InteractionCreate).removeAllListeners(Events.MessageCreate);
      if (inflight.size > 0) {
        log.info(`waiting for ${inflight.size} interaction(s) to finish`);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, opts.drainMs ?? 20_000)));
        await Promise.race([Promise.allSettled([...inflight]), timeout]);
        clearTimeout(timer);
      }
      await client.destroy();
      redis.disconnect();
    },
  };
}

/** Warns, for every lesson channel (the allowlist, or every text channel), which permissions the bot lacks. */
export async function checkPermissionsAtStartup(client: Client<true>, store: DiscordStore, log: Logger): Promise<Map<string, string[]>> {
  const report = new Map<string, string[]>();
  for (const guild of client.guilds.cache.values()) {
    const allowlist = await store.allowedChannels(guild.id);
    const channels = guild.channels.cache.filter(
      (c) => c.type === ChannelType.GuildText && (allowlist.length === 0 || allowlist.includes(c.id)),
    );
    for (const channel of channels.values()) {
      const missing = missingPermissions(channel.permissionsFor(client.user)?.bitfield);
      if (missing.length === 0) continue;
      report.set(channel.id, missing);
      log.warn(`in #${channel.name} (${channel.id}) of ${guild.name}, the bot lacks: ${missing.map((p) => PERMISSION_NAMES[p].en).join(', ')}`);
    }
  }
  return report;
}
