// Telling a learner something they did not just ask about (their lab was lost with its engine): in their
// lesson thread(s), or in a DM when they have none. Any shard can do it: it goes through the REST API.
import type { Client } from 'discord.js';
import type { Reply } from '../tutor/reply.js';
import type { LearnerReplies } from './learner-replies.js';
import { userIdOf } from './messages.js';
import type { DiscordStore } from './store.js';

/** Resolves to where it was said: 'thread', 'dm', or 'not-ours' for a learner of another transport. */
export async function tellLearner(
  deps: { client: Client; store: DiscordStore; replies: LearnerReplies },
  learnerId: string,
  reply: Reply,
): Promise<'thread' | 'dm' | 'not-ours'> {
  const userId = userIdOf(learnerId);
  if (!userId) return 'not-ours';
  const payloads = await deps.replies.render(reply, userId);
  let told = false;
  for (const threadId of await deps.store.threadsOf(userId)) {
    const channel = await deps.client.channels.fetch(threadId).catch(() => null);
    if (!channel?.isSendable()) continue;
    for (const payload of payloads) await channel.send(payload);
    told = true;
  }
  if (told) return 'thread';
  const dm = await (await deps.client.users.fetch(userId)).createDM();
  for (const payload of payloads) await dm.send(payload);
  return 'dm';
}
