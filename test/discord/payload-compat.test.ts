// The payload types are our own plain shapes; this file fails to type-check (npx tsc) if discord.js would not
// accept them. test/fake-discord checks the REST body discord.js builds from them.
import type { InteractionEditReplyOptions, InteractionReplyOptions, MessageCreateOptions, WebhookMessageEditOptions } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { encodeCustomId } from '../../src/discord/custom-id.js';
import { buildMessage } from '../../src/discord/format.js';
import { actionButton, actionRow, BUTTON_STYLE, type DiscordMessagePayload } from '../../src/discord/payload.js';

const payload: DiscordMessagePayload = buildMessage({
  content: 'hi',
  embeds: [{ title: 't', description: 'd', fields: [{ name: 'n', value: 'v', inline: true }], footer: { text: 'f' } }],
  components: [
    actionRow([
      actionButton(encodeCustomId({ action: 'hint', learnerId: '1' }), 'Hint', BUTTON_STYLE.primary),
      { type: 2, style: BUTTON_STYLE.link, url: 'https://docs.docker.com', label: 'Docs' },
    ]),
  ],
  files: [{ name: 'stdout.txt', attachment: Buffer.from('out') }],
});

describe('DiscordMessagePayload and discord.js', () => {
  it('is accepted by discord.js option types (checked by tsc)', () => {
    const asMessage: MessageCreateOptions = payload;
    const asReply: InteractionReplyOptions = payload;
    const asEditReply: InteractionEditReplyOptions = payload;
    const asWebhookEdit: WebhookMessageEditOptions = payload;
    expect([asMessage, asReply, asEditReply, asWebhookEdit]).toHaveLength(4);
  });
});
