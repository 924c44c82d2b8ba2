// Turns Discord interactions and messages into tutor events and the tutor's replies into Discord messages.
// No tutor logic here: which events exist and what they say is the core's; this file knows Discord.

import { ButtonStyle, ChannelType, MessageFlags, PermissionFlagsBits, ThreadAutoArchiveDuration } from 'discord.js';
import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, Client, RepliableInteraction, TextChannel, ThreadChannel } from 'discord.js';
import type { Lang } from '../lessons/index.js';
import type { Logger } from '../log.js';
import { eventForChoice, type Tutor, type TutorEvent } from '../tutor/engine.js';
import type { QuestionDesk } from '../tutor/questions.js';
import type { LearnerState } from '../tutor/state.js';
import { commandRequest, learnerCommand } from '../tutor/commands.js';
import type { DiscordCommandNames } from './command-names.js';
import { isPrivateAskPress, respondWithCardTitles } from './ask.js';
import { discordCommandId, DISCORD_USAGES } from './commands.js';
import { buttonIntent, decodeCustomId, encodeCustomId } from './custom-id.js';
import { buildMessage } from './format.js';
import { rowsWithout, type LearnerReplies } from './learner-replies.js';
import { liveStatus, PlaceEditBudget, placeOf } from './live-status.js';
import { learnerIdFor } from './messages.js';
import { actionButton, actionRow, type DiscordMessagePayload } from './payload.js';
import { missingPermissions } from './permissions.js';
import { renderReply } from './render.js';
import type { DiscordStore } from './store.js';
import type { TeamDiscord } from './team/team-discord.js';
import { langFromLocale, TEXT } from './texts.js';

export { learnerIdFor } from './messages.js';

/** An interaction token lives 15 minutes; past this, results go to the channel as ordinary messages. */
export const INTERACTION_TOKEN_TTL_MS = 14 * 60_000;

/** Slash commands whose replies only the caller sees, in a guild (lesson content itself goes to the thread). */
const PRIVATE_COMMANDS = new Set(['lesson', 'progress', 'platform', 'where', 'language', 'style', 'reset', 'forget', 'help', 'privacy', 'team', 'cohort', 'sensei-admin']);

/** The server an interaction happened in, for the tutor's learning events. */
const guildOf = (i: RepliableInteraction): { guildId?: string } => (i.guildId ? { guildId: i.guildId } : {});

/** A slash command option's value as the learner commands read it (text or number). */
function optionValue(i: ChatInputCommandInteraction, name: string): string | number | undefined {
  const value = i.options.get(name)?.value;
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

export interface RouterDeps {
  client: Client;
  tutor: Tutor;
  /** Card titles for /ask's autocomplete. */
  questions: Pick<QuestionDesk, 'titles'>;
  store: DiscordStore;
  replies: LearnerReplies;
  /** Whether learners can type commands (read for the admin's notice and /sensei-admin settings). */
  names: DiscordCommandNames;
  log: Logger;
  /** The team features (board, privacy, export, cohorts, admin settings, their buttons). */
  team: TeamDiscord;
  /** Overridable for tests; Discord's own limit is 15 minutes. */
  interactionTtlMs?: number;
  /** How long a command runs before its deferred reply shows a status (default STATUS_GRACE_MS). */
  runStatusGraceMs?: number;
}

/** ephemeral: only the caller sees the replies, and nothing is ever posted in the channel for them. */
type Delivery = { ephemeral: boolean };

/** Place-in-line edits a second for the whole bot, leaving most of Discord's 50 requests a second to answers. */
const PLACE_EDITS_PER_SECOND = 10;

export class DiscordRouter {
  private readonly ttlMs: number;
  private readonly placeEdits = new PlaceEditBudget(PLACE_EDITS_PER_SECOND);

  constructor(private readonly deps: RouterDeps) {
    this.ttlMs = deps.interactionTtlMs ?? INTERACTION_TOKEN_TTL_MS;
  }

  async onCommand(i: ChatInputCommandInteraction): Promise<void> {
    // Acknowledge before the tutor or the queue is asked (Discord allows 3 s). Only who may see the answer is read
    // first, in Redis: whose thread this is, and for /ask the server's choice (unreadable: private, to be safe).
    const privateAsk = async () => i.commandName === 'ask' && (await this.deps.store.askReplies(i.guildId!).catch(() => 'private')) === 'private';
    const ephemeral = i.inGuild() && (PRIVATE_COMMANDS.has(i.commandName) || (await this.inSomeoneElsesThread(i)) || (await privateAsk()));
    await i.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    const delivery: Delivery = { ephemeral };
    try {
      await this.command(i, delivery);
      await this.tellAdminAboutTyping(i);
    } catch (err) {
      await this.fail(i, err);
    }
  }

  /** /ask's question box: card titles matching what the member typed, in their language, within Discord's 3 s. */
  async onAutocomplete(i: AutocompleteInteraction): Promise<void> {
    await respondWithCardTitles(i, this.deps.questions, await this.langOf(i.user.id, i.locale));
  }

  async onButton(i: ButtonInteraction): Promise<void> {
    if (await this.deps.team.onComponent(i)) return;
    const decoded = decodeCustomId(i.customId);
    if (!decoded.ok && decoded.reason === 'notOurs') return;
    const intent = decoded.ok ? buttonIntent(decoded.data) : undefined;
    const presserLang = langFromLocale(i.locale);
    if (!decoded.ok || !intent) {
      await i.reply({ ...buildMessage({ content: TEXT.staleButton(presserLang) }), flags: MessageFlags.Ephemeral });
      return;
    }
    if (decoded.data.learnerId !== i.user.id) {
      await i.reply({ ...buildMessage({ content: TEXT.notYourButtons(presserLang) }), flags: MessageFlags.Ephemeral });
      return;
    }
    if (intent.kind === 'forget-cancel') {
      await i.update(buildMessage({ content: TEXT.forgetKept(await this.langOf(i.user.id, i.locale)), components: [] }));
      return;
    }
    if (intent.kind === 'more') return this.more(i, intent.key);
    if (intent.kind === 'forget-confirm') {
      await i.deferUpdate();
      try {
        const reply = await this.forget(i.user.id, i.locale);
        // Rendered without the learner's style: nothing may be stored again about someone just forgotten.
        const [first] = renderReply(reply, { learnerUserId: i.user.id });
        await i.editReply({ ...first!, components: [] });
      } catch (err) {
        await this.fail(i, err);
      }
      return;
    }
    const event = eventForChoice(intent.action);
    const toThread = event.type === 'start' && i.inGuild();
    const delivery: Delivery = { ephemeral: toThread || isPrivateAskPress(i, event) };
    await i.deferReply(delivery.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    try {
      if (toThread) await this.inThread(i, event, delivery);
      else if (event.type === 'run-step') await this.run(i, event, delivery);
      else await this.answer(i, event, delivery);
    } catch (err) {
      await this.fail(i, err);
    }
  }

  private async command(i: ChatInputCommandInteraction, delivery: Delivery): Promise<void> {
    const name = i.commandName;
    if (name === 'sensei-admin') return this.admin(i);
    if (name === 'team' || name === 'cohort') return this.deps.team.onCommand(i);
    if (!(await this.allowedHere(i, delivery))) return;
    const sub = i.options.getSubcommand(false);
    const id = discordCommandId(name, sub);
    if (!id) return this.answer(i, { type: 'unknown-command', given: `/${name}`, known: DISCORD_USAGES.map((u) => u.usage) }, delivery);
    const args = Object.fromEntries(learnerCommand(id).options.map((o) => [o.name, optionValue(i, o.name)]));
    const request = commandRequest(id, args);
    if (request.kind === 'invalid') {
      const usage = DISCORD_USAGES.filter((u) => u.id === id).map((u) => u.usage);
      return this.answer(i, { type: 'unknown-command', given: `/${[name, sub].filter(Boolean).join(' ')}`, known: usage }, delivery);
    }
    if (request.kind === 'team') return this.deps.team.onAction(i, request.action);
    const event = request.event;
    switch (id) {
      case 'run':
        return this.run(i, event, delivery);
      case 'start':
        return i.inGuild() ? this.inThread(i, event, delivery) : this.answer(i, event, delivery);
      case 'next':
        // /lesson continue brings the learner back to their thread; /next answers where it is used.
        return sub === 'continue' && i.inGuild() ? this.inThread(i, event, delivery) : this.answer(i, event, delivery);
      case 'progress': {
        const reply = await this.deps.tutor.handle(learnerIdFor(i.user.id), event, { langHint: langFromLocale(i.locale), ...guildOf(i) });
        const streak = await this.deps.team.progressExtras(i.user.id, i.guildId, reply.lang);
        return this.deliver(i, [...(await this.deps.replies.render(reply, i.user.id)), ...streak], delivery);
      }
      case 'forget': {
        const lang = await this.langOf(i.user.id, i.locale);
        const buttons = actionRow([
          actionButton(encodeCustomId({ action: 'forget', learnerId: i.user.id }), TEXT.forgetYes(lang), ButtonStyle.Danger),
          actionButton(encodeCustomId({ action: 'keep', learnerId: i.user.id }), TEXT.forgetNo(lang), ButtonStyle.Secondary),
        ]);
        await i.editReply(buildMessage({ content: TEXT.forgetQuestion(lang), components: [buttons] }));
        return;
      }
      default:
        return this.answer(i, event, delivery);
    }
  }

  /** Asks the tutor and delivers its reply where the interaction happened. */
  private async answer(i: RepliableInteraction, event: TutorEvent, delivery: Delivery): Promise<void> {
    const reply = await this.deps.tutor.handle(learnerIdFor(i.user.id), event, { langHint: langFromLocale(i.locale), ...guildOf(i) });
    await this.deliver(i, await this.deps.replies.render(reply, i.user.id), delivery);
  }

  /** A command run: the deferred reply shows where it runs (and a wait, if any), then the result. */
  private async run(i: RepliableInteraction, event: TutorEvent, delivery: Delivery): Promise<void> {
    const view = await this.viewOf(i.user.id, i.locale);
    if (i.guildId) {
      const wait = await this.deps.store.takeTurn(i.guildId, i.user.id);
      if (wait > 0) {
        await this.deliver(i, [buildMessage({ content: TEXT.cooldown(view.lang, wait) })], delivery);
        return;
      }
    }
    const status = liveStatus(i, view.lang, placeOf(view.context), () => this.expired(i), this.placeEdits, this.deps.runStatusGraceMs);
    const reply = await this.deps.tutor.handle(learnerIdFor(i.user.id), event, { onProgress: status.onProgress, langHint: langFromLocale(i.locale), ...guildOf(i) });
    await status.settled();
    await this.deliver(i, await this.deps.replies.render(reply, i.user.id), delivery);
  }

  /** A "More" button: what the short reply left out, in the same message when it fits, else right after it. */
  private async more(i: ButtonInteraction, key: string): Promise<void> {
    const expanded = await this.deps.replies.expand(i.user.id, key, i.message.content);
    if (!expanded) {
      await i.reply({ ...buildMessage({ content: TEXT.moreGone(await this.langOf(i.user.id, i.locale)) }), flags: MessageFlags.Ephemeral });
      return;
    }
    const components = rowsWithout(i.message.components.map((row) => row.toJSON()), i.customId);
    await i.update(buildMessage({ ...(expanded.inPlace !== undefined ? { content: expanded.inPlace } : {}), components }));
    for (const payload of expanded.after) await i.followUp(payload);
  }

  /** Lesson content goes to the learner's private thread; the interaction itself gets a pointer to it. */
  private async inThread(i: RepliableInteraction, event: TutorEvent, delivery: Delivery): Promise<void> {
    const lang = await this.langOf(i.user.id, i.locale);
    const thread = await this.threadFor(i, lang);
    if (!thread) return;
    const reply = await this.deps.tutor.handle(learnerIdFor(i.user.id), event, { langHint: langFromLocale(i.locale), ...guildOf(i) });
    for (const payload of await this.deps.replies.render(reply, i.user.id)) await thread.send(payload);
    // Used inside that thread, a pointer to it would point at itself: the private "thinking…" just goes away.
    if (i.channelId === thread.id) {
      if (!this.expired(i)) await i.deleteReply().catch((err: unknown) => this.deps.log.warn(`interaction ${i.id}: deferred reply not deleted: ${String(err)}`));
      return;
    }
    await this.deliver(i, [buildMessage({ content: TEXT.threadReady(reply.lang, thread.id) })], delivery);
  }

  /** The learner's thread in this guild: the stored one if it still exists, else a new private thread. */
  private async threadFor(i: RepliableInteraction, lang: Lang): Promise<ThreadChannel | undefined> {
    const guildId = i.guildId;
    const here = i.channel;
    if (!guildId || !here) return undefined;
    const parent = here.isThread() ? here.parent : here;
    if (!parent || parent.type !== ChannelType.GuildText) {
      await this.deliver(i, [buildMessage({ content: TEXT.missingPermissions(lang, `<#${here.id}>`, ['CreatePrivateThreads']) })], { ephemeral: true });
      return undefined;
    }
    const missing = missingPermissions(this.botPermissionsIn(i, parent));
    if (missing.length > 0) {
      await this.deliver(i, [buildMessage({ content: TEXT.missingPermissions(lang, `<#${parent.id}>`, missing) })], { ephemeral: true });
      return undefined;
    }
    const stored = await this.deps.store.threadOf(i.user.id, guildId);
    if (stored) {
      const existing = await this.deps.client.channels.fetch(stored).catch(() => null);
      if (existing?.isThread()) {
        if (existing.archived) await existing.setArchived(false).catch(() => undefined);
        // Learners may have left their thread; adding them again is harmless when they have not.
        await existing.members.add(i.user.id).catch(() => undefined);
        return existing;
      }
    }
    const thread = await (parent as TextChannel).threads.create({
      name: TEXT.threadName(lang, i.user.displayName || i.user.username).slice(0, 100),
      type: ChannelType.PrivateThread,
      invitable: false,
      autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek,
    });
    await thread.members.add(i.user.id);
    await this.deps.store.setThread(i.user.id, guildId, thread.id);
    return thread;
  }

  /** The bot's permissions in a channel: Discord sends them with each interaction; the cache is the fallback. */
  private botPermissionsIn(i: RepliableInteraction, channel: TextChannel): bigint | undefined {
    if (i.channelId === channel.id && i.appPermissions) return i.appPermissions.bitfield;
    const me = this.deps.client.user;
    return me ? (channel.permissionsFor(me)?.bitfield ?? undefined) : undefined;
  }

  private async allowedHere(i: ChatInputCommandInteraction, delivery: Delivery): Promise<boolean> {
    if (!i.guildId || !i.channel) return true;
    const channelId = i.channel.isThread() ? (i.channel.parentId ?? i.channel.id) : i.channel.id;
    const { allowed, allowlist } = await this.deps.store.isChannelAllowed(i.guildId, channelId);
    if (allowed) return true;
    await this.refuse(i, TEXT.channelNotAllowed(await this.langOf(i.user.id, i.locale), allowlist), delivery);
    return false;
  }

  private async admin(i: ChatInputCommandInteraction): Promise<void> {
    const lang = langFromLocale(i.locale);
    const reply = (content: string) => i.editReply(buildMessage({ content }));
    if (!i.inGuild()) return void (await reply(TEXT.guildOnly(lang)));
    // Discord hides the command from others (default_member_permissions); checked again here all the same.
    if (!i.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return void (await reply(TEXT.notAdmin(lang)));
    const store = this.deps.store;
    switch (i.options.getSubcommand(true)) {
      case 'allow-channel': {
        const channelId = String(i.options.get('channel', true).value);
        await store.allowChannel(i.guildId, channelId);
        return void (await reply(TEXT.channelAllowed(lang, channelId)));
      }
      case 'disallow-channel': {
        const channelId = String(i.options.get('channel', true).value);
        await store.disallowChannel(i.guildId, channelId);
        return void (await reply(TEXT.channelDisallowed(lang, channelId)));
      }
      case 'cooldown': {
        const seconds = i.options.getInteger('seconds', true);
        await store.setCooldownSeconds(i.guildId, seconds);
        return void (await reply(TEXT.cooldownSet(lang, await store.cooldownSeconds(i.guildId))));
      }
      case 'ask-replies': {
        await store.setAskReplies(i.guildId, i.options.getString('visibility', true) === 'private' ? 'private' : 'public');
        return void (await reply(TEXT.askRepliesSet(lang, await store.askReplies(i.guildId))));
      }
      case 'settings': {
        const missing = missingPermissions(i.appPermissions?.bitfield);
        const [allowed, cooldown, askReplies] = [await store.allowedChannels(i.guildId), await store.cooldownSeconds(i.guildId), await store.askReplies(i.guildId)];
        const team = i.guild ? `\n${await this.deps.team.settingsLines(i.guild, lang)}` : '';
        return void (await reply(`${TEXT.settings(lang, allowed, cooldown, missing, this.deps.names.canType)}\n${TEXT.askRepliesLine(lang, askReplies)}${team}`));
      }
      default:
        await this.deps.team.onAdmin(i, i.options.getSubcommand(true), lang);
    }
  }

  /** Everything stored about a user: the tutor's record (and sandbox session), then our thread records. */
  private async forget(userId: string, locale: string | undefined) {
    const reply = await this.deps.tutor.handle(learnerIdFor(userId), { type: 'forget' }, { langHint: langFromLocale(locale) });
    await this.deps.store.forgetUser(userId);
    this.deps.team.peerHelp.forgetUser(userId);
    return reply;
  }

  /**
   * Sends payloads for a deferred interaction: the first edits the deferred reply, the rest follow up. Once the
   * token is about to expire, they go to the channel as ordinary messages instead.
   */
  private async deliver(i: RepliableInteraction, payloads: readonly DiscordMessagePayload[], delivery: Delivery): Promise<void> {
    if (this.expired(i)) {
      const channel = i.channel;
      // A private answer must never become a public message, even late.
      if (!delivery.ephemeral && channel && channel.isSendable()) for (const payload of payloads) await channel.send(payload);
      else this.deps.log.warn(`interaction ${i.id}: token expired and the reply cannot go to channel ${i.channelId}; reply dropped`);
      return;
    }
    const [first, ...rest] = payloads;
    if (first) await i.editReply(first);
    for (const payload of rest) await i.followUp(delivery.ephemeral ? { ...payload, flags: MessageFlags.Ephemeral } : payload);
  }

  /** A refusal after a public deferral: the public placeholder goes away and only the caller sees why. */
  private async refuse(i: RepliableInteraction, content: string, delivery: Delivery): Promise<void> {
    const payload = buildMessage({ content });
    if (delivery.ephemeral) {
      await i.editReply(payload);
      return;
    }
    await i.deleteReply().catch(() => undefined);
    await i.followUp({ ...payload, flags: MessageFlags.Ephemeral });
  }

  private expired(i: RepliableInteraction): boolean {
    return Date.now() - i.createdTimestamp > this.ttlMs;
  }

  private async langOf(userId: string, locale: string | undefined): Promise<Lang> {
    return (await this.viewOf(userId, locale)).lang;
  }

  /** The learner's language (their own, else their client's) and where their commands run now. */
  private async viewOf(userId: string, locale: string | undefined): Promise<{ lang: Lang; context: LearnerState['context'] }> {
    const where = await this.deps.tutor.whereIs(learnerIdFor(userId)).catch(() => undefined);
    return { lang: where?.state.lang ?? langFromLocale(locale), context: where?.state.context };
  }

  /** A slash command inside another learner's lesson thread: answered to the caller only. */
  private async inSomeoneElsesThread(i: ChatInputCommandInteraction): Promise<boolean> {
    if (!i.channel?.isThread()) return false;
    const owner = await this.deps.store.threadOwner(i.channel.id).catch(() => undefined);
    return owner !== undefined && owner !== i.user.id;
  }

  /** Without typed messages, the first admin who uses a command in a server hears, privately, how to fix it. */
  private async tellAdminAboutTyping(i: ChatInputCommandInteraction): Promise<void> {
    if (this.deps.names.canType || !i.inGuild() || !i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) || this.expired(i)) return;
    if (!(await this.deps.store.firstTime({ kind: 'intent-admin', guildId: i.guildId }))) return;
    await i.followUp({ ...buildMessage({ content: TEXT.intentMissingAdmin(langFromLocale(i.locale)) }), flags: MessageFlags.Ephemeral });
  }

  private async fail(i: RepliableInteraction, err: unknown): Promise<void> {
    this.deps.log.error(`interaction ${i.id} failed: ${(err as Error)?.stack ?? String(err)}`);
    const content = TEXT.failed(langFromLocale(i.locale));
    await (i.deferred || i.replied ? i.editReply(buildMessage({ content })) : i.reply({ ...buildMessage({ content }), flags: MessageFlags.Ephemeral })).catch(() => undefined);
  }
}
