// A fake Discord for end-to-end tests: REST under /api/v10 and a JSON gateway (on 127.0.0.1 by default), enough for the
// real discord.js Client to log in, receive interactions and messages, reply, upload files and use threads.
//
//   const fake = await startFakeDiscord({ channels: [{ name: 'lessons' }] });
//   const client = new Client({ intents, partials: [Partials.Channel], rest: { api: fake.apiBase } });
//   await client.login(fake.token);
//   const { token } = fake.interaction({ kind: 'command', name: 'start' });
//   const call = await fake.waitForCall((c) => c.path === `/webhooks/${fake.appId}/${token}/messages/@original`);

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelType } from 'discord.js';
import { FakeGateway, GATEWAY_PATH, shardOfGuild, type GatewayFrame, type SentDispatch, type Shard } from './gateway.js';
import {
  firstTextChannel,
  interactionCreatePayload,
  isComponentKind,
  sourceMessageComponents,
  type FakeInteractionOptions,
  type InteractionRecord,
} from './interactions.js';
import { ALL_PRIVILEGED_INTENTS, type PrivilegedIntents } from './intents.js';
import { isJsonObject, type Json, type JsonObject } from './json.js';
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_LEARNER_PERMISSIONS, type PermissionOverwrite } from './permissions.js';
import { parseRequestBody, type RecordedFile } from './request-body.js';
import { restRoutes } from './rest.js';
import { apiError, decodePath, matchRoute, type Route, type RouteReply } from './router.js';
import { FakeWorld, SnowflakeSource, type FakeChannel } from './world.js';

export type { FakeInteractionOptions } from './interactions.js';
export type { RecordedFile } from './request-body.js';
export type { GatewayFrame, SentDispatch } from './gateway.js';
export { shardOfGuild } from './gateway.js';
export type { PrivilegedIntents } from './intents.js';
export { DEFAULT_BOT_PERMISSIONS, DEFAULT_LEARNER_PERMISSIONS } from './permissions.js';

export interface FakeChannelOptions {
  name: string;
  id?: string;
  /** Default: a guild text channel. */
  type?: ChannelType.GuildText | ChannelType.GuildAnnouncement | ChannelType.GuildForum;
  /** Channel overwrites; `target` is a role or user id, or one of the fake's own members and roles. */
  permissionOverwrites?: { target: 'everyone' | 'bot' | 'learners' | (string & {}); allow?: bigint; deny?: bigint }[];
}

export interface FakeDiscordOptions {
  guild?: { id?: string; name?: string; everyonePermissions?: bigint };
  /** Default: one text channel named `lessons`. */
  channels?: FakeChannelOptions[];
  /** The bot role's permissions (the @everyone role has none unless `guild.everyonePermissions` says so). */
  botPermissions?: bigint;
  /** Default: one learner. Their role has `learnerPermissions`. */
  learners?: { id?: string; username: string; globalName?: string }[];
  learnerPermissions?: bigint;
  /** More roles in the guild; the bot's own role is at position 2, the learners' at 1. */
  roles?: { name: string; position: number; permissions?: bigint; managed?: boolean }[];
  /** Default 41 250 ms, as Discord sends. */
  heartbeatIntervalMs?: number;
  /** How long an interaction may wait for its callback, like Discord's 3 s. */
  ackDeadlineMs?: number;
  /** Send MESSAGE_CREATE/UPDATE for the bot's own messages, as Discord does. Default true. */
  echoBotMessages?: boolean;
  /**
   * Where to listen (default 127.0.0.1) and the host name put in the URLs the bot is given (default the
   * same). A bot in a container: listen on the Docker bridge's gateway, advertise `host.docker.internal`.
   */
  listen?: { host: string; advertisedHost?: string };
  /**
   * Privileged intents switched on in the developer portal (default: all). A bot asking for one that is off
   * is disconnected with 4014, as Discord does.
   */
  privilegedIntents?: Partial<PrivilegedIntents>;
  /** The shard count GET /gateway/bot recommends (default 1), and max_concurrency (default 1). */
  sharding?: { shards: number; maxConcurrency?: number };
}

export interface RecordedCall {
  method: string;
  /** Decoded and without `/api/v10`, e.g. `/webhooks/1/abc/messages/@original`. */
  path: string;
  /** As it arrived, e.g. `/api/v10/webhooks/1/abc/messages/%40original`. */
  rawPath: string;
  /** The matched route, e.g. `PATCH /webhooks/:appId/:token/messages/:messageId`; undefined if none matched. */
  route: string | undefined;
  query: Record<string, string>;
  authorization: string | undefined;
  /** JSON body, or `payload_json` of a multipart body. */
  body: unknown;
  files: RecordedFile[];
  status: number;
  response: Json | undefined;
  at: number;
}

export interface FakeDiscord {
  /** For `new Client({ rest: { api } })`; discord.js appends `/v10`. */
  apiBase: string;
  gatewayUrl: string;
  token: string;
  appId: string;
  guildId: string;
  botUserId: string;
  learnerIds: string[];
  /** The server's owner: a member with every permission. */
  ownerId: string;
  /** The id of a role given in the options, by name. */
  roleId(name: string): string;
  /** The roles a member has now. */
  memberRoleIds(userId: string): string[];
  /** Gives a member a role (as an admin would in the client). */
  giveRole(userId: string, roleId: string): void;
  /** The id of a channel given in the options, by name. */
  channelId(name: string): string;
  /** Every REST call, in order, as the fake answered it. */
  calls: RecordedCall[];
  /** Every gateway frame the bot sent. */
  gatewayFrames: GatewayFrame[];
  /** Every dispatch sent to the bot, with the shard that got it. */
  dispatches: SentDispatch[];
  /** Sends a gateway dispatch to the connected bot. */
  dispatch(event: string, data: JsonObject): void;
  /** Dispatches a realistic INTERACTION_CREATE and returns what the bot needs to answer it. */
  interaction(options: FakeInteractionOptions): { id: string; token: string };
  /** A learner posts a message (MESSAGE_CREATE), in a guild channel or in their DM with the bot. */
  message(options: { content: string; channelId?: string; userId?: string; dm?: boolean }): { id: string; channelId: string };
  /** Messages stored in a channel (the bot's and the learners'), oldest first, as API JSON. */
  messagesIn(channelId: string): JsonObject[];
  /** Threads created so far, as API JSON. */
  threads(): JsonObject[];
  threadMemberIds(threadId: string): string[];
  waitForCall(predicate: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  waitForIdentify(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const API_PREFIX = '/api/v10';
const ATTACHMENT_PREFIX = '/api/attachments/';

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const snowflakes = new SnowflakeSource();
  const appId = snowflakes.next();
  const token = `${Buffer.from(appId).toString('base64url')}.fake.${randomBytes(18).toString('base64url')}`;
  const world = new FakeWorld({
    guildId: options.guild?.id ?? snowflakes.next(),
    guildName: options.guild?.name ?? 'Container Sensei Test Server',
    appId,
    botUsername: 'container-sensei',
    botPermissions: options.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
    everyonePermissions: options.guild?.everyonePermissions ?? 0n,
    learners: (options.learners ?? [{ username: 'learner' }]).map((learner) => ({ ...learner, id: learner.id ?? snowflakes.next() })),
    learnerPermissions: options.learnerPermissions ?? DEFAULT_LEARNER_PERMISSIONS,
    snowflakes,
  });
  const learnerIds = [...world.memberRoles.keys()].filter((id) => id !== world.botUser.id && id !== world.ownerId);
  const roleIds = new Map<string, string>();
  for (const role of options.roles ?? []) {
    const id = snowflakes.next();
    world.roles.set(id, { name: role.name, permissions: role.permissions ?? 0n, position: role.position, managed: role.managed ?? false });
    roleIds.set(role.name, id);
  }
  const channelIds = addChannels(world, options.channels ?? [{ name: 'lessons' }]);

  const calls: RecordedCall[] = [];
  const callWaiters = new Set<(call: RecordedCall) => void>();
  const interactions = new Map<string, InteractionRecord>();
  const server = createServer();
  const address = { base: '' };
  const onShard = (shard: Shard) => shardOfGuild(world.guildId, shard[1]) === shard[0];
  const gateway = new FakeGateway(server, {
    token,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    newSessionId: () => randomBytes(16).toString('hex'),
    ready: (sessionId, shard) => ({
      v: 10,
      user: { ...world.userJson(world.botUser), verified: true, mfa_enabled: false },
      guilds: onShard(shard) ? [{ id: world.guildId, unavailable: true }] : [],
      session_id: sessionId,
      resume_gateway_url: `${address.base.replace('http', 'ws')}${GATEWAY_PATH}`,
      shard: [...shard],
      application: { id: appId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      user_settings: {},
    }),
    afterReady: (shard) => (onShard(shard) ? [{ event: 'GUILD_CREATE', data: world.guildCreateJson() }] : []),
    privilegedIntents: { ...ALL_PRIVILEGED_INTENTS, ...options.privilegedIntents },
    botUserId: world.botUser.id,
  });
  const emit = (event: string, data: JsonObject): void => {
    // A shard that is not connected misses its events, as with Discord.
    if (gateway.readySessionCount > 0) gateway.dispatch(event, data, { ifConnected: true });
  };
  const routes = restRoutes({
    world,
    appId,
    apiBase: () => `${address.base}/api`,
    gatewayUrl: () => `${address.base.replace('http', 'ws')}${GATEWAY_PATH}`,
    sharding: { shards: options.sharding?.shards ?? 1, maxConcurrency: options.sharding?.maxConcurrency ?? 1 },
    interactions,
    emit,
    echoBotMessages: options.echoBotMessages ?? true,
    ackDeadlineMs: options.ackDeadlineMs ?? 3000,
  });
  const record = (call: RecordedCall): void => {
    calls.push(call);
    for (const waiter of callWaiters) waiter(call);
  };
  server.on('request', (request, response) => {
    handleHttp(request, response, { routes, token, world, record }).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 0, message: `fake Discord crashed: ${String(error)}` }));
    });
  });
  const listenHost = options.listen?.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve));
  address.base = `http://${options.listen?.advertisedHost ?? listenHost}:${(server.address() as AddressInfo).port}`;

  const fake: FakeDiscord = {
    apiBase: `${address.base}/api`,
    gatewayUrl: `${address.base.replace('http', 'ws')}${GATEWAY_PATH}`,
    token,
    appId,
    guildId: world.guildId,
    botUserId: world.botUser.id,
    learnerIds,
    ownerId: world.ownerId,
    roleId: (name) => {
      const id = roleIds.get(name);
      if (id === undefined) throw new Error(`fake Discord: no role named ${name}`);
      return id;
    },
    memberRoleIds: (userId) => [...(world.memberRoles.get(userId) ?? [])],
    giveRole: (userId, roleId) => world.memberRoles.set(userId, [...new Set([...(world.memberRoles.get(userId) ?? []), roleId])]),
    channelId: (name) => {
      const id = channelIds.get(name);
      if (id === undefined) throw new Error(`fake Discord: no channel named ${name}`);
      return id;
    },
    calls,
    gatewayFrames: gateway.received,
    dispatches: gateway.sent,
    dispatch: (event, data) => gateway.dispatch(event, data),
    interaction: (interactionOptions) => startInteraction(interactionOptions),
    message: (messageOptions) => postLearnerMessage(messageOptions),
    messagesIn: (channelId) =>
      [...world.messages.values()]
        .filter((message) => message.channelId === channelId)
        .map((message) => world.messageJson(message, fake.apiBase)),
    threads: () => [...world.channels.values()].filter((channel) => channel.thread !== undefined).map((channel) => world.channelJson(channel)),
    threadMemberIds: (threadId) => [...(world.channels.get(threadId)?.memberIds ?? [])],
    waitForCall: (predicate, timeoutMs = 2000) => waitForCall(calls, callWaiters, predicate, timeoutMs),
    waitForIdentify: (timeoutMs = 5000) => gateway.waitForIdentify(timeoutMs),
    close: async () => {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error))));
    },
  };

  function originChannel(origin: { channelId?: string; dm?: boolean }, userId: string): FakeChannel {
    if (origin.dm === true) return world.dmChannelWith(userId);
    if (origin.channelId === undefined) return firstTextChannel(world);
    const channel = world.channels.get(origin.channelId);
    if (channel === undefined) throw new Error(`fake Discord: no channel ${origin.channelId}`);
    return channel;
  }

  function defaultLearner(userId: string | undefined): string {
    const id = userId ?? learnerIds[0];
    if (id === undefined) throw new Error('fake Discord: no learner to act');
    return id;
  }

  function startInteraction(interactionOptions: FakeInteractionOptions): { id: string; token: string } {
    const userId = defaultLearner(interactionOptions.userId);
    const channel = originChannel(interactionOptions, userId);
    const interaction: InteractionRecord = {
      id: snowflakes.next(),
      token: `aW50ZXJhY3Rpb24.${randomBytes(24).toString('base64url')}`,
      kind: interactionOptions.kind,
      channelId: channel.id,
      userId,
      createdAt: Date.now(),
      acknowledged: false,
    };
    if (isComponentKind(interactionOptions.kind)) {
      interaction.sourceMessageId = componentSource(interactionOptions, channel).id;
    }
    interactions.set(interaction.token, interaction);
    if (interactionOptions.kind === 'autocomplete') assertAutocompleted(interactionOptions.name, interactionOptions.options, channel);
    const commandId = interactionOptions.kind === 'command' || interactionOptions.kind === 'autocomplete' ? commandIdFor(interactionOptions.name, channel) : '0';
    gateway.dispatch('INTERACTION_CREATE', interactionCreatePayload(world, interaction, interactionOptions, { appId, apiBase: fake.apiBase, commandId }));
    return { id: interaction.id, token: interaction.token };
  }

  function componentSource(interactionOptions: FakeInteractionOptions, channel: FakeChannel): { id: string } {
    const messageId = 'messageId' in interactionOptions ? interactionOptions.messageId : undefined;
    if (messageId !== undefined) {
      const message = world.messages.get(messageId);
      if (message === undefined) throw new Error(`fake Discord: no message ${messageId}`);
      return message;
    }
    return world.addMessage({
      channelId: channel.id,
      author: world.botUser,
      content: '',
      embeds: [],
      components: sourceMessageComponents(interactionOptions),
      attachments: [],
      flags: 0,
      type: 0,
    });
  }

  /** Discord sends autocomplete only for an option registered with `autocomplete: true` (when the command is registered). */
  function assertAutocompleted(name: string, options: JsonObject[], channel: FakeChannel): void {
    const focused = options.find((option) => option['focused'] === true);
    if (focused === undefined) throw new Error('fake Discord: an autocomplete interaction needs one option with focused: true');
    const registered = registeredCommand(name, channel);
    if (registered === undefined) return;
    const declared = Array.isArray(registered.body['options']) ? registered.body['options'] : [];
    const option = declared.find((o) => isJsonObject(o) && o['name'] === focused['name']);
    if (!isJsonObject(option) || option['autocomplete'] !== true) throw new Error(`fake Discord: /${name} ${String(focused['name'])} is not registered with autocomplete`);
  }

  function registeredCommand(name: string, channel: FakeChannel) {
    return [...world.commands.values()].find((command) => command.body['name'] === name && (command.guildId === undefined || command.guildId === channel.guildId));
  }

  function commandIdFor(name: string, channel: FakeChannel): string {
    return registeredCommand(name, channel)?.id ?? snowflakes.next();
  }

  function postLearnerMessage(messageOptions: { content: string; channelId?: string; userId?: string; dm?: boolean }): {
    id: string;
    channelId: string;
  } {
    const userId = defaultLearner(messageOptions.userId);
    const author = world.users.get(userId);
    if (author === undefined) throw new Error(`fake Discord: no user ${userId}`);
    const channel = originChannel(messageOptions, userId);
    const message = world.addMessage({
      channelId: channel.id,
      author,
      content: messageOptions.content,
      embeds: [],
      components: [],
      attachments: [],
      flags: 0,
      type: 0,
    });
    gateway.dispatch('MESSAGE_CREATE', world.messageEventJson(message, fake.apiBase));
    return { id: message.id, channelId: channel.id };
  }

  return fake;
}

function addChannels(world: FakeWorld, channels: readonly FakeChannelOptions[]): Map<string, string> {
  const ids = new Map<string, string>();
  channels.forEach((channel, position) => {
    const overwrites: PermissionOverwrite[] = (channel.permissionOverwrites ?? []).flatMap((overwrite) => {
      const allow = overwrite.allow ?? 0n;
      const deny = overwrite.deny ?? 0n;
      switch (overwrite.target) {
        case 'everyone':
          return [{ id: world.guildId, type: 0 as const, allow, deny }];
        case 'bot':
          return [{ id: world.botUser.id, type: 1 as const, allow, deny }];
        case 'learners':
          return [{ id: world.learnerRoleId, type: 0 as const, allow, deny }];
        default:
          return [{ id: overwrite.target, type: world.roles.has(overwrite.target) ? (0 as const) : (1 as const), allow, deny }];
      }
    });
    const stored = world.addChannel({
      id: channel.id ?? world.snowflakes.next(),
      type: channel.type ?? ChannelType.GuildText,
      name: channel.name,
      guildId: world.guildId,
      parentId: undefined,
      overwrites,
      position,
    });
    ids.set(channel.name, stored.id);
  });
  return ids;
}

interface HttpContext {
  routes: readonly Route[];
  token: string;
  world: FakeWorld;
  record: (call: RecordedCall) => void;
}

async function handleHttp(request: IncomingMessage, response: ServerResponse, ctx: HttpContext): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const method = request.method ?? 'GET';
  const raw = await readAll(request);
  if (url.pathname.startsWith(ATTACHMENT_PREFIX)) {
    serveAttachment(url.pathname, ctx.world, response);
    return;
  }
  const path = url.pathname.startsWith(`${API_PREFIX}/`) ? decodePath(url.pathname.slice(API_PREFIX.length)) : url.pathname;
  const { body, files } = await parseRequestBody(raw, request.headers['content-type']);
  const matched = url.pathname.startsWith(`${API_PREFIX}/`) ? matchRoute(ctx.routes, method, path) : undefined;
  const authorization = request.headers.authorization;
  let reply: RouteReply;
  if (matched === undefined) {
    reply = apiError(404, 0, '404: Not Found');
  } else if (matched.route.auth === 'bot' && authorization !== `Bot ${ctx.token}`) {
    reply = apiError(401, 0, '401: Unauthorized');
  } else {
    reply = await matched.route.handler({ params: matched.params, query: url.searchParams, body, files });
  }
  ctx.record({
    method,
    path,
    rawPath: url.pathname,
    route: matched === undefined ? undefined : `${matched.route.method} ${matched.route.template}`,
    query: Object.fromEntries(url.searchParams),
    authorization,
    body,
    files,
    status: reply.status,
    response: reply.json,
    at: Date.now(),
  });
  if (reply.json === undefined) {
    response.writeHead(reply.status);
    response.end();
    return;
  }
  response.writeHead(reply.status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(reply.json));
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

function serveAttachment(pathname: string, world: FakeWorld, response: ServerResponse): void {
  const [, attachmentId] = pathname.slice(ATTACHMENT_PREFIX.length).split('/');
  for (const message of world.messages.values()) {
    const attachment = message.attachments.find((candidate) => candidate.id === attachmentId);
    if (attachment !== undefined) {
      response.writeHead(200, { 'content-type': attachment.contentType });
      response.end(attachment.data);
      return;
    }
  }
  response.writeHead(404);
  response.end();
}

function waitForCall(
  calls: readonly RecordedCall[],
  waiters: Set<(call: RecordedCall) => void>,
  predicate: (call: RecordedCall) => boolean,
  timeoutMs: number,
): Promise<RecordedCall> {
  const earlier = calls.find(predicate);
  if (earlier !== undefined) return Promise.resolve(earlier);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(waiter);
      const seen = calls.map((call) => `${call.method} ${call.path} -> ${call.status}`).join('\n  ');
      reject(new Error(`fake Discord: no matching REST call within ${timeoutMs} ms; calls so far:\n  ${seen}`));
    }, timeoutMs);
    const waiter = (call: RecordedCall): void => {
      if (!predicate(call)) return;
      clearTimeout(timer);
      waiters.delete(waiter);
      resolve(call);
    };
    waiters.add(waiter);
  });
}
