// Completion roles: an admin maps a lesson or a phase to a role; whoever finishes it gets the role (roles
// stack). Before a mapping is saved, and whenever a grant fails, the admins hear exactly what is wrong.

import { PermissionFlagsBits, type Guild } from 'discord.js';
import type { Curriculum, Lang } from '../../lessons/index.js';
import type { Logger } from '../../log.js';
import type { TeamStore } from '../../team/store.js';
import { userIdOf } from '../messages.js';
import { buildMessage } from '../format.js';
import type { DiscordMessagePayload } from '../payload.js';
import { TEAM_TEXT } from './texts.js';

export type RoleProblem = 'manage-roles' | 'above-bot' | 'managed' | 'unknown-role';

/** `lesson:<id>` or `phase:<n>`, from what an admin typed: a lesson id, number or prefix, or "phase N". */
export function resolveRoleTarget(curriculum: Curriculum, lang: Lang, given: string): { target: string; label: string } | undefined {
  const text = given.trim().toLowerCase();
  const phase = /^(?:phase|フェーズ)\s*:?\s*(\d+)$/.exec(text);
  if (phase) {
    const found = curriculum.phases(lang).find((p) => p.number === Number(phase[1]));
    return found ? { target: `phase:${found.number}`, label: `phase ${found.number}${found.title ? ` (${found.title})` : ''}` } : undefined;
  }
  const lessons = curriculum.list(lang);
  const byPrefix = lessons.filter((l) => l.id.startsWith(text));
  const lesson = lessons.find((l) => l.id === text) ?? (/^\d+$/.test(text) ? lessons.find((l) => l.order === Number(text)) : undefined) ?? (byPrefix.length === 1 ? byPrefix[0] : undefined);
  return lesson && text !== '' ? { target: `lesson:${lesson.id}`, label: `“${lesson.title}”` } : undefined;
}

/** The roles a learner has earned: each mapped lesson they finished, each phase whose lessons they all finished. */
export function earnedRoles(map: ReadonlyMap<string, string>, done: ReadonlySet<string>, curriculum: Curriculum): string[] {
  const phases = curriculum.phases('en');
  const earned = new Set<string>();
  for (const [target, roleId] of map) {
    const [kind, value] = target.split(':') as [string, string];
    if (kind === 'lesson' && done.has(value)) earned.add(roleId);
    const phase = kind === 'phase' ? phases.find((p) => p.number === Number(value)) : undefined;
    if (phase && phase.lessons.every((l) => done.has(l.id))) earned.add(roleId);
  }
  return [...earned];
}

/** Why the bot could not give a role in this server, if it could not. */
export function roleProblem(guild: Guild, roleId: string): RoleProblem | undefined {
  const me = guild.members.me;
  const role = guild.roles.cache.get(roleId);
  if (!role) return 'unknown-role';
  if (!me || !me.permissions.has(PermissionFlagsBits.ManageRoles)) return 'manage-roles';
  if (role.managed || role.id === guild.id) return 'managed';
  if (role.comparePositionTo(me.roles.highest) >= 0) return 'above-bot';
  return undefined;
}

export function roleProblemText(lang: Lang, problem: RoleProblem, roleId: string, guild: Guild): string {
  switch (problem) {
    case 'manage-roles':
      return TEAM_TEXT.needManageRoles(lang);
    case 'above-bot':
      return TEAM_TEXT.roleAboveBot(lang, roleId, guild.members.me?.roles.highest.name ?? '?');
    case 'managed':
    case 'unknown-role':
      return TEAM_TEXT.roleManaged(lang, roleId);
  }
}

export interface RoleGrantDeps {
  store: TeamStore;
  curriculum: Curriculum;
  log: Logger;
  /** Where admins hear about grants that failed (their digest or help channel), in the server's language. */
  adminChannel: (guild: Guild) => Promise<{ send: (payload: DiscordMessagePayload) => Promise<unknown>; lang: Lang } | undefined>;
}

/** Gives a learner every role they earned and have not got; they stay pending while any grant fails. */
export async function grantEarnedRoles(deps: RoleGrantDeps, guild: Guild, learnerId: string): Promise<string[]> {
  const userId = userIdOf(learnerId);
  if (!userId) return [];
  const { store } = deps;
  const [map, done, granted] = await Promise.all([store.roleMap(guild.id), store.lessonsDone(guild.id, learnerId), store.grantedRoles(guild.id, learnerId)]);
  const due = earnedRoles(map, done, deps.curriculum).filter((roleId) => !granted.has(roleId));
  const given: string[] = [];
  let failed = false;
  for (const roleId of due) {
    const problem = roleProblem(guild, roleId);
    try {
      if (problem) throw new RoleError(problem);
      await guild.members.addRole({ user: userId, role: roleId, reason: 'Container Sensei: lesson completed' });
      given.push(roleId);
    } catch (err) {
      failed = true;
      await tellAdmins(deps, guild, roleId, userId, err instanceof RoleError ? err.problem : undefined, err);
    }
  }
  // A failed grant keeps the learner pending, so the next sweep tries again once the admins fix it.
  await store.recordGranted(guild.id, learnerId, given, { settled: !failed });
  return given;
}

class RoleError extends Error {
  constructor(readonly problem: RoleProblem) {
    super(problem);
  }
}

/** Once a day per role and problem, the admins' channel hears what stopped a grant; the log always does. */
async function tellAdmins(deps: RoleGrantDeps, guild: Guild, roleId: string, userId: string, problem: RoleProblem | undefined, err: unknown): Promise<void> {
  deps.log.warn(`could not give role ${roleId} to ${userId} in ${guild.name} (${guild.id}): ${problem ?? (err as Error)?.message ?? String(err)}`);
  const day = Math.floor(Date.now() / 86_400_000);
  if (!(await deps.store.claim(guild.id, `role-problem:${roleId}:${problem ?? 'api'}:${day}`, 2 * 86_400))) return;
  const channel = await deps.adminChannel(guild).catch(() => undefined);
  if (!channel) return;
  const why = problem ? roleProblemText(channel.lang, problem, roleId, guild) : String((err as Error)?.message ?? err);
  await channel.send(buildMessage({ content: TEAM_TEXT.roleGrantFailed(channel.lang, roleId, userId, why) })).catch(() => undefined);
}
