// INTERACTION_CREATE payloads as Discord sends them, with the fields discord.js 14 requires
// (entitlements, authorizing_integration_owners, channel as an object).

import { ApplicationCommandType, ChannelType, ComponentType, InteractionType } from 'discord.js';
import type { JsonObject } from './json.js';
import type { FakeChannel, FakeWorld } from './world.js';

/** Who triggers an interaction and where; defaults: the first learner, the first text channel. */
export interface InteractionOrigin {
  userId?: string;
  channelId?: string;
  /** In the learner's DM with the bot instead of a guild channel. */
  dm?: boolean;
  /** The user's client language, e.g. `ja` or `en-US`. */
  locale?: string;
}

export type FakeInteractionOptions = InteractionOrigin &
  (
    | { kind: 'command'; name: string; options?: JsonObject[] }
    /** A member typing in an option with autocomplete: `options` has one option with `focused: true`. */
    | { kind: 'autocomplete'; name: string; options: JsonObject[] }
    | { kind: 'button'; customId: string; messageId?: string }
    | { kind: 'select'; customId: string; values: string[]; messageId?: string }
    | { kind: 'modal'; customId: string; fields: Readonly<Record<string, string>> }
  );

/** What the fake remembers about an interaction, to answer its callback and webhook routes. */
export interface InteractionRecord {
  id: string;
  token: string;
  kind: FakeInteractionOptions['kind'];
  channelId: string;
  userId: string;
  createdAt: number;
  acknowledged: boolean;
  callbackType?: number;
  originalMessageId?: string;
  /** The message whose component was used, for buttons and selects. */
  sourceMessageId?: string;
}

export function interactionCreatePayload(
  world: FakeWorld,
  record: InteractionRecord,
  options: FakeInteractionOptions,
  context: { appId: string; apiBase: string; commandId: string },
): JsonObject {
  const channel = world.channels.get(record.channelId);
  if (channel === undefined) throw new Error(`fake Discord: no channel ${record.channelId}`);
  const user = world.users.get(record.userId);
  if (user === undefined) throw new Error(`fake Discord: no user ${record.userId}`);
  const inGuild = channel.guildId !== undefined;
  const payload: JsonObject = {
    id: record.id,
    application_id: context.appId,
    token: record.token,
    version: 1,
    type: interactionType(options),
    data: interactionData(options, context.commandId),
    channel: world.channelJson(channel),
    channel_id: channel.id,
    app_permissions: world.permissionsIn(channel, world.botUser.id).toString(),
    locale: options.locale ?? 'ja',
    entitlements: [],
    authorizing_integration_owners: {},
    context: inGuild ? 0 : 1,
    attachment_size_limit: 10 * 1024 * 1024,
  };
  if (inGuild) {
    payload['guild_id'] = channel.guildId;
    payload['guild_locale'] = 'ja';
    payload['guild'] = { id: channel.guildId, locale: 'ja', features: [] };
    payload['member'] = world.memberJson(user.id, { withUser: true, channel });
  } else {
    payload['user'] = world.userJson(user);
  }
  if (record.sourceMessageId !== undefined) {
    const message = world.messages.get(record.sourceMessageId);
    if (message !== undefined) payload['message'] = world.messageJson(message, context.apiBase);
  }
  return payload;
}

function interactionType(options: FakeInteractionOptions): InteractionType {
  switch (options.kind) {
    case 'command':
      return InteractionType.ApplicationCommand;
    case 'autocomplete':
      return InteractionType.ApplicationCommandAutocomplete;
    case 'modal':
      return InteractionType.ModalSubmit;
    default:
      return InteractionType.MessageComponent;
  }
}

function interactionData(options: FakeInteractionOptions, commandId: string): JsonObject {
  switch (options.kind) {
    case 'command':
    case 'autocomplete':
      return {
        id: commandId,
        name: options.name,
        type: ApplicationCommandType.ChatInput,
        ...(options.options === undefined ? {} : { options: options.options }),
      };
    case 'button':
      return { custom_id: options.customId, component_type: ComponentType.Button };
    case 'select':
      return { custom_id: options.customId, component_type: ComponentType.StringSelect, values: options.values };
    case 'modal':
      return {
        custom_id: options.customId,
        components: Object.entries(options.fields).map(([customId, value]) => ({
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.TextInput, custom_id: customId, value }],
        })),
      };
  }
}

/** A bot message carrying the component a button or select interaction claims to come from. */
export function sourceMessageComponents(options: FakeInteractionOptions): JsonObject[] {
  if (options.kind === 'button') {
    return [
      {
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.Button, style: 1, custom_id: options.customId, label: 'button' }],
      },
    ];
  }
  if (options.kind === 'select') {
    return [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: options.customId,
            options: options.values.map((value) => ({ label: value, value })),
          },
        ],
      },
    ];
  }
  return [];
}

/** The interaction type Discord names in a response's metadata. */
export function interactionTypeOf(kind: FakeInteractionOptions['kind']): number {
  return kind === 'command' ? 2 : kind === 'autocomplete' ? 4 : kind === 'modal' ? 5 : 3;
}

/**
 * What Discord refuses in an autocomplete result: more than 25 choices, a name of 0 or over 100 characters, a
 * value over 100 characters, or a value not of the option's type (strings here).
 */
export function autocompleteProblems(data: JsonObject): string[] {
  const choices = data['choices'];
  if (!Array.isArray(choices)) return ['data.choices: This field is required'];
  const problems = choices.length > 25 ? ['data.choices: Must be 25 or fewer in length.'] : [];
  choices.forEach((choice, n) => {
    const { name, value } = typeof choice === 'object' && choice !== null && !Array.isArray(choice) ? choice : { name: undefined, value: undefined };
    if (typeof name !== 'string' || name.length < 1 || name.length > 100) problems.push(`data.choices.${n}.name: Must be between 1 and 100 in length.`);
    if (typeof value !== 'string' || value.length > 100) problems.push(`data.choices.${n}.value: Must be a string of 100 or fewer in length.`);
  });
  return problems;
}

export function isComponentKind(kind: FakeInteractionOptions['kind']): boolean {
  return kind === 'button' || kind === 'select';
}

export function firstTextChannel(world: FakeWorld): FakeChannel {
  const channel = [...world.channels.values()].find((candidate) => candidate.type === ChannelType.GuildText);
  if (channel === undefined) throw new Error('fake Discord: the guild has no text channel');
  return channel;
}
