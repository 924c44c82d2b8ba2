// The REST routes the tutor bot uses, with Discord's permission checks and error codes.

import { ChannelType, InteractionResponseType, MessageFlags, MessageType, PermissionFlagsBits } from 'discord.js';
import { autocompleteProblems, interactionTypeOf, type InteractionRecord } from './interactions.js';
import {
  arrayField,
  booleanField,
  isJsonObject,
  numberField,
  objectOrEmpty,
  objectsIn,
  stringField,
  type Json,
  type JsonObject,
} from './json.js';
import { checkMessageBody } from './message-rules.js';
import { basePermissions, hasAll } from './permissions.js';
import type { RecordedFile } from './request-body.js';
import { apiError, NO_CONTENT, route, type Route, type RouteReply, type RouteRequest } from './router.js';
import type { FakeAttachment, FakeChannel, FakeCommand, FakeMessage, FakeUser, FakeWorld } from './world.js';

export interface RestContext {
  world: FakeWorld;
  appId: string;
  apiBase: () => string;
  gatewayUrl: () => string;
  /** What GET /gateway/bot recommends: the shard count, and how many shards may identify at once. */
  sharding: { shards: number; maxConcurrency: number };
  interactions: Map<string, InteractionRecord>;
  /** Sends a gateway event if a bot is connected; does nothing otherwise. */
  emit: (event: string, data: JsonObject) => void;
  echoBotMessages: boolean;
  ackDeadlineMs: number;
}

const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const THREAD_TYPES = new Set<number>([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);

const errors = {
  unknownChannel: () => apiError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => apiError(404, 10004, 'Unknown Guild'),
  unknownMember: () => apiError(404, 10007, 'Unknown Member'),
  unknownMessage: () => apiError(404, 10008, 'Unknown Message'),
  unknownUser: () => apiError(404, 10013, 'Unknown User'),
  unknownWebhook: () => apiError(404, 10015, 'Unknown Webhook'),
  unknownCommand: () => apiError(404, 10063, 'Unknown application command'),
  unknownInteraction: () => apiError(404, 10062, 'Unknown interaction'),
  missingAccess: () => apiError(403, 50001, 'Missing Access'),
  missingPermissions: () => apiError(403, 50013, 'Missing Permissions'),
  notYourMessage: () => apiError(403, 50005, 'Cannot edit a message authored by another user'),
  alreadyAcknowledged: () => apiError(400, 40060, 'Interaction has already been acknowledged.'),
  threadArchived: () => apiError(400, 50083, 'Thread is archived'),
  invalidBody: (problems: string[]) => apiError(400, 50035, 'Invalid Form Body', problems),
};

export function restRoutes(ctx: RestContext): Route[] {
  const api = new FakeRestApi(ctx);
  const r = (method: string, template: string, handler: (request: RouteRequest) => RouteReply | Promise<RouteReply>): Route =>
    route(method, template, 'bot', handler);
  const open = (method: string, template: string, handler: (request: RouteRequest) => RouteReply): Route =>
    route(method, template, 'none', handler);
  return [
    r('GET', '/gateway/bot', () => api.gatewayBot()),
    open('GET', '/gateway', () => ({ status: 200, json: { url: ctx.gatewayUrl() } })),
    r('GET', '/users/@me', () => ({ status: 200, json: ctx.world.userJson(ctx.world.botUser) })),
    r('POST', '/users/@me/channels', (request) => api.openDm(request)),
    r('GET', '/users/:userId', (request) => api.getUser(request)),
    r('GET', '/applications/@me', () => api.application()),
    r('GET', '/oauth2/applications/@me', () => api.application()),
    r('GET', '/applications/:appId/commands', (request) => api.listCommands(request)),
    r('PUT', '/applications/:appId/commands', (request) => api.overwriteCommands(request)),
    r('POST', '/applications/:appId/commands', (request) => api.upsertCommand(request)),
    r('GET', '/applications/:appId/commands/:commandId', (request) => api.getCommand(request)),
    r('PATCH', '/applications/:appId/commands/:commandId', (request) => api.editCommand(request)),
    r('DELETE', '/applications/:appId/commands/:commandId', (request) => api.deleteCommand(request)),
    r('GET', '/applications/:appId/guilds/:guildId/commands', (request) => api.listCommands(request)),
    r('PUT', '/applications/:appId/guilds/:guildId/commands', (request) => api.overwriteCommands(request)),
    r('POST', '/applications/:appId/guilds/:guildId/commands', (request) => api.upsertCommand(request)),
    r('GET', '/applications/:appId/guilds/:guildId/commands/:commandId', (request) => api.getCommand(request)),
    r('PATCH', '/applications/:appId/guilds/:guildId/commands/:commandId', (request) => api.editCommand(request)),
    r('DELETE', '/applications/:appId/guilds/:guildId/commands/:commandId', (request) => api.deleteCommand(request)),
    r('GET', '/guilds/:guildId', (request) => api.getGuild(request)),
    r('GET', '/guilds/:guildId/channels', (request) => api.guildChannels(request)),
    r('GET', '/guilds/:guildId/roles', (request) => api.guildRoles(request)),
    r('GET', '/guilds/:guildId/members/:userId', (request) => api.getMember(request)),
    r('PUT', '/guilds/:guildId/members/:userId/roles/:roleId', (request) => api.changeMemberRole(request, true)),
    r('DELETE', '/guilds/:guildId/members/:userId/roles/:roleId', (request) => api.changeMemberRole(request, false)),
    r('GET', '/channels/:channelId', (request) => api.getChannel(request)),
    r('PATCH', '/channels/:channelId', (request) => api.editThread(request)),
    r('DELETE', '/channels/:channelId', (request) => api.deleteThread(request)),
    r('POST', '/channels/:channelId/typing', (request) => api.typing(request)),
    r('GET', '/channels/:channelId/messages', (request) => api.listMessages(request)),
    r('POST', '/channels/:channelId/messages', (request) => api.sendMessage(request)),
    r('GET', '/channels/:channelId/messages/:messageId', (request) => api.getMessage(request)),
    r('PATCH', '/channels/:channelId/messages/:messageId', (request) => api.editChannelMessage(request)),
    r('DELETE', '/channels/:channelId/messages/:messageId', (request) => api.deleteChannelMessage(request)),
    r('POST', '/channels/:channelId/threads', (request) => api.createThread(request, undefined)),
    r('POST', '/channels/:channelId/messages/:messageId/threads', (request) => api.createThread(request, request.params['messageId'])),
    r('GET', '/channels/:channelId/thread-members/:userId', (request) => api.getThreadMember(request)),
    r('PUT', '/channels/:channelId/thread-members/:userId', (request) => api.addThreadMember(request)),
    r('DELETE', '/channels/:channelId/thread-members/:userId', (request) => api.removeThreadMember(request)),
    open('POST', '/interactions/:interactionId/:token/callback', (request) => api.interactionCallback(request)),
    open('POST', '/webhooks/:appId/:token', (request) => api.followUp(request)),
    open('GET', '/webhooks/:appId/:token/messages/:messageId', (request) => api.getWebhookMessage(request)),
    open('PATCH', '/webhooks/:appId/:token/messages/:messageId', (request) => api.editWebhookMessage(request)),
    open('DELETE', '/webhooks/:appId/:token/messages/:messageId', (request) => api.deleteWebhookMessage(request)),
  ];
}

function ok(json: Json): RouteReply {
  return { status: 200, json };
}

function param(request: RouteRequest, name: string): string {
  return request.params[name] ?? '';
}

class FakeRestApi {
  readonly #ctx: RestContext;

  constructor(ctx: RestContext) {
    this.#ctx = ctx;
  }

  get #world(): FakeWorld {
    return this.#ctx.world;
  }

  get #bot(): FakeUser {
    return this.#ctx.world.botUser;
  }

  // ---- gateway, users, application ----

  gatewayBot(): RouteReply {
    return ok({
      url: this.#ctx.gatewayUrl(),
      shards: this.#ctx.sharding.shards,
      session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: this.#ctx.sharding.maxConcurrency },
    });
  }

  getUser(request: RouteRequest): RouteReply {
    const user = this.#world.users.get(param(request, 'userId'));
    return user === undefined ? errors.unknownUser() : ok(this.#world.userJson(user));
  }

  openDm(request: RouteRequest): RouteReply {
    const recipientId = stringField(objectOrEmpty(request.body), 'recipient_id') ?? '';
    if (!this.#world.users.has(recipientId)) return errors.unknownUser();
    return ok(this.#world.channelJson(this.#world.dmChannelWith(recipientId)));
  }

  application(): RouteReply {
    const owner = this.#world.users.get(this.#world.ownerId);
    return ok({
      id: this.#ctx.appId,
      name: this.#bot.username,
      icon: null,
      description: '',
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      team: null,
      owner: owner === undefined ? null : this.#world.userJson(owner),
      bot: this.#world.userJson(this.#bot),
    });
  }

  // ---- application commands ----

  #commandScope(request: RouteRequest): { guildId: string | undefined } | RouteReply {
    if (param(request, 'appId') !== this.#ctx.appId) return apiError(403, 20012, 'You are not authorized to perform this action on this application');
    const guildId = request.params['guildId'];
    if (guildId !== undefined && guildId !== this.#world.guildId) return errors.unknownGuild();
    return { guildId };
  }

  #commandsIn(guildId: string | undefined): FakeCommand[] {
    return [...this.#world.commands.values()].filter((command) => command.guildId === guildId);
  }

  listCommands(request: RouteRequest): RouteReply {
    const scope = this.#commandScope(request);
    if ('status' in scope) return scope;
    return ok(this.#commandsIn(scope.guildId).map((command) => this.#world.commandJson(command, this.#ctx.appId)));
  }

  overwriteCommands(request: RouteRequest): RouteReply {
    const scope = this.#commandScope(request);
    if ('status' in scope) return scope;
    const bodies = Array.isArray(request.body) ? objectsIn(request.body) : [];
    const problems = bodies.flatMap((body, i) => commandProblems(body).map((problem) => `${i}.${problem}`));
    if (problems.length > 0) return errors.invalidBody(problems);
    const previous = new Map(this.#commandsIn(scope.guildId).map((command) => [commandKey(command.body), command]));
    for (const command of previous.values()) this.#world.commands.delete(command.id);
    const saved = bodies.map((body) => this.#saveCommand(body, scope.guildId, previous.get(commandKey(body))?.id));
    return ok(saved.map((command) => this.#world.commandJson(command, this.#ctx.appId)));
  }

  upsertCommand(request: RouteRequest): RouteReply {
    const scope = this.#commandScope(request);
    if ('status' in scope) return scope;
    const body = objectOrEmpty(request.body);
    const problems = commandProblems(body);
    if (problems.length > 0) return errors.invalidBody(problems);
    const existing = this.#commandsIn(scope.guildId).find((command) => commandKey(command.body) === commandKey(body));
    const saved = this.#saveCommand(body, scope.guildId, existing?.id);
    return { status: existing === undefined ? 201 : 200, json: this.#world.commandJson(saved, this.#ctx.appId) };
  }

  getCommand(request: RouteRequest): RouteReply {
    const scope = this.#commandScope(request);
    if ('status' in scope) return scope;
    const command = this.#world.commands.get(param(request, 'commandId'));
    if (command === undefined || command.guildId !== scope.guildId) return errors.unknownCommand();
    return ok(this.#world.commandJson(command, this.#ctx.appId));
  }

  editCommand(request: RouteRequest): RouteReply {
    const scope = this.#commandScope(request);
    if ('status' in scope) return scope;
    const command = this.#world.commands.get(param(request, 'commandId'));
    if (command === undefined || command.guildId !== scope.guildId) return errors.unknownCommand();
    const saved = this.#saveCommand({ ...command.body, ...objectOrEmpty(request.body) }, scope.guildId, command.id);
    return ok(this.#world.commandJson(saved, this.#ctx.appId));
  }

  deleteCommand(request: RouteRequest): RouteReply {
    const scope = this.#commandScope(request);
    if ('status' in scope) return scope;
    const command = this.#world.commands.get(param(request, 'commandId'));
    if (command === undefined || command.guildId !== scope.guildId) return errors.unknownCommand();
    this.#world.commands.delete(command.id);
    return NO_CONTENT;
  }

  #saveCommand(body: JsonObject, guildId: string | undefined, existingId: string | undefined): FakeCommand {
    const command: FakeCommand = {
      id: existingId ?? this.#world.snowflakes.next(),
      guildId,
      body,
      version: this.#world.snowflakes.next(),
    };
    this.#world.commands.set(command.id, command);
    return command;
  }

  // ---- guild ----

  #guildOr404(request: RouteRequest): RouteReply | undefined {
    return param(request, 'guildId') === this.#world.guildId ? undefined : errors.unknownGuild();
  }

  getGuild(request: RouteRequest): RouteReply {
    return this.#guildOr404(request) ?? ok(this.#world.guildJson());
  }

  guildChannels(request: RouteRequest): RouteReply {
    const channels = [...this.#world.channels.values()].filter((channel) => channel.guildId !== undefined && channel.thread === undefined);
    return this.#guildOr404(request) ?? ok(channels.map((channel) => this.#world.channelJson(channel)));
  }

  guildRoles(request: RouteRequest): RouteReply {
    return this.#guildOr404(request) ?? ok([...this.#world.roles.keys()].map((id) => this.#world.roleJson(id)));
  }

  getMember(request: RouteRequest): RouteReply {
    const notFound = this.#guildOr404(request);
    if (notFound !== undefined) return notFound;
    const userId = param(request, 'userId');
    return this.#world.memberRoles.has(userId) ? ok(this.#world.memberJson(userId, { withUser: true })) : errors.unknownMember();
  }

  /** Like Discord: Manage Roles, and only roles below the bot's highest; managed roles and @everyone never. */
  changeMemberRole(request: RouteRequest, add: boolean): RouteReply {
    const notFound = this.#guildOr404(request);
    if (notFound !== undefined) return notFound;
    const userId = param(request, 'userId');
    const roleId = param(request, 'roleId');
    const roles = this.#world.memberRoles.get(userId);
    const role = this.#world.roles.get(roleId);
    if (roles === undefined) return errors.unknownMember();
    if (role === undefined) return apiError(404, 10011, 'Unknown Role');
    const bot = this.#world.subject(this.#bot.id);
    if (!hasAll(basePermissions(this.#world.permissionContext, bot), PermissionFlagsBits.ManageRoles)) return errors.missingPermissions();
    const highest = Math.max(0, ...bot.roleIds.map((id) => this.#world.roles.get(id)?.position ?? 0));
    if (role.managed || roleId === this.#world.guildId || role.position >= highest) return errors.missingPermissions();
    const next = add ? [...new Set([...roles, roleId])] : roles.filter((id) => id !== roleId);
    this.#world.memberRoles.set(userId, next);
    this.#ctx.emit('GUILD_MEMBER_UPDATE', { guild_id: this.#world.guildId, ...this.#world.memberJson(userId, { withUser: true }) });
    return NO_CONTENT;
  }

  // ---- channels and permissions ----

  #channel(request: RouteRequest): FakeChannel | undefined {
    return this.#world.channels.get(param(request, 'channelId'));
  }

  #botCan(channel: FakeChannel, required: bigint): boolean {
    return hasAll(this.#world.permissionsIn(channel, this.#bot.id), required);
  }

  /** Missing Access when the bot cannot see the channel (or a private thread it is not in). */
  #accessProblem(channel: FakeChannel): RouteReply | undefined {
    if (!this.#botCan(channel, PermissionFlagsBits.ViewChannel)) return errors.missingAccess();
    const privateThread = channel.type === ChannelType.PrivateThread;
    if (privateThread && !channel.memberIds.has(this.#bot.id) && !this.#botCan(channel, PermissionFlagsBits.ManageThreads)) {
      return errors.missingAccess();
    }
    return undefined;
  }

  getChannel(request: RouteRequest): RouteReply {
    const channel = this.#channel(request);
    if (channel === undefined) return errors.unknownChannel();
    return this.#accessProblem(channel) ?? ok(this.#world.channelJson(channel));
  }

  typing(request: RouteRequest): RouteReply {
    const channel = this.#channel(request);
    if (channel === undefined) return errors.unknownChannel();
    return this.#accessProblem(channel) ?? NO_CONTENT;
  }

  // ---- messages ----

  listMessages(request: RouteRequest): RouteReply {
    const channel = this.#channel(request);
    if (channel === undefined) return errors.unknownChannel();
    const denied = this.#accessProblem(channel);
    if (denied !== undefined) return denied;
    const limit = Math.min(100, Number(request.query.get('limit') ?? 50));
    const messages = [...this.#world.messages.values()]
      .filter((message) => message.channelId === channel.id && (message.flags & MessageFlags.Ephemeral) === 0)
      .reverse()
      .slice(0, limit);
    return ok(messages.map((message) => this.#world.messageJson(message, this.#ctx.apiBase())));
  }

  getMessage(request: RouteRequest): RouteReply {
    const channel = this.#channel(request);
    if (channel === undefined) return errors.unknownChannel();
    const message = this.#world.messages.get(param(request, 'messageId'));
    if (message === undefined || message.channelId !== channel.id) return errors.unknownMessage();
    return this.#accessProblem(channel) ?? ok(this.#world.messageJson(message, this.#ctx.apiBase()));
  }

  sendMessage(request: RouteRequest): RouteReply {
    const channel = this.#channel(request);
    if (channel === undefined) return errors.unknownChannel();
    const denied = this.#accessProblem(channel);
    if (denied !== undefined) return denied;
    const isThread = channel.thread !== undefined;
    const sendPermission = isThread ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages;
    if (!this.#botCan(channel, sendPermission)) return errors.missingPermissions();
    if (channel.thread?.archived === true && channel.thread.locked) return errors.threadArchived();
    if (request.files.length > 0 && !this.#botCan(channel, PermissionFlagsBits.AttachFiles)) return errors.missingPermissions();
    const body = objectOrEmpty(request.body);
    // Like Discord: without Embed Links the message is sent, but its embeds are silently dropped.
    const embedsAllowed = this.#botCan(channel, PermissionFlagsBits.EmbedLinks);
    const reference = objectOrEmpty(body['message_reference']);
    return this.#createMessage(channel, { ...body, ...(embedsAllowed ? {} : { embeds: [] }) }, request.files, {
      type: stringField(reference, 'message_id') === undefined ? MessageType.Default : MessageType.Reply,
      ...(isJsonObject(body['message_reference']) ? { messageReference: reference } : {}),
    });
  }

  editChannelMessage(request: RouteRequest): RouteReply {
    const channel = this.#channel(request);
    if (channel === undefined) return errors.unknownChannel();
    const message = this.#world.messages.get(param(request, 'messageId'));
    if (message === undefined || message.channelId !== channel.id) return errors.unknownMessage();
    if (message.author.id !== this.#bot.id) return errors.notYourMessage();
    return this.#editMessage(message, objectOrEmpty(request.body), request.files);
  }

  deleteChannelMessage(request: RouteRequest): RouteReply {
    const channel = this.#channel(request);
    if (channel === undefined) return errors.unknownChannel();
    const message = this.#world.messages.get(param(request, 'messageId'));
    if (message === undefined || message.channelId !== channel.id) return errors.unknownMessage();
    if (message.author.id !== this.#bot.id && !this.#botCan(channel, PermissionFlagsBits.ManageMessages)) {
      return errors.missingPermissions();
    }
    return this.#deleteMessage(message);
  }

  #createMessage(
    channel: FakeChannel,
    body: JsonObject,
    files: RecordedFile[],
    extra: Partial<Pick<FakeMessage, 'type' | 'webhookId' | 'interactionMetadata' | 'messageReference'>> & { flags?: number },
  ): RouteReply {
    const verdict = checkMessageBody(body, files.length, { isEdit: false });
    if (!verdict.ok) return apiError(400, verdict.code, verdict.message, verdict.problems);
    const message = this.#world.addMessage({
      channelId: channel.id,
      author: this.#bot,
      content: stringField(body, 'content') ?? '',
      embeds: arrayField(body, 'embeds'),
      components: arrayField(body, 'components'),
      attachments: this.#attachments(body, files),
      flags: extra.flags ?? numberField(body, 'flags') ?? 0,
      type: extra.type ?? MessageType.Default,
      ...(extra.webhookId === undefined ? {} : { webhookId: extra.webhookId }),
      ...(extra.interactionMetadata === undefined ? {} : { interactionMetadata: extra.interactionMetadata }),
      ...(extra.messageReference === undefined ? {} : { messageReference: extra.messageReference }),
    });
    this.#echo('MESSAGE_CREATE', message);
    return ok(this.#world.messageJson(message, this.#ctx.apiBase()));
  }

  #editMessage(message: FakeMessage, body: JsonObject, files: RecordedFile[]): RouteReply {
    const verdict = checkMessageBody(body, files.length, { isEdit: true });
    if (!verdict.ok) return apiError(400, verdict.code, verdict.message, verdict.problems);
    if ('content' in body) message.content = stringField(body, 'content') ?? '';
    if ('embeds' in body) message.embeds = arrayField(body, 'embeds');
    if ('components' in body) message.components = arrayField(body, 'components');
    if ('attachments' in body || files.length > 0) {
      const keptIds = new Set(objectsIn(arrayField(body, 'attachments')).map((attachment) => String(attachment['id'])));
      const kept = message.attachments.filter((attachment) => keptIds.has(attachment.id));
      message.attachments = [...kept, ...this.#attachments(body, files)];
    }
    const flags = numberField(body, 'flags');
    // An edit ends the "thinking…" state of a deferred reply.
    message.flags = (flags ?? message.flags) & ~MessageFlags.Loading;
    message.editedAt = new Date().toISOString();
    this.#echo('MESSAGE_UPDATE', message);
    return ok(this.#world.messageJson(message, this.#ctx.apiBase()));
  }

  #deleteMessage(message: FakeMessage): RouteReply {
    this.#world.messages.delete(message.id);
    const channel = this.#world.channels.get(message.channelId);
    this.#ctx.emit('MESSAGE_DELETE', {
      id: message.id,
      channel_id: message.channelId,
      ...(channel?.guildId === undefined ? {} : { guild_id: channel.guildId }),
    });
    return NO_CONTENT;
  }

  /** New attachments: `files[n]` parts, described by `attachments: [{ id: n, filename, description }]`. */
  #attachments(body: JsonObject, files: RecordedFile[]): FakeAttachment[] {
    const described = objectsIn(arrayField(body, 'attachments'));
    return files.map((file, i) => {
      const index = /^files\[(\d+)\]$/.exec(file.field)?.[1] ?? String(i);
      const description = described.find((attachment) => String(attachment['id']) === index);
      const stored: FakeAttachment = {
        id: this.#world.snowflakes.next(),
        filename: (description === undefined ? undefined : stringField(description, 'filename')) ?? file.name,
        contentType: file.contentType || 'application/octet-stream',
        data: file.data,
      };
      const text = description === undefined ? undefined : stringField(description, 'description');
      if (text !== undefined) stored.description = text;
      return stored;
    });
  }

  #echo(event: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: FakeMessage): void {
    if (!this.#ctx.echoBotMessages || (message.flags & MessageFlags.Ephemeral) !== 0) return;
    this.#ctx.emit(event, this.#world.messageEventJson(message, this.#ctx.apiBase()));
  }

  // ---- threads ----

  createThread(request: RouteRequest, fromMessageId: string | undefined): RouteReply {
    const parent = this.#channel(request);
    if (parent === undefined) return errors.unknownChannel();
    if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement) {
      return apiError(400, 50024, 'Cannot execute action on this channel type');
    }
    const denied = this.#accessProblem(parent);
    if (denied !== undefined) return denied;
    const body = objectOrEmpty(request.body);
    const type = fromMessageId === undefined ? (numberField(body, 'type') ?? ChannelType.PrivateThread) : ChannelType.PublicThread;
    if (!THREAD_TYPES.has(type)) return errors.invalidBody(['type: Value must be one of {10, 11, 12}.']);
    const needed = type === ChannelType.PrivateThread ? PermissionFlagsBits.CreatePrivateThreads : PermissionFlagsBits.CreatePublicThreads;
    if (!this.#botCan(parent, needed)) return errors.missingPermissions();
    const name = stringField(body, 'name') ?? '';
    if (name.length < 1 || name.length > 100) return errors.invalidBody(['name: Must be between 1 and 100 in length.']);
    if (fromMessageId !== undefined) {
      const message = this.#world.messages.get(fromMessageId);
      if (message === undefined || message.channelId !== parent.id) return errors.unknownMessage();
      if (this.#world.channels.has(fromMessageId)) return apiError(400, 160004, 'A thread has already been created for this message');
    }
    const thread = this.#world.addChannel({
      id: fromMessageId ?? this.#world.snowflakes.next(),
      type,
      name,
      guildId: parent.guildId,
      parentId: parent.id,
      overwrites: [],
      position: 0,
      thread: {
        ownerId: this.#bot.id,
        archived: false,
        locked: false,
        invitable: booleanField(body, 'invitable') ?? true,
        autoArchiveDuration: numberField(body, 'auto_archive_duration') ?? 4320,
        createdAt: new Date().toISOString(),
      },
    });
    thread.memberIds.add(this.#bot.id);
    const json = { ...this.#world.channelJson(thread), member: this.#world.threadMemberJson(thread, this.#bot.id) };
    this.#ctx.emit('THREAD_CREATE', { ...json, newly_created: true });
    return { status: 201, json };
  }

  #thread(request: RouteRequest): FakeChannel | RouteReply {
    const channel = this.#channel(request);
    if (channel === undefined) return errors.unknownChannel();
    if (channel.thread === undefined) return apiError(400, 50024, 'Cannot execute action on this channel type');
    return this.#accessProblem(channel) ?? channel;
  }

  getThreadMember(request: RouteRequest): RouteReply {
    const thread = this.#thread(request);
    if ('status' in thread) return thread;
    const userId = this.#userParam(request);
    return thread.memberIds.has(userId) ? ok(this.#world.threadMemberJson(thread, userId)) : errors.unknownMember();
  }

  addThreadMember(request: RouteRequest): RouteReply {
    const thread = this.#thread(request);
    if ('status' in thread) return thread;
    const userId = this.#userParam(request);
    if (!this.#world.memberRoles.has(userId)) return errors.unknownMember();
    if (thread.thread?.archived === true) return errors.threadArchived();
    const addingSelf = userId === this.#bot.id;
    if (!addingSelf && !this.#botCan(thread, PermissionFlagsBits.SendMessagesInThreads)) return errors.missingPermissions();
    thread.memberIds.add(userId);
    return NO_CONTENT;
  }

  removeThreadMember(request: RouteRequest): RouteReply {
    const thread = this.#thread(request);
    if ('status' in thread) return thread;
    const userId = this.#userParam(request);
    const removingOther = userId !== this.#bot.id;
    if (removingOther && thread.thread?.ownerId !== this.#bot.id && !this.#botCan(thread, PermissionFlagsBits.ManageThreads)) {
      return errors.missingPermissions();
    }
    thread.memberIds.delete(userId);
    return NO_CONTENT;
  }

  #userParam(request: RouteRequest): string {
    const userId = param(request, 'userId');
    return userId === '@me' ? this.#bot.id : userId;
  }

  editThread(request: RouteRequest): RouteReply {
    const thread = this.#thread(request);
    if ('status' in thread) return thread;
    const metadata = thread.thread;
    if (metadata === undefined) return errors.unknownChannel();
    if (metadata.ownerId !== this.#bot.id && !this.#botCan(thread, PermissionFlagsBits.ManageThreads)) return errors.missingPermissions();
    const body = objectOrEmpty(request.body);
    thread.name = stringField(body, 'name') ?? thread.name;
    metadata.archived = booleanField(body, 'archived') ?? metadata.archived;
    metadata.locked = booleanField(body, 'locked') ?? metadata.locked;
    metadata.invitable = booleanField(body, 'invitable') ?? metadata.invitable;
    metadata.autoArchiveDuration = numberField(body, 'auto_archive_duration') ?? metadata.autoArchiveDuration;
    const json = this.#world.channelJson(thread);
    this.#ctx.emit('THREAD_UPDATE', json);
    return ok(json);
  }

  deleteThread(request: RouteRequest): RouteReply {
    const thread = this.#thread(request);
    if ('status' in thread) return thread;
    if (!this.#botCan(thread, PermissionFlagsBits.ManageThreads)) return errors.missingPermissions();
    this.#world.channels.delete(thread.id);
    const json = this.#world.channelJson(thread);
    this.#ctx.emit('THREAD_DELETE', { id: thread.id, guild_id: thread.guildId, parent_id: thread.parentId, type: thread.type });
    return ok(json);
  }

  // ---- interactions ----

  interactionCallback(request: RouteRequest): RouteReply {
    const record = this.#ctx.interactions.get(param(request, 'token'));
    if (record === undefined || record.id !== param(request, 'interactionId')) return errors.unknownInteraction();
    if (record.acknowledged) return errors.alreadyAcknowledged();
    if (Date.now() - record.createdAt > this.#ctx.ackDeadlineMs) return errors.unknownInteraction();
    const channel = this.#world.channels.get(record.channelId);
    if (channel === undefined) return errors.unknownChannel();
    const body = objectOrEmpty(request.body);
    const type = numberField(body, 'type');
    const data = objectOrEmpty(body['data']);
    const metadata = this.#interactionMetadata(record);
    // An autocomplete interaction takes only an autocomplete result, and only it can take one.
    if ((record.kind === 'autocomplete') !== (type === InteractionResponseType.ApplicationCommandAutocompleteResult)) {
      return errors.invalidBody([`type: ${String(type)} is not a valid response to this interaction`]);
    }
    const respond = (response: RouteReply): RouteReply => {
      if (response.status >= 400) return response;
      record.acknowledged = true;
      if (type !== undefined) record.callbackType = type;
      return this.#callbackReply(request, record, type ?? 0);
    };
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const reply = this.#createMessage(channel, data, request.files, {
          type: record.kind === 'command' ? MessageType.ChatInputCommand : MessageType.Default,
          webhookId: this.#ctx.appId,
          interactionMetadata: metadata,
        });
        record.originalMessageId = stringField(objectOrEmpty(reply.json), 'id');
        return respond(reply);
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const flags = ((numberField(data, 'flags') ?? 0) & MessageFlags.Ephemeral) | MessageFlags.Loading;
        const placeholder = this.#world.addMessage({
          channelId: channel.id,
          author: this.#bot,
          content: '',
          embeds: [],
          components: [],
          attachments: [],
          flags,
          type: record.kind === 'command' ? MessageType.ChatInputCommand : MessageType.Default,
          webhookId: this.#ctx.appId,
          interactionMetadata: metadata,
        });
        record.originalMessageId = placeholder.id;
        this.#echo('MESSAGE_CREATE', placeholder);
        return respond(NO_CONTENT);
      }
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage: {
        const source = record.sourceMessageId === undefined ? undefined : this.#world.messages.get(record.sourceMessageId);
        if (source === undefined) return apiError(400, 50035, 'Invalid Form Body', ['type: this interaction has no message to update']);
        record.originalMessageId = source.id;
        if (type === InteractionResponseType.DeferredMessageUpdate) return respond(NO_CONTENT);
        return respond(this.#editMessage(source, data, request.files));
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult: {
        const problems = autocompleteProblems(data);
        return problems.length > 0 ? errors.invalidBody(problems) : respond(NO_CONTENT);
      }
      case InteractionResponseType.Modal:
        return respond(NO_CONTENT);
      default:
        return errors.invalidBody([`type: ${String(type)} is not a supported interaction callback type`]);
    }
  }

  #callbackReply(request: RouteRequest, record: InteractionRecord, callbackType: number): RouteReply {
    if (request.query.get('with_response') !== 'true') return NO_CONTENT;
    const message = record.originalMessageId === undefined ? undefined : this.#world.messages.get(record.originalMessageId);
    return ok({
      interaction: {
        id: record.id,
        type: interactionTypeOf(record.kind),
        response_message_id: message?.id ?? null,
        response_message_loading: message === undefined ? null : (message.flags & MessageFlags.Loading) !== 0,
        response_message_ephemeral: message === undefined ? null : (message.flags & MessageFlags.Ephemeral) !== 0,
      },
      resource: {
        type: callbackType,
        ...(message === undefined ? {} : { message: this.#world.messageJson(message, this.#ctx.apiBase()) }),
      },
    });
  }

  /** What a response message says about the interaction behind it. */
  #interactionMetadata(record: InteractionRecord): JsonObject {
    return {
      id: record.id,
      type: interactionTypeOf(record.kind),
      user: this.#userJson(record.userId),
      authorizing_integration_owners: {},
    };
  }

  #userJson(userId: string): JsonObject | null {
    const user = this.#world.users.get(userId);
    return user === undefined ? null : this.#world.userJson(user);
  }

  /** The interaction behind a webhook token, if the token is ours and younger than 15 minutes. */
  #webhookInteraction(request: RouteRequest): InteractionRecord | undefined {
    if (param(request, 'appId') !== this.#ctx.appId) return undefined;
    const record = this.#ctx.interactions.get(param(request, 'token'));
    if (record === undefined || Date.now() - record.createdAt > INTERACTION_TOKEN_LIFETIME_MS) return undefined;
    return record;
  }

  #webhookMessage(request: RouteRequest): FakeMessage | RouteReply {
    const record = this.#webhookInteraction(request);
    if (record === undefined) return errors.unknownWebhook();
    const messageId = param(request, 'messageId');
    const id = messageId === '@original' ? record.originalMessageId : messageId;
    const message = id === undefined ? undefined : this.#world.messages.get(id);
    return message === undefined ? errors.unknownMessage() : message;
  }

  followUp(request: RouteRequest): RouteReply {
    const record = this.#webhookInteraction(request);
    if (record === undefined || !record.acknowledged) return errors.unknownWebhook();
    const channel = this.#world.channels.get(record.channelId);
    if (channel === undefined) return errors.unknownChannel();
    return this.#createMessage(channel, objectOrEmpty(request.body), request.files, {
      webhookId: this.#ctx.appId,
      interactionMetadata: this.#interactionMetadata(record),
    });
  }

  getWebhookMessage(request: RouteRequest): RouteReply {
    const message = this.#webhookMessage(request);
    return 'status' in message ? message : ok(this.#world.messageJson(message, this.#ctx.apiBase()));
  }

  editWebhookMessage(request: RouteRequest): RouteReply {
    const message = this.#webhookMessage(request);
    return 'status' in message ? message : this.#editMessage(message, objectOrEmpty(request.body), request.files);
  }

  deleteWebhookMessage(request: RouteRequest): RouteReply {
    const message = this.#webhookMessage(request);
    return 'status' in message ? message : this.#deleteMessage(message);
  }
}

function commandKey(body: JsonObject): string {
  return `${numberField(body, 'type') ?? 1}:${stringField(body, 'name') ?? ''}`;
}

/** The checks Discord makes on a command definition that a deploy script most often trips over. */
function commandProblems(body: JsonObject): string[] {
  const problems: string[] = [];
  const name = stringField(body, 'name') ?? '';
  const type = numberField(body, 'type') ?? 1;
  if (type === 1 && !/^[-_\p{Ll}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u.test(name)) {
    problems.push('name: Command name is invalid (1-32 lowercase characters)');
  }
  const description = stringField(body, 'description') ?? '';
  if (type === 1 && (description.length < 1 || description.length > 100)) {
    problems.push('description: Must be between 1 and 100 in length.');
  }
  if (objectsIn(arrayField(body, 'options')).length > 25) problems.push('options: Must be 25 or fewer in length.');
  return problems;
}
