// What the bot needs in a lesson channel, and which of it is missing. Pure, so it can be tested without Discord.

import { PermissionFlagsBits } from 'discord.js';
import type { PermissionName } from './texts.js';

/** Private lesson threads are created in the channel and everything is posted in them; long output is a file. */
export const LESSON_CHANNEL_PERMISSIONS: readonly PermissionName[] = [
  'ViewChannel',
  'CreatePrivateThreads',
  'SendMessagesInThreads',
  'AttachFiles',
];

/** The permissions of `required` that `granted` lacks, in the order given; all of them when nothing is known. */
export function missingPermissions(granted: bigint | null | undefined, required: readonly PermissionName[] = LESSON_CHANNEL_PERMISSIONS): PermissionName[] {
  if (granted === null || granted === undefined) return [...required];
  if ((granted & PermissionFlagsBits.Administrator) !== 0n) return [];
  return required.filter((name) => (granted & PermissionFlagsBits[name]) === 0n);
}

/** The invite link's permission integer: what LESSON_CHANNEL_PERMISSIONS and replying need. */
export const INVITE_PERMISSIONS = [...LESSON_CHANNEL_PERMISSIONS, 'SendMessages', 'ReadMessageHistory'].reduce(
  (all, name) => all | PermissionFlagsBits[name as PermissionName],
  0n,
);
