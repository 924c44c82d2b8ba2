// Gateway intents as Discord applies them: privileged intents the application may not use close the
// connection with 4014, message events reach only sessions that asked for them, and without Message Content
// a message arrives with its content, embeds, attachments and components emptied.

import { GatewayIntentBits } from 'discord.js';
import { isJsonObject, stringField, type JsonObject } from './json.js';

/** Which privileged intents the application has switched on in the developer portal. */
export interface PrivilegedIntents {
  messageContent: boolean;
  guildMembers: boolean;
  guildPresences: boolean;
}

export const ALL_PRIVILEGED_INTENTS: PrivilegedIntents = Object.freeze({ messageContent: true, guildMembers: true, guildPresences: true });

/** Discord's close code when IDENTIFY asks for a privileged intent the application has not been given. */
export const DISALLOWED_INTENTS = 4014;

/** Whether IDENTIFY's intents ask for a privileged intent the portal has not switched on. */
export function asksForDisallowedIntent(intents: number, allowed: PrivilegedIntents): boolean {
  const has = (bit: GatewayIntentBits) => (intents & bit) !== 0;
  return (
    (has(GatewayIntentBits.MessageContent) && !allowed.messageContent) ||
    (has(GatewayIntentBits.GuildMembers) && !allowed.guildMembers) ||
    (has(GatewayIntentBits.GuildPresences) && !allowed.guildPresences)
  );
}

const MESSAGE_EVENTS = new Set(['MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_DELETE', 'MESSAGE_DELETE_BULK']);
const WITH_CONTENT = new Set(['MESSAGE_CREATE', 'MESSAGE_UPDATE']);

/**
 * The dispatch as a session with these intents receives it, or undefined when it does not receive it.
 * Content stays for the bot's own messages, DMs and messages that mention the bot, as on Discord.
 */
export function shapeForIntents(event: string, data: JsonObject, intents: number, botUserId: string): JsonObject | undefined {
  if (!MESSAGE_EVENTS.has(event)) return data;
  const inGuild = stringField(data, 'guild_id') !== undefined;
  const needed = inGuild ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages;
  if ((intents & needed) === 0) return undefined;
  if (!WITH_CONTENT.has(event) || (intents & GatewayIntentBits.MessageContent) !== 0 || !inGuild) return data;
  const author = isJsonObject(data['author']) ? stringField(data['author'], 'id') : undefined;
  const mentions = Array.isArray(data['mentions']) ? data['mentions'] : [];
  const mentionsBot = mentions.some((user) => isJsonObject(user) && stringField(user, 'id') === botUserId);
  if (author === botUserId || mentionsBot) return data;
  return { ...data, content: '', embeds: [], attachments: [], components: [] };
}
