// The team features on Discord: /board and /privacy (learner commands), /team export, /cohort, the admins'
// settings, the board's period buttons, streaks under /progress with the reminder toggle, peer help, and
// completion roles as lessons are completed. The router hands these over; the team core does the rest.

import {
  AttachmentBuilder,
  ButtonStyle,
  MessageFlags,
  PermissionFlagsBits,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  type Guild,
  type GuildMember,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { Lang } from '../../lessons/index.js';
import type { Logger } from '../../log.js';
import { DIRECT_GUILD } from '../../team/keys.js';
import { exportCsv } from '../../team/render.js';
import { cleanName, type TeamService } from '../../team/service.js';
import { serverLang } from '../../team/settings.js';
import { dayLabel, localDay } from '../../team/time.js';
import { teamWords } from '../../team/words.js';
import type { BoardPeriod, TeamAction } from '../../tutor/commands.js';
import type { Tutor } from '../../tutor/engine.js';
import type { Reply } from '../../tutor/reply.js';
import { buildMessage } from '../format.js';
import { learnerIdFor } from '../messages.js';
import { actionButton, actionRow, type DiscordMessagePayload } from '../payload.js';
import { langFromLocale, TEXT } from '../texts.js';
import { createCohort, teamAdmin, teamSettingsLines, TEAM_ADMIN_NAMES } from './admin.js';
import { boardPayload } from './embeds.js';
import { decodeTeamId, encodeTeamId, type TeamId } from './ids.js';
import { PeerHelp } from './peer-help.js';
import { grantEarnedRoles } from './roles.js';
import { TEAM_TEXT } from './texts.js';

export interface TeamDiscordDeps {
  team: TeamService;
  tutor: Pick<Tutor, 'whereIs'>;
  log: Logger;
  /** After a server's digest settings change (the bot re-declares its schedules). */
  scheduleChanged?: (guildId: string) => Promise<void>;
}

export class TeamDiscord {
  readonly peerHelp: PeerHelp;
  private client: Client | undefined;
  private detach: (() => void) | undefined;

  constructor(private readonly deps: TeamDiscordDeps) {
    this.peerHelp = new PeerHelp({
      client: () => this.client,
      store: deps.team.store,
      curriculum: deps.team.curriculum,
      log: deps.log,
      serverLang: (guildId) => this.serverLang(guildId),
      langOf: (userId, locale) => this.langOf(userId, locale),
      displayName: (i) => memberName(i),
    });
  }

  /** Starts acting on this process's learning events: peer-help offers, and roles as lessons are completed. */
  attach(client: Client): void {
    this.client = client;
    this.detach?.();
    this.detach = this.deps.team.store.onEvent((event) => {
      this.peerHelp.onEvent(event);
      if (event.type === 'lesson-completed' && event.guildId !== DIRECT_GUILD) {
        void this.grantPending(event.guildId).catch((err: unknown) => this.deps.log.warn(`roles in ${event.guildId}: ${String(err)}`));
      }
    });
  }

  close(): void {
    this.detach?.();
  }

  /** Gives pending completion roles in a server this bot is in. */
  async grantPending(guildId: string): Promise<void> {
    const guild = this.client?.guilds.cache.get(guildId);
    if (!guild) return;
    const deps = { store: this.deps.team.store, curriculum: this.deps.team.curriculum, log: this.deps.log, adminChannel: (g: Guild) => this.adminChannel(g) };
    for (const learnerId of await this.deps.team.store.pendingRoles(guildId)) await grantEarnedRoles(deps, guild, learnerId);
  }

  /** /board and /privacy, after the router deferred the reply. */
  async onAction(i: ChatInputCommandInteraction, action: TeamAction): Promise<void> {
    const guildId = i.guildId ?? DIRECT_GUILD;
    if (action.type === 'board') return void (await i.editReply(await this.board(guildId, action.period, action.cohort)));
    const lang = await this.langOf(i.user.id, i.locale);
    const name = action.visible ? cleanName(memberName(i)) : undefined;
    await this.deps.team.setPrivacy(guildId, learnerIdFor(i.user.id), name);
    await i.editReply(buildMessage({ content: name ? teamWords(lang).privacyShown(name) : teamWords(lang).privacyHidden }));
  }

  /** /team and /cohort (deferred, private). */
  async onCommand(i: ChatInputCommandInteraction): Promise<void> {
    const lang = await this.langOf(i.user.id, i.locale);
    const reply = (content: string) => i.editReply(buildMessage({ content }));
    if (!i.inGuild()) return void (await reply(TEXT.guildOnly(lang)));
    const sub = i.options.getSubcommand(true);
    const cohortName = i.options.getString(i.commandName === 'team' ? 'cohort' : 'name')?.trim().toLowerCase() || undefined;
    if (i.commandName === 'team') return this.export(i, lang, cohortName);
    if (sub === 'create') return void (await reply((await createCohort(this.deps.team, i, lang)) ?? TEXT.notAdmin(lang)));
    const cohort = cohortName ? await this.deps.team.store.cohort(i.guildId, cohortName) : undefined;
    if (!cohort) return void (await reply(teamWords(lang).unknownCohort(cohortName ?? '', await this.deps.team.store.cohortNames(i.guildId))));
    await this.deps.team.store.joinCohort(i.guildId, cohort.name, learnerIdFor(i.user.id), sub === 'join');
    await reply(sub === 'join' ? TEAM_TEXT.cohortJoined(lang, cohort.name) : TEAM_TEXT.cohortLeft(lang, cohort.name));
  }

  /** A team subcommand of /sensei-admin (Manage Server already checked); false if it is not one. */
  async onAdmin(i: ChatInputCommandInteraction & { guildId: string }, sub: string, lang: Lang): Promise<boolean> {
    const name = TEAM_ADMIN_NAMES.find((n) => n === sub);
    if (!name) return false;
    const content = await teamAdmin({ team: this.deps.team, scheduleChanged: (g) => this.deps.scheduleChanged?.(g) ?? Promise.resolve() }, i, name, lang);
    await i.editReply(buildMessage({ content }));
    return true;
  }

  settingsLines(guild: Guild, lang: Lang): Promise<string> {
    return teamSettingsLines(this.deps.team, guild, lang);
  }

  /** A button or modal of ours (`ct1:`); false if the id is someone else's. */
  async onComponent(i: ButtonInteraction | ModalSubmitInteraction): Promise<boolean> {
    const id = decodeTeamId(i.customId);
    if (!id) return false;
    if (i.isModalSubmit()) {
      if (id.action === 'ask-modal' && id.userId === i.user.id) await this.peerHelp.submitAsk(i, id);
      return true;
    }
    if (!i.isButton()) return true;
    if (id.action === 'board') {
      await i.update(await this.board(i.guildId ?? DIRECT_GUILD, id.period, id.cohort));
      return true;
    }
    if (id.userId !== i.user.id) {
      const lang = langFromLocale(i.locale);
      await i.reply({ ...buildMessage({ content: id.action === 'solved' ? TEAM_TEXT.notYours(lang) : TEXT.notYourButtons(lang) }), flags: MessageFlags.Ephemeral });
      return true;
    }
    await this.ownButton(i, id);
    return true;
  }

  /** Under /progress: the streak, and the reminder switch. */
  async progressExtras(userId: string, guildId: string | null, lang: Lang): Promise<DiscordMessagePayload[]> {
    const streak = await this.deps.team.streak(guildId ?? DIRECT_GUILD, learnerIdFor(userId));
    const w = teamWords(lang);
    const toggle = actionButton(encodeTeamId({ action: 'remind', userId, on: !streak.remind }), streak.remind ? w.remindButtonOff : w.remindButtonOn, ButtonStyle.Secondary);
    return [buildMessage({ content: w.streakLine(streak), components: [actionRow([toggle])] })];
  }

  /** After the reply in which a learner got stuck: the offer to ask the team. */
  offersFor(reply: Reply, userId: string): Promise<DiscordMessagePayload[]> {
    return this.peerHelp.offerFor(reply, userId);
  }

  private async ownButton(i: ButtonInteraction, id: Exclude<TeamId, { action: 'board' }>): Promise<void> {
    switch (id.action) {
      case 'remind': {
        await this.deps.team.store.setReminder(i.guildId ?? DIRECT_GUILD, learnerIdFor(i.user.id), id.on);
        const w = teamWords(await this.langOf(i.user.id, i.locale));
        const toggle = actionButton(encodeTeamId({ action: 'remind', userId: i.user.id, on: !id.on }), id.on ? w.remindButtonOff : w.remindButtonOn, ButtonStyle.Secondary);
        await i.update(buildMessage({ content: `${i.message.content}\n${id.on ? w.remindOn : w.remindOff}`, components: [actionRow([toggle])] }));
        return;
      }
      case 'ask':
        return this.peerHelp.pressAsk(i, id);
      case 'solved':
        return this.peerHelp.pressSolved(i, id);
      case 'ask-modal':
        return;
    }
  }

  private async board(guildId: string, period: BoardPeriod, cohort?: string): Promise<DiscordMessagePayload> {
    const lang = await this.serverLang(guildId);
    const result = await this.deps.team.board(guildId, { period, lang, ...(cohort ? { cohort } : {}) });
    if (result.ok) return boardPayload(result.model, lang);
    const w = teamWords(lang);
    return buildMessage({ content: result.reason === 'boards-off' ? w.boardsOff : w.unknownCohort(cohort ?? '', result.known), components: [] });
  }

  private async export(i: ChatInputCommandInteraction & { guildId: string }, lang: Lang, cohort: string | undefined): Promise<void> {
    const { exportRole } = await this.deps.team.store.settings(i.guildId);
    const allowed = i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) || (exportRole !== undefined && memberHasRole(i, exportRole));
    if (!allowed) return void (await i.editReply(buildMessage({ content: teamWords(lang).exportDenied })));
    const result = await this.deps.team.export(i.guildId, cohort);
    if (!result.ok) return void (await i.editReply(buildMessage({ content: teamWords(lang).unknownCohort(cohort ?? '', result.known) })));
    const { tz } = await this.deps.team.store.settings(i.guildId);
    const name = `team-${i.guildId}${result.cohort ? `-${result.cohort.name}` : ''}-${dayLabel(localDay(this.deps.team.clock(), tz))}.csv`;
    const file = new AttachmentBuilder(Buffer.from(`\uFEFF${exportCsv(result.rows, lang)}`, 'utf8'), { name });
    await i.editReply({ content: teamWords(lang).exportReady({ rows: result.rows.length, ...(result.cohort ? { cohort: result.cohort.name } : {}) }), files: [file], allowedMentions: { parse: [] } });
  }

  /** Where admins hear about role problems: the help channel, else the digest channel. */
  private async adminChannel(guild: Guild): Promise<{ send: (p: DiscordMessagePayload) => Promise<unknown>; lang: Lang } | undefined> {
    const s = await this.deps.team.store.settings(guild.id);
    const id = s.helpChannel ?? s.digestChannel;
    const channel = id ? await guild.channels.fetch(id).catch(() => null) : null;
    if (!channel?.isSendable()) return undefined;
    return { send: (p) => channel.send(p), lang: await this.serverLang(guild.id) };
  }

  async serverLang(guildId: string): Promise<Lang> {
    const settings = await this.deps.team.store.settings(guildId);
    return serverLang(settings, langFromLocale(this.client?.guilds.cache.get(guildId)?.preferredLocale));
  }

  async langOf(userId: string, locale: string | undefined): Promise<Lang> {
    const where = await this.deps.tutor.whereIs(learnerIdFor(userId)).catch(() => undefined);
    return where?.state.lang ?? langFromLocale(locale);
  }

  async learnerLang(learnerId: string): Promise<Lang | undefined> {
    return (await this.deps.tutor.whereIs(learnerId).catch(() => undefined))?.state.lang;
  }
}

/** The name a member goes by in this server. */
function memberName(i: RepliableInteraction): string {
  const member = i.member as GuildMember | { nick?: string | null } | null;
  const nick = member && 'displayName' in member ? member.displayName : (member as { nick?: string | null } | null)?.nick;
  return nick || i.user.globalName || i.user.username;
}

function memberHasRole(i: ChatInputCommandInteraction, roleId: string): boolean {
  const roles = (i.member as GuildMember | { roles: string[] } | null)?.roles;
  if (Array.isArray(roles)) return roles.includes(roleId);
  return roles?.cache.has(roleId) ?? false;
}
