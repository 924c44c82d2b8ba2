// The Discord bot process: logs in (asking for the Message Content intent, and again without it when Discord
// refuses it), checks its permissions, and hands every interaction and message to the router. Tutor, queue
// and workers come from the tutor app; this only connects Discord to them.

import { once } from 'node:events';
import { ChannelType, Client, Events, GatewayCloseCodes, GatewayIntentBits, Options, Partials, SnowflakeUtil } from 'discord.js';
import type { TutorApp } from '../app.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createRedis, pingRedis } from '../store/redis.js';
import { discordCommandNames, type DiscordCommandNames } from './command-names.js';
import { LearnerReplies } from './learner-replies.js';
import { TypedMessages } from './messages.js';
import { missingPermissions } from './permissions.js';
import { DiscordRouter } from './router.js';
import { DiscordStore } from './store.js';
import { PERMISSION_NAMES, TEXT } from './texts.js';

/** How long a quiet lesson thread stays in discord.js's cache (it is fetched again when needed). */
const THREAD_CACHE_MS = 3_600_000;

export interface DiscordBotOptions {
  tutorApp: Pick<TutorApp, 'tutor'>;
  /** Ask for the privileged Message Content intent, so learners can type commands. Default: DISCORD_MESSAGE_CONTENT. */
  messageContent?: boolean;
  /**
   * The command names the tutor app was given: the bot sets `canType` once it knows whether typed messages
   * reach it, so the tutor's step texts say "type it" or "use /run". Default: a fresh object.
   */
  commandNames?: DiscordCommandNames;
  /** For tests: how long an interaction token is trusted (Discord: 15 minutes). */
  interactionTtlMs?: number;
  /** How long close() waits for interactions still being answered (a running command, say). Default 20 s. */
  drainMs?: number;
}

export interface DiscordBot {
  client: Client<true>;
  store: DiscordStore;
  /** Whether typed messages reach the bot, and how the tutor names commands here. */
  commandNames: DiscordCommandNames;
  close(): Promise<void>;
}

/** Thrown by a login that Discord closed with 4014: a privileged intent is not switched on for the app. */
class DisallowedIntentsError extends Error {}

export async function startDiscordBot(config: Config, log: Logger, opts: DiscordBotOptions): Promise<DiscordBot> {
  if (!config.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set: the bot token from the Discord developer portal');
  const token = config.DISCORD_TOKEN;
  const redis = createRedis(config.REDIS_URL, 'producer', log);
  try {
    await pingRedis(redis, config.REDIS_URL);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  const store = new DiscordStore(redis, config.SENSEI_PREFIX);
  const replies = new LearnerReplies(store);
  const names = opts.commandNames ?? discordCommandNames(false);
  const messages = new TypedMessages({ tutor: opts.tutorApp.tutor, store, replies, log });
  // Work in progress is tracked so close() can let a running command deliver its result first.
  const inflight = new Set<Promise<void>>();
  const guard = (what: string, work: Promise<void>): void => {
    const tracked = work.catch((err: unknown) => log.error(`${what}: ${(err as Error)?.stack ?? String(err)}`)).finally(() => inflight.delete(tracked));
    inflight.add(tracked);
  };

  /** A connected client with every handler attached, or DisallowedIntentsError. */
  const connect = async (withMessageContent: boolean): Promise<Client<true>> => {
    const client = new Client({
      // Guild and DM messages arrive either way; without Message Content, guild ones arrive empty.
      intents: [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.GuildMessages,
        GatewayIntentBits.DirectMessages,
        ...(withMessageContent ? [GatewayIntentBits.MessageContent] : []),
      ],
      partials: [Partials.Channel],
      // Per-learner objects the bot never reads back (each event carries what it needs): without limits they
      // grow with every learner who ever wrote. The bot's own member stays, for its permissions.
      makeCache: Options.cacheWithLimits({
        ...Options.DefaultMakeCacheSettings,
        MessageManager: 0,
        ThreadMemberManager: 0,
        UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user.id },
        GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
      }),
      sweepers: {
        ...Options.DefaultSweeperSettings,
        // A lesson thread is fetched again when its learner comes back; one quiet for an hour leaves the cache.
        threads: { interval: 600, filter: () => (thread) => Date.now() - SnowflakeUtil.timestampFrom(thread.lastMessageId ?? thread.id) > THREAD_CACHE_MS },
      },
      ...(config.DISCORD_API_BASE ? { rest: { api: config.DISCORD_API_BASE } } : {}),
    });
    const router = new DiscordRouter({
      client,
      tutor: opts.tutorApp.tutor,
      store,
      replies,
      names,
      log,
      ...(opts.interactionTtlMs !== undefined ? { interactionTtlMs: opts.interactionTtlMs } : {}),
    });
    client.on(Events.InteractionCreate, (interaction) => {
      if (interaction.isChatInputCommand()) guard(`/${interaction.commandName}`, router.onCommand(interaction));
      else if (interaction.isButton()) guard('button', router.onButton(interaction));
    });
    client.on(Events.MessageCreate, (message) => guard('message', messages.onMessage(message)));
    client.on(Events.Error, (err) => log.error(`discord client: ${err.message}`));
    let refused = false;
    client.on(Events.ShardDisconnect, (event) => (refused ||= event.code === GatewayCloseCodes.DisallowedIntents));
    const ready = once(client, Events.ClientReady);
    try {
      await client.login(token);
      await ready;
    } catch (err) {
      await client.destroy();
      if (refused) throw new DisallowedIntentsError('Discord refused a privileged intent (gateway close 4014)');
      throw err;
    }
    if (!client.isReady()) throw new Error('discord client not ready after ClientReady');
    return client;
  };

  let client: Client<true>;
  try {
    const asked = opts.messageContent ?? config.DISCORD_MESSAGE_CONTENT;
    try {
      client = await connect(asked);
      names.canType = asked;
    } catch (err) {
      if (!(err instanceof DisallowedIntentsError) || !asked) throw err;
      log.warn(`Discord refused the Message Content intent; logging in without it, so learners use /run. ${TEXT.intentMissingAdmin('en')} (Or set DISCORD_MESSAGE_CONTENT=false to stop asking.)`);
      client = await connect(false);
      names.canType = false;
    }
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  log.info(`Discord bot logged in as ${client.user.tag} in ${client.guilds.cache.size} server(s)${names.canType ? ' (learners can type commands)' : ' (commands through /run only)'}`);
  await checkPermissionsAtStartup(client, store, log).catch((err: unknown) => log.warn(`permission check failed: ${String(err)}`));

  return {
    client,
    store,
    commandNames: names,
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
