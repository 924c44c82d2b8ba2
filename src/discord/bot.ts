// The Discord bot process: logs in (asking for the Message Content intent, and again without it when Discord
// refuses it), checks its permissions, and hands every interaction and message to the router. Tutor, queue
// and workers come from the tutor app; this only connects Discord to them.

import { once } from 'node:events';
import { ChannelType, Client, Events, GatewayCloseCodes, GatewayIntentBits, Options, Partials, RESTEvents, SnowflakeUtil } from 'discord.js';
import type { TutorApp } from '../app.js';
import type { Reply } from '../tutor/reply.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { SenseiMetrics } from '../metrics/sensei-metrics.js';
import { createRedis, pingRedis } from '../store/redis.js';
import { discordCommandNames, type DiscordCommandNames } from './command-names.js';
import { LearnerReplies } from './learner-replies.js';
import { tellLearner } from './notices.js';
import { deployCommandsOnce } from './once.js';
import { TypedMessages } from './messages.js';
import { missingPermissions } from './permissions.js';
import { DiscordRouter } from './router.js';
import { DiscordStore } from './store.js';
import { TeamJobs } from './team/jobs.js';
import { TeamDiscord } from './team/team-discord.js';
import { PERMISSION_NAMES, TEXT } from './texts.js';
import { requireDiscordToken, tokenRefused } from './token.js';

/** How long a quiet lesson thread stays in discord.js's cache (it is fetched again when needed). */
const THREAD_CACHE_MS = 3_600_000;

export interface DiscordBotOptions {
  tutorApp: Pick<TutorApp, 'tutor' | 'team' | 'questions'>;
  /** Ask for the privileged Message Content intent, so learners can type commands. Default: DISCORD_MESSAGE_CONTENT. */
  messageContent?: boolean;
  /**
   * The command names the tutor app was given: the bot sets `canType` once it knows whether typed messages
   * reach it, so the tutor's step texts say "type it" or "use /run". Default: a fresh object.
   */
  commandNames?: DiscordCommandNames;
  /** For tests: how long an interaction token is trusted (Discord: 15 minutes). */
  interactionTtlMs?: number;
  /** For tests: how long a command runs before its reply shows a status (default 1 s; 0 shows it at once). */
  runStatusGraceMs?: number;
  /** How long close() waits for interactions still being answered (a running command, say). Default 20 s. */
  drainMs?: number;
  /** Where interaction latency is counted. */
  metrics?: SenseiMetrics;
  /** Tests: the team schedules (digests, reminders, role sweeps) repeat at this interval instead. */
  teamScheduleEveryMs?: number;
}

export interface DiscordBot {
  client: Client<true>;
  store: DiscordStore;
  /** Whether typed messages reach the bot, and how the tutor names commands here. */
  commandNames: DiscordCommandNames;
  /** Says a reply to a learner unasked (in their thread, or a DM); false for a learner of another transport. */
  tell(learnerId: string, reply: Reply): Promise<boolean>;
  team: TeamDiscord;
  teamJobs: TeamJobs;
  close(): Promise<void>;
}

/** Thrown by a login that Discord closed with 4014: a privileged intent is not switched on for the app. */
class DisallowedIntentsError extends Error {}

export async function startDiscordBot(config: Config, log: Logger, opts: DiscordBotOptions): Promise<DiscordBot> {
  const token = requireDiscordToken(config);
  const redis = createRedis(config.REDIS_URL, 'producer', log);
  try {
    await pingRedis(redis, config.REDIS_URL);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  const store = new DiscordStore(redis, config.SENSEI_PREFIX);
  let teamJobs: TeamJobs | undefined;
  const team = new TeamDiscord({ team: opts.tutorApp.team, tutor: opts.tutorApp.tutor, log, scheduleChanged: (guildId) => teamJobs?.sync(guildId) ?? Promise.resolve() });
  const replies = new LearnerReplies(store, (reply, userId) => team.offersFor(reply, userId));
  const names = opts.commandNames ?? discordCommandNames(false);
  const messages = new TypedMessages({ tutor: opts.tutorApp.tutor, store, replies, log });
  // Work in progress is tracked so close() can let a running command deliver its result first.
  const inflight = new Set<Promise<void>>();
  const metrics = opts.metrics ?? new SenseiMetrics();
  /** Kinds of the interactions not yet acknowledged, by id, for the ack latency. */
  const unacknowledged = new Map<string, string>();
  const secondsSince = (snowflake: string) => Math.max(0, Date.now() - SnowflakeUtil.timestampFrom(snowflake)) / 1000;
  const guard = (what: string, work: Promise<void>, timed?: { kind: string; id: string }): void => {
    const tracked = work
      .catch((err: unknown) => log.error(`${what}: ${(err as Error)?.stack ?? String(err)}`))
      .finally(() => {
        inflight.delete(tracked);
        if (!timed) return;
        unacknowledged.delete(timed.id);
        metrics.discordLatency.observe({ kind: timed.kind, phase: 'done' }, secondsSince(timed.id));
      });
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
      // As many shards as Discord recommends (GET /gateway/bot), all in this process; under discord.js's
      // ShardingManager its own SHARDS / SHARD_COUNT win.
      shards: 'auto',
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
      questions: opts.tutorApp.questions,
      store,
      replies,
      names,
      log,
      team,
      ...(opts.interactionTtlMs !== undefined ? { interactionTtlMs: opts.interactionTtlMs } : {}),
      ...(opts.runStatusGraceMs !== undefined ? { runStatusGraceMs: opts.runStatusGraceMs } : {}),
    });
    client.on(Events.InteractionCreate, (interaction) => {
      const kind = interaction.isChatInputCommand() ? 'command' : interaction.isButton() ? 'button' : undefined;
      if (kind) unacknowledged.set(interaction.id, kind);
      if (interaction.isChatInputCommand()) guard(`/${interaction.commandName}`, router.onCommand(interaction), { kind: 'command', id: interaction.id });
      else if (interaction.isButton()) guard('button', router.onButton(interaction), { kind: 'button', id: interaction.id });
      else if (interaction.isAutocomplete()) guard('autocomplete', router.onAutocomplete(interaction));
      else if (interaction.isModalSubmit()) guard('modal', team.onComponent(interaction).then(() => undefined), { kind: 'modal', id: interaction.id });
    });
    // The acknowledgement is the callback's answer: timed from the interaction's own snowflake, as Discord's 3 s are.
    client.rest.on(RESTEvents.Response, (request) => {
      const id = /^\/interactions\/(\d+)\/[^/]+\/callback/.exec(request.path)?.[1];
      const kind = id === undefined ? undefined : unacknowledged.get(id);
      if (id === undefined || kind === undefined) return;
      unacknowledged.delete(id);
      metrics.discordLatency.observe({ kind, phase: 'ack' }, secondsSince(id));
    });
    client.on(Events.MessageCreate, (message) => guard('message', messages.onMessage(message), message.author.bot ? undefined : { kind: 'message', id: message.id }));
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
      throw tokenRefused(err) ?? err;
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
  team.attach(client);
  try {
    teamJobs = await TeamJobs.start({
      config,
      log,
      team: opts.tutorApp.team,
      discordStore: store,
      client: () => client,
      serverLang: (guildId) => team.serverLang(guildId),
      learnerLang: (learnerId) => team.learnerLang(learnerId),
      grantPending: (guildId) => team.grantPending(guildId),
      ...(opts.teamScheduleEveryMs !== undefined ? { everyMs: opts.teamScheduleEveryMs } : {}),
    });
  } catch (err) {
    team.close();
    await client.destroy();
    redis.disconnect();
    throw err;
  }
  const jobs = teamJobs;
  log.info(`Discord bot logged in as ${client.user.tag} in ${client.guilds.cache.size} server(s) on ${client.ws.shards.size} shard(s)${names.canType ? ' (learners can type commands)' : ' (commands through /run only)'}`);
  // ClientReady comes once all shards are ready; the lock makes it once across bot processes as well.
  if (config.DISCORD_DEPLOY_ON_START) await deployCommandsOnce(config, redis, log).catch((err: unknown) => log.warn(`could not deploy the slash commands: ${String(err)}`));
  await checkPermissionsAtStartup(client, store, log).catch((err: unknown) => log.warn(`permission check failed: ${String(err)}`));

  return {
    client,
    store,
    commandNames: names,
    tell: async (learnerId, reply) => (await tellLearner({ client, store, replies }, learnerId, reply)) !== 'not-ours',
    team,
    teamJobs: jobs,
    close: async () => {
      client.removeAllListeners(Events.InteractionCreate).removeAllListeners(Events.MessageCreate);
      if (inflight.size > 0) {
        log.info(`waiting for ${inflight.size} interaction(s) to finish`);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, opts.drainMs ?? 20_000)));
        await Promise.race([Promise.allSettled([...inflight]), timeout]);
        clearTimeout(timer);
      }
      team.close();
      await jobs.close();
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
