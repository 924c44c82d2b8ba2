// Typed messages: what a learner writes in their own lesson thread (or in a DM with the bot) goes to the
// tutor as typed text, and each reply is posted in order. Others writing in someone's thread get a pointer
// once; a message that reaches us empty (no Message Content intent) gets the learner a /run pointer once.

import type { Message, SendableChannels } from 'discord.js';
import type { Lang } from '../lessons/index.js';
import type { Logger } from '../log.js';
import type { Tutor } from '../tutor/engine.js';
import { stepCommand } from '../tutor/persona.js';
import { buildMessage } from './format.js';
import type { LearnerReplies } from './learner-replies.js';
import type { DiscordStore } from './store.js';
import { langFromLocale, TEXT } from './texts.js';

/** The tutor's learner id for a Discord user: one namespace per transport. */
export function learnerIdFor(userId: string): string {
  return `discord-${userId}`;
}

/** The Discord user behind a tutor learner id, if it is one. */
export function userIdOf(learnerId: string): string | undefined {
  return /^discord-(\d{1,20})$/.exec(learnerId)?.[1];
}

/** Discord shows "typing…" for 10 s; it is renewed a little sooner while the tutor works. */
const TYPING_RENEW_MS = 8_000;
/** The /run example in the pointer when the learner's step command is too long to quote. */
const EXAMPLE_COMMAND = 'ps aux';
const EXAMPLE_MAX = 60;

export interface TypedMessagesDeps {
  tutor: Tutor;
  store: DiscordStore;
  replies: LearnerReplies;
  log: Logger;
}

export class TypedMessages {
  constructor(private readonly deps: TypedMessagesDeps) {}

  async onMessage(message: Message): Promise<void> {
    if (message.author.bot || message.system || message.webhookId) return;
    const channel = message.channel;
    if (!channel.isSendable()) return;
    if (!channel.isDMBased()) {
      if (!channel.isThread()) return;
      const owner = await this.deps.store.threadOwner(channel.id);
      if (owner === undefined) return; // not one of our lesson threads
      if (owner !== message.author.id) return this.notTheirThread(message, channel.id);
      if (reachedUsEmpty(message)) return this.pointToRun(message, channel);
    }
    const text = message.content;
    if (text.trim() === '') return; // a file or sticker alone: nothing to read
    const view = await this.view(message.author.id, message.guild?.preferredLocale);
    if (message.guildId) {
      const wait = await this.deps.store.takeTurn(message.guildId, message.author.id);
      if (wait > 0) {
        await channel.send(buildMessage({ content: TEXT.cooldown(view.lang, wait) }));
        return;
      }
    }
    const stopTyping = keepTyping(channel);
    try {
      await this.deps.tutor.typed(learnerIdFor(message.author.id), text, {
        // A DM has no server locale to go by: a new learner there starts in the tutor's own default language.
        ...(message.inGuild() ? { langHint: view.lang, guildId: message.guildId } : {}),
        onReply: async (reply) => {
          for (const payload of await this.deps.replies.render(reply, message.author.id)) await channel.send(payload);
        },
      });
    } catch (err) {
      this.deps.log.error(`message ${message.id} failed: ${(err as Error)?.stack ?? String(err)}`);
      await channel.send(buildMessage({ content: TEXT.failed(view.lang) })).catch(() => undefined);
    } finally {
      stopTyping();
    }
  }

  /** Another member wrote in someone's lesson thread: nothing runs; they hear once how to get their own. */
  private async notTheirThread(message: Message, threadId: string): Promise<void> {
    if (!(await this.deps.store.firstTime({ kind: 'not-your-thread', userId: message.author.id, threadId }))) return;
    const { lang } = await this.view(message.author.id, message.guild?.preferredLocale);
    // Someone with a thread of their own is pointed at it, not told to start one.
    const own = message.guildId ? await this.deps.store.threadOf(message.author.id, message.guildId) : undefined;
    await message.reply(buildMessage({ content: TEXT.notYourThread(lang, own) }));
  }

  /** Without the Message Content intent: the learner hears once how to use /run; the log tells the admins. */
  private async pointToRun(message: Message, channel: SendableChannels): Promise<void> {
    const guildId = message.guildId;
    if (guildId && (await this.deps.store.firstTime({ kind: 'intent-logged', guildId }))) {
      this.deps.log.warn(`typed messages in ${message.guild?.name ?? 'a server'} (${guildId}) reach the bot empty. ${TEXT.intentMissingAdmin('en')}`);
    }
    if (!(await this.deps.store.firstTime({ kind: 'run-pointer', userId: message.author.id }))) return;
    const view = await this.view(message.author.id, message.guild?.preferredLocale);
    await channel.send(buildMessage({ content: TEXT.runPointer(view.lang, view.example) }));
  }

  private async view(userId: string, locale: string | undefined): Promise<{ lang: Lang; example: string }> {
    const where = await this.deps.tutor.whereIs(learnerIdFor(userId)).catch(() => undefined);
    const stepLine = where?.step ? stepCommand(where.step) : undefined;
    const example = stepLine && stepLine.length <= EXAMPLE_MAX && !/[\n`]/.test(stepLine) ? stepLine : EXAMPLE_COMMAND;
    return { lang: where?.state.lang ?? langFromLocale(locale), example };
  }
}

/**
 * A message with nothing in it: what Discord delivers when the bot lacks the Message Content intent. A file,
 * sticker, embed, poll or forward alone has content elsewhere, so it is not one.
 */
export function reachedUsEmpty(message: Pick<Message, 'content' | 'attachments' | 'stickers' | 'embeds' | 'poll' | 'messageSnapshots'>): boolean {
  return (
    message.content === '' &&
    message.attachments.size === 0 &&
    message.stickers.size === 0 &&
    message.embeds.length === 0 &&
    message.poll === null &&
    message.messageSnapshots.size === 0
  );
}

/** Shows "typing…" until stopped. */
function keepTyping(channel: SendableChannels): () => void {
  const send = () => void channel.sendTyping().catch(() => undefined);
  send();
  const timer = setInterval(send, TYPING_RENEW_MS);
  return () => clearInterval(timer);
}
