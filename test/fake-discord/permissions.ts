// Discord's permission arithmetic, as documented under "Permission Overwrites": base permissions from roles,
// then the channel's @everyone, role and member overwrites. Threads use their parent channel's overwrites.

import { PermissionFlagsBits } from 'discord.js';

export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** What a typical tutor bot is invited with. */
export const DEFAULT_BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis;

/** What an ordinary member of a learning server may do. */
export const DEFAULT_LEARNER_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.EmbedLinks;

export interface PermissionOverwrite {
  id: string;
  /** 0 = role, 1 = member */
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

export interface PermissionSubject {
  userId: string;
  roleIds: readonly string[];
}

export interface PermissionContext {
  guildId: string;
  ownerId: string;
  rolePermissions: ReadonlyMap<string, bigint>;
}

export function basePermissions(context: PermissionContext, subject: PermissionSubject): bigint {
  if (subject.userId === context.ownerId) return ALL_PERMISSIONS;
  const everyone = context.rolePermissions.get(context.guildId) ?? 0n;
  const permissions = subject.roleIds.reduce((all, roleId) => all | (context.rolePermissions.get(roleId) ?? 0n), everyone);
  return (permissions & PermissionFlagsBits.Administrator) !== 0n ? ALL_PERMISSIONS : permissions;
}

export function channelPermissions(
  context: PermissionContext,
  subject: PermissionSubject,
  overwrites: readonly PermissionOverwrite[],
): bigint {
  const base = basePermissions(context, subject);
  if (base === ALL_PERMISSIONS) return ALL_PERMISSIONS;
  const apply = (permissions: bigint, overwrite: { allow: bigint; deny: bigint }): bigint =>
    (permissions & ~overwrite.deny) | overwrite.allow;

  const everyone = overwrites.find((overwrite) => overwrite.type === 0 && overwrite.id === context.guildId);
  let permissions = everyone === undefined ? base : apply(base, everyone);
  const roleOverwrites = overwrites.filter((overwrite) => overwrite.type === 0 && subject.roleIds.includes(overwrite.id));
  permissions = apply(permissions, {
    allow: roleOverwrites.reduce((all, overwrite) => all | overwrite.allow, 0n),
    deny: roleOverwrites.reduce((all, overwrite) => all | overwrite.deny, 0n),
  });
  const member = overwrites.find((overwrite) => overwrite.type === 1 && overwrite.id === subject.userId);
  if (member !== undefined) permissions = apply(permissions, member);
  // Without View Channel, a member has no other permission in the channel.
  return (permissions & PermissionFlagsBits.ViewChannel) === 0n ? 0n : permissions;
}

export function hasAll(permissions: bigint, required: bigint): boolean {
  return (permissions & required) === required;
}
