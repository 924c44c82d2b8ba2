// The admins' team settings (subcommands of /sensei-admin) and cohort creation. Every change is checked
// first, and a bad value gets a message that says what to write instead.

import { PermissionFlagsBits, type ChatInputCommandInteraction, type Guild } from 'discord.js';
import type { Curriculum, Lang } from '../../lessons/index.js';
import type { TeamService } from '../../team/service.js';
import { digestSchedule } from '../../team/settings.js';
import type { Cohort } from '../../team/store.js';
import { dayLabel, dayNumberOf, isTimeZone, localParts } from '../../team/time.js';
import { missingPermissions } from '../permissions.js';
import { PERMISSION_NAMES } from '../texts.js';
import { resolveRoleTarget, roleProblem, roleProblemText } from './roles.js';
import { TEAM_TEXT } from './texts.js';

export const TEAM_ADMIN_NAMES = ['timezone', 'server-language', 'boards', 'digest', 'digest-stop', 'help-channel', 'roles', 'export-role'] as const;

export interface TeamAdminDeps {
  team: TeamService;
  /** After a change to a server's digest schedule. */
  scheduleChanged: (guildId: string) => Promise<void>;
}

const optionId = (i: ChatInputCommandInteraction, name: string): string | undefined => {
  const value = i.options.get(name)?.value;
  return value === undefined || value === null ? undefined : String(value);
};

/** Answers a team admin subcommand; the caller has checked Manage Server. */
export async function teamAdmin(deps: TeamAdminDeps, i: ChatInputCommandInteraction & { guildId: string }, sub: (typeof TEAM_ADMIN_NAMES)[number], lang: Lang): Promise<string> {
  const { store } = deps.team;
  const guildId = i.guildId;
  switch (sub) {
    case 'timezone': {
      const tz = i.options.getString('tz', true).trim();
      if (!isTimeZone(tz)) return TEAM_TEXT.tzInvalid(lang, tz);
      await store.setSettings(guildId, { tz });
      await deps.scheduleChanged(guildId);
      const p = localParts(deps.team.clock(), tz);
      return TEAM_TEXT.tzSet(lang, tz, `${dayLabel(dayNumberOf(p.year, p.month, p.day))} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`);
    }
    case 'server-language': {
      const chosen: Lang = i.options.getString('lang', true) === 'en' ? 'en' : 'ja';
      await store.setSettings(guildId, { lang: chosen });
      return TEAM_TEXT.langSet(lang, chosen);
    }
    case 'boards': {
      const on = i.options.getString('state', true) !== 'off';
      await store.setSettings(guildId, { boards: on ? 'on' : 'off' });
      return TEAM_TEXT.boardsSet(lang, on);
    }
    case 'digest': {
      const channelId = optionId(i, 'channel')!;
      const cannot = await channelProblem(i, channelId, lang);
      if (cannot) return cannot;
      const settings = await store.setSettings(guildId, {
        digestChannel: channelId,
        digestWeekday: String(i.options.getInteger('weekday', true)),
        digestHour: String(i.options.getInteger('hour', true)),
        digestMonthly: i.options.getBoolean('monthly') ? 'on' : 'off',
      });
      await deps.scheduleChanged(guildId);
      const s = digestSchedule(settings)!;
      return TEAM_TEXT.digestSet(lang, { channelId, weekday: TEAM_TEXT.weekday(lang, s.weekday), hour: s.hour, tz: settings.tz, monthly: s.monthly });
    }
    case 'digest-stop':
      await store.setSettings(guildId, { digestChannel: undefined, digestWeekday: undefined, digestHour: undefined, digestMonthly: undefined });
      await deps.scheduleChanged(guildId);
      return TEAM_TEXT.digestStopped(lang);
    case 'help-channel': {
      const channelId = optionId(i, 'channel')!;
      const cannot = await channelProblem(i, channelId, lang, ['ViewChannel', 'SendMessages', 'CreatePublicThreads', 'SendMessagesInThreads', 'ReadMessageHistory']);
      if (cannot) return cannot;
      await store.setSettings(guildId, { helpChannel: channelId });
      return TEAM_TEXT.helpChannelSet(lang, channelId);
    }
    case 'export-role': {
      const roleId = optionId(i, 'role');
      await store.setSettings(guildId, { exportRole: roleId });
      return TEAM_TEXT.exportRoleSet(lang, roleId);
    }
    case 'roles':
      return roles(deps, i, lang);
  }
}

async function roles(deps: TeamAdminDeps, i: ChatInputCommandInteraction & { guildId: string }, lang: Lang): Promise<string> {
  const { store, curriculum } = deps.team;
  const given = i.options.getString('target');
  const roleId = optionId(i, 'role');
  const remove = i.options.getBoolean('remove') ?? false;
  const guild = i.guild ?? (await i.client.guilds.fetch(i.guildId));
  if (!given && !roleId) {
    const lines = [...(await store.roleMap(i.guildId))].map(([target, id]) => {
      const problem = roleProblem(guild, id);
      return `• ${targetLabel(curriculum, lang, target)} → <@&${id}>${problem ? `\n  ${roleProblemText(lang, problem, id, guild)}` : ''}`;
    });
    return TEAM_TEXT.roleList(lang, lines);
  }
  const target = given ? resolveRoleTarget(curriculum, lang, given) : undefined;
  if (!target) return TEAM_TEXT.roleUnknownTarget(lang, given ?? '');
  if (remove) {
    await store.setRole(i.guildId, target.target, undefined);
    return TEAM_TEXT.roleRemoved(lang, target.label);
  }
  if (!roleId) return TEAM_TEXT.roleNeedsBoth(lang);
  const problem = roleProblem(guild, roleId);
  // Saved either way, so it works once the admins fix the problem; they hear exactly what it is now.
  await store.setRole(i.guildId, target.target, roleId);
  const saved = TEAM_TEXT.roleSet(lang, target.label, roleId);
  return problem ? `${saved}\n${roleProblemText(lang, problem, roleId, guild)}` : saved;
}

function targetLabel(curriculum: Curriculum, lang: Lang, target: string): string {
  const [kind, value] = target.split(':') as [string, string];
  return resolveRoleTarget(curriculum, lang, kind === 'phase' ? `phase ${value}` : value)?.label ?? target;
}

/** What the bot lacks in a channel it is asked to post in, worded; undefined when nothing. */
async function channelProblem(i: ChatInputCommandInteraction, channelId: string, lang: Lang, needed: Parameters<typeof missingPermissions>[1] = ['ViewChannel', 'SendMessages', 'EmbedLinks']): Promise<string | undefined> {
  const channel = await i.client.channels.fetch(channelId).catch(() => null);
  const me = i.client.user;
  const granted = channel && 'permissionsFor' in channel && me ? channel.permissionsFor(me)?.bitfield : undefined;
  const missing = missingPermissions(granted, needed);
  return missing.length ? TEAM_TEXT.channelCannot(lang, channelId, missing.map((p) => PERMISSION_NAMES[p][lang]).join(', ')) : undefined;
}

/** /cohort create: admins only; a name, its lessons and a deadline, each checked. */
export async function createCohort(team: TeamService, i: ChatInputCommandInteraction & { guildId: string }, lang: Lang): Promise<string | undefined> {
  if (!i.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return undefined;
  const name = i.options.getString('name', true).trim().toLowerCase();
  if (!/^[a-z0-9_-]{1,32}$/.test(name)) return TEAM_TEXT.cohortBadName(lang);
  const given = i.options.getString('lessons', true);
  const lessons = given.split(/[,\s、]+/).filter(Boolean).map((part) => resolveRoleTarget(team.curriculum, lang, part));
  if (lessons.length === 0 || lessons.some((l) => !l || !l.target.startsWith('lesson:'))) return TEAM_TEXT.cohortBadLessons(lang, given);
  const deadline = i.options.getString('deadline', true).trim();
  const parsed = /^(\d{4})-(\d{2})-(\d{2})$/.exec(deadline);
  if (!parsed || dayLabel(dayNumberOf(Number(parsed[1]), Number(parsed[2]), Number(parsed[3]))) !== deadline) return TEAM_TEXT.cohortBadDeadline(lang, deadline);
  const order = new Map(team.curriculum.list(lang).map((l) => [l.id, l.order]));
  const ids = [...new Set(lessons.map((l) => l!.target.slice('lesson:'.length)))].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  const cohort: Cohort = { name, lessons: ids, deadline };
  await team.store.saveCohort(i.guildId, cohort);
  return TEAM_TEXT.cohortCreated(lang, name, ids.join(', '), deadline);
}

/** The team settings, for /sensei-admin settings. */
export async function teamSettingsLines(team: TeamService, guild: Guild, lang: Lang): Promise<string> {
  const s = await team.store.settings(guild.id);
  const digest = digestSchedule(s);
  const ja = lang === 'ja';
  const lines = [
    `${ja ? 'タイムゾーン' : 'Time zone'}: ${s.tz}`,
    `${ja ? '学習ボード' : 'Study board'}: ${s.boards}`,
    `${ja ? 'まとめ' : 'Digest'}: ${digest ? `<#${digest.channelId}> ${TEAM_TEXT.weekday(lang, digest.weekday)} ${digest.hour}:00${digest.monthly ? ' (+monthly)' : ''}` : '—'}`,
    `${ja ? 'ヘルプ用チャンネル' : 'Help channel'}: ${s.helpChannel ? `<#${s.helpChannel}>` : '—'}`,
    `${ja ? '修了ロール' : 'Completion roles'}: ${(await team.store.roleMap(guild.id)).size}`,
  ];
  return lines.join('\n');
}
