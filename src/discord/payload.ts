// Plain-JSON message shapes the Discord adapter sends. discord.js accepts them as they are
// (MessageCreateOptions / InteractionReplyOptions), and a test checks that at compile time.

/** Mentions Discord may turn into pings: none. Every payload this module builds carries it. */
export const NO_MENTIONS = Object.freeze({ parse: Object.freeze([]) as readonly never[] });

export type AllowedMentionsPayload = typeof NO_MENTIONS;

export interface EmbedFieldPayload {
  name: string;
  value: string;
  inline?: boolean;
}

export interface EmbedPayload {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  timestamp?: string;
  author?: { name: string; url?: string; icon_url?: string };
  fields?: EmbedFieldPayload[];
  footer?: { text: string; icon_url?: string };
}

/** Discord's numbers: component type 1 = action row, 2 = button; style 1–4 take a custom_id, 5 is a link. */
export const COMPONENT_ACTION_ROW = 1;
export const COMPONENT_BUTTON = 2;

export const BUTTON_STYLE = Object.freeze({ primary: 1, secondary: 2, success: 3, danger: 4, link: 5 } as const);

export interface ActionButtonPayload {
  type: typeof COMPONENT_BUTTON;
  style: 1 | 2 | 3 | 4;
  custom_id: string;
  label?: string;
  emoji?: { name: string };
  disabled?: boolean;
}

export interface LinkButtonPayload {
  type: typeof COMPONENT_BUTTON;
  style: 5;
  url: string;
  label?: string;
  emoji?: { name: string };
  disabled?: boolean;
}

export type ButtonPayload = ActionButtonPayload | LinkButtonPayload;

export interface ActionRowPayload {
  type: typeof COMPONENT_ACTION_ROW;
  components: ButtonPayload[];
}

export interface FilePayload {
  name: string;
  attachment: Buffer;
  description?: string;
}

export interface DiscordMessagePayload {
  content?: string;
  embeds?: EmbedPayload[];
  components?: ActionRowPayload[];
  files?: FilePayload[];
  allowedMentions: AllowedMentionsPayload;
}

export type MessageParts = Omit<DiscordMessagePayload, 'allowedMentions'>;

/** Adds NO_MENTIONS, overriding anything the parts might smuggle in at run time. */
export function withNoMentions(parts: MessageParts): DiscordMessagePayload {
  return { ...parts, allowedMentions: NO_MENTIONS };
}

export function actionButton(customId: string, label: string, style: ActionButtonPayload['style'] = 2): ActionButtonPayload {
  return { type: COMPONENT_BUTTON, style, custom_id: customId, label };
}

export function actionRow(buttons: ButtonPayload[]): ActionRowPayload {
  return { type: COMPONENT_ACTION_ROW, components: buttons };
}
