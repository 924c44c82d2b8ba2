// The fake's in-memory Discord: one guild with roles, channels, threads, members, messages and commands,
// and how each looks as API JSON (snake_case, snowflakes as strings, permissions as decimal strings).

import { ChannelType, PermissionFlagsBits } from 'discord.js';
import type { Json, JsonObject } from './json.js';
import {
  channelPermissions,
  type PermissionContext,
  type PermissionOverwrite,
  type PermissionSubject,
} from './permissions.js';

const DISCORD_EPOCH = 1_420_070_400_000n;

export class SnowflakeSource {
  #increment = 0n;
  next(): string {
    this.#increment = (this.#increment + 1n) & 0xfffn;
    return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | this.#increment).toString();
  }
}

export interface FakeUser {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
}

export interface FakeChannel {
  id: string;
  type: ChannelType;
  name: string;
  guildId: string | undefined;
  parentId: string | undefined;
  overwrites: PermissionOverwrite[];
  position: number;
  /** Threads only. */
  thread?: { ownerId: string; archived: boolean; locked: boolean; invitable: boolean; autoArchiveDuration: number; createdAt: string };
  /** Threads: who has joined. DMs: the other user. */
  memberIds: Set<string>;
  lastMessageId: string | null;
}

export interface FakeAttachment {
  id: string;
  filename: string;
  contentType: string;
  data: Buffer;
  description?: string;
}

export interface FakeMessage {
  id: string;
  channelId: string;
  author: FakeUser;
  content: string;
  embeds: Json[];
  components: Json[];
  attachments: FakeAttachment[];
  flags: number;
  createdAt: string;
  editedAt: string | null;
  /** Set for interaction responses and followups. */
  webhookId?: string;
  interactionMetadata?: JsonObject;
  messageReference?: JsonObject;
  type: number;
}

export interface FakeCommand {
  id: string;
  guildId: string | undefined;
  body: JsonObject;
  version: string;
}

export interface WorldOptions {
  guildId: string;
  guildName: string;
  appId: string;
  botUsername: string;
  botPermissions: bigint;
  everyonePermissions: bigint;
  learners: readonly { id: string; username: string; globalName?: string }[];
  learnerPermissions: bigint;
  snowflakes: SnowflakeSource;
}

export class FakeWorld {
  readonly guildId: string;
  readonly guildName: string;
  readonly ownerId: string;
  readonly botUser: FakeUser;
  readonly botRoleId: string;
  readonly learnerRoleId: string;
  readonly users = new Map<string, FakeUser>();
  readonly roles = new Map<string, { name: string; permissions: bigint; position: number; managed: boolean }>();
  readonly memberRoles = new Map<string, string[]>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, FakeMessage>();
  readonly commands = new Map<string, FakeCommand>();
  readonly snowflakes: SnowflakeSource;
  readonly joinedAt = new Date().toISOString();

  constructor(options: WorldOptions) {
    this.snowflakes = options.snowflakes;
    this.guildId = options.guildId;
    this.guildName = options.guildName;
    this.ownerId = this.snowflakes.next();
    this.botUser = { id: options.appId, username: options.botUsername, globalName: null, bot: true };
    this.users.set(this.botUser.id, this.botUser);
    this.users.set(this.ownerId, { id: this.ownerId, username: 'server-owner', globalName: null, bot: false });
    this.botRoleId = this.snowflakes.next();
    this.learnerRoleId = this.snowflakes.next();
    this.roles.set(this.guildId, { name: '@everyone', permissions: options.everyonePermissions, position: 0, managed: false });
    this.roles.set(this.learnerRoleId, { name: 'learner', permissions: options.learnerPermissions, position: 1, managed: false });
    this.roles.set(this.botRoleId, { name: options.botUsername, permissions: options.botPermissions, position: 2, managed: true });
    this.memberRoles.set(this.botUser.id, [this.botRoleId]);
    this.memberRoles.set(this.ownerId, []);
    for (const learner of options.learners) {
      this.users.set(learner.id, { id: learner.id, username: learner.username, globalName: learner.globalName ?? null, bot: false });
      this.memberRoles.set(learner.id, [this.learnerRoleId]);
    }
  }

  get permissionContext(): PermissionContext {
    const rolePermissions = new Map([...this.roles].map(([id, role]) => [id, role.permissions] as const));
    return { guildId: this.guildId, ownerId: this.ownerId, rolePermissions };
  }

  subject(userId: string): PermissionSubject {
    return { userId, roleIds: this.memberRoles.get(userId) ?? [] };
  }

  /** A member's permissions in a channel; a thread's come from its parent. DMs allow what a DM allows. */
  permissionsIn(channel: FakeChannel, userId: string): bigint {
    if (channel.guildId === undefined) return DM_PERMISSIONS;
    const source = channel.thread !== undefined && channel.parentId !== undefined ? this.channels.get(channel.parentId) : channel;
    return channelPermissions(this.permissionContext, this.subject(userId), source?.overwrites ?? []);
  }

  addChannel(channel: Omit<FakeChannel, 'memberIds' | 'lastMessageId'>): FakeChannel {
    const stored: FakeChannel = { ...channel, memberIds: new Set(), lastMessageId: null };
    this.channels.set(stored.id, stored);
    return stored;
  }

  dmChannelWith(userId: string): FakeChannel {
    for (const channel of this.channels.values()) {
      if (channel.type === ChannelType.DM && channel.memberIds.has(userId)) return channel;
    }
    const channel = this.addChannel({
      id: this.snowflakes.next(),
      type: ChannelType.DM,
      name: '',
      guildId: undefined,
      parentId: undefined,
      overwrites: [],
      position: 0,
    });
    channel.memberIds.add(userId);
    return channel;
  }

  addMessage(message: Omit<FakeMessage, 'id' | 'createdAt' | 'editedAt'>): FakeMessage {
    const stored: FakeMessage = { ...message, id: this.snowflakes.next(), createdAt: new Date().toISOString(), editedAt: null };
    this.messages.set(stored.id, stored);
    const channel = this.channels.get(stored.channelId);
    if (channel !== undefined) channel.lastMessageId = stored.id;
    return stored;
  }

  // ---- API JSON ----

  userJson(user: FakeUser): JsonObject {
    return {
      id: user.id,
      username: user.username,
      global_name: user.globalName,
      discriminator: '0',
      avatar: null,
      bot: user.bot,
      system: false,
      flags: 0,
      public_flags: 0,
    };
  }

  memberJson(userId: string, options: { withUser: boolean; channel?: FakeChannel }): JsonObject {
    const user = this.users.get(userId);
    const member: JsonObject = {
      nick: null,
      avatar: null,
      banner: null,
      roles: this.memberRoles.get(userId) ?? [],
      joined_at: this.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
    };
    if (options.withUser && user !== undefined) member['user'] = this.userJson(user);
    if (options.channel !== undefined) member['permissions'] = this.permissionsIn(options.channel, userId).toString();
    return member;
  }

  roleJson(id: string): JsonObject {
    const role = this.roles.get(id);
    if (role === undefined) throw new Error(`no role ${id}`);
    return {
      id,
      name: role.name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: role.position,
      permissions: role.permissions.toString(),
      managed: role.managed,
      mentionable: false,
      flags: 0,
      ...(role.managed ? { tags: { bot_id: this.botUser.id } } : {}),
    };
  }

  channelJson(channel: FakeChannel): JsonObject {
    if (channel.type === ChannelType.DM) {
      const recipients = [...channel.memberIds].flatMap((id) => {
        const user = this.users.get(id);
        return user === undefined ? [] : [this.userJson(user)];
      });
      return { id: channel.id, type: channel.type, last_message_id: channel.lastMessageId, recipients, flags: 0 };
    }
    const common: JsonObject = {
      id: channel.id,
      type: channel.type,
      guild_id: channel.guildId,
      name: channel.name,
      parent_id: channel.parentId ?? null,
      last_message_id: channel.lastMessageId,
      rate_limit_per_user: 0,
      flags: 0,
      nsfw: false,
    };
    if (channel.thread === undefined) {
      return {
        ...common,
        position: channel.position,
        topic: null,
        permission_overwrites: channel.overwrites.map((overwrite) => ({
          id: overwrite.id,
          type: overwrite.type,
          allow: overwrite.allow.toString(),
          deny: overwrite.deny.toString(),
        })),
      };
    }
    const thread = channel.thread;
    return {
      ...common,
      owner_id: thread.ownerId,
      message_count: this.countMessagesIn(channel.id),
      total_message_sent: this.countMessagesIn(channel.id),
      member_count: channel.memberIds.size,
      thread_metadata: {
        archived: thread.archived,
        auto_archive_duration: thread.autoArchiveDuration,
        archive_timestamp: thread.createdAt,
        locked: thread.locked,
        invitable: thread.invitable,
        create_timestamp: thread.createdAt,
      },
    };
  }

  threadMemberJson(channel: FakeChannel, userId: string): JsonObject {
    return { id: channel.id, user_id: userId, join_timestamp: channel.thread?.createdAt ?? this.joinedAt, flags: 0 };
  }

  countMessagesIn(channelId: string): number {
    return [...this.messages.values()].filter((message) => message.channelId === channelId).length;
  }

  messageJson(message: FakeMessage, apiBase: string): JsonObject {
    const channel = this.channels.get(message.channelId);
    const json: JsonObject = {
      id: message.id,
      channel_id: message.channelId,
      author: this.userJson(message.author),
      content: message.content,
      timestamp: message.createdAt,
      edited_timestamp: message.editedAt,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      mention_channels: [],
      attachments: message.attachments.map((attachment) => ({
        id: attachment.id,
        filename: attachment.filename,
        size: attachment.data.length,
        content_type: attachment.contentType,
        url: `${apiBase}/attachments/${message.channelId}/${attachment.id}/${encodeURIComponent(attachment.filename)}`,
        proxy_url: `${apiBase}/attachments/${message.channelId}/${attachment.id}/${encodeURIComponent(attachment.filename)}`,
        ...(attachment.description === undefined ? {} : { description: attachment.description }),
      })),
      embeds: message.embeds,
      components: message.components,
      reactions: [],
      pinned: false,
      type: message.type,
      flags: message.flags,
    };
    if (channel?.guildId !== undefined) json['guild_id'] = channel.guildId;
    if (message.webhookId !== undefined) {
      json['webhook_id'] = message.webhookId;
      json['application_id'] = message.webhookId;
    }
    if (message.interactionMetadata !== undefined) json['interaction_metadata'] = message.interactionMetadata;
    if (message.messageReference !== undefined) json['message_reference'] = message.messageReference;
    return json;
  }

  /**
   * A message as MESSAGE_CREATE/UPDATE carry it: with `channel_type` (discord.js 14.28 needs it to build an
   * uncached DM channel, else the event is dropped) and, in a guild, the author's `member`.
   */
  messageEventJson(message: FakeMessage, apiBase: string): JsonObject {
    const json = this.messageJson(message, apiBase);
    const channel = this.channels.get(message.channelId);
    if (channel !== undefined) json['channel_type'] = channel.type;
    if (channel?.guildId !== undefined) json['member'] = this.memberJson(message.author.id, { withUser: false });
    return json;
  }

  /** The guild as GET /guilds/:id returns it; GUILD_CREATE adds channels, members and more. */
  guildJson(): JsonObject {
    return {
      id: this.guildId,
      name: this.guildName,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: this.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 1,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: 'ja',
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      max_members: 500_000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      features: [],
      roles: [...this.roles.keys()].map((id) => this.roleJson(id)),
      emojis: [],
      stickers: [],
      application_id: null,
      widget_enabled: false,
      widget_channel_id: null,
      incidents_data: null,
    };
  }

  guildCreateJson(): JsonObject {
    const guildChannels = [...this.channels.values()].filter((channel) => channel.guildId === this.guildId);
    return {
      ...this.guildJson(),
      unavailable: false,
      joined_at: this.joinedAt,
      large: false,
      member_count: this.memberRoles.size,
      members: [...this.memberRoles.keys()].map((id) => this.memberJson(id, { withUser: true })),
      channels: guildChannels.filter((channel) => channel.thread === undefined).map((channel) => this.channelJson(channel)),
      threads: guildChannels.filter((channel) => channel.thread !== undefined).map((channel) => this.channelJson(channel)),
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  commandJson(command: FakeCommand, appId: string): JsonObject {
    return {
      type: 1,
      description: '',
      default_member_permissions: null,
      nsfw: false,
      ...command.body,
      id: command.id,
      application_id: appId,
      version: command.version,
      ...(command.guildId === undefined ? {} : { guild_id: command.guildId }),
    };
  }
}

/** What a bot may do in a DM. */
export const DM_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions;
