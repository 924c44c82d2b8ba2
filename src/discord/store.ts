// What the Discord adapter remembers in Redis, under the install's prefix: each learner's lesson thread per
// guild, reply style, hidden "More" texts and what they have been told once; each guild's channel allowlist,
// cooldown, /ask visibility and notices. Learner progress is the tutor's, not ours.

import type { Redis } from 'ioredis';
import { z } from 'zod';
import { scanKeys } from '../store/redis.js';
import { lessonLanguages } from '../lessons/index.js';

export const MAX_COOLDOWN_SECONDS = 3600;

/** Short replies lead with the point and keep background and tip behind "More"; detailed show everything. */
export const REPLY_STYLES = ['short', 'detailed'] as const;
export type ReplyStyle = (typeof REPLY_STYLES)[number];

/** Who sees a /ask answer: everyone in the channel (so others learn too), or only the asker. */
export const ASK_REPLIES = ['public', 'private'] as const;
export type AskReplies = (typeof ASK_REPLIES)[number];

/** How long a "More" button can still show what it hides. */
export const MORE_TTL_SECONDS = 3600;

const hiddenTextSchema = z.object({ lang: z.enum(lessonLanguages), texts: z.array(z.string()).min(1) });
export type HiddenText = z.infer<typeof hiddenTextSchema>;

/** Things said once: per learner, per learner and thread, or per guild. */
export type Notice =
  | { kind: 'run-pointer'; userId: string }
  | { kind: 'not-your-thread'; userId: string; threadId: string }
  | { kind: 'intent-logged'; guildId: string }
  | { kind: 'intent-admin'; guildId: string };

export class DiscordStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key = {
    threads: (userId: string) => `${this.prefix}:discord:threads:${userId}`,
    threadOwner: (threadId: string) => `${this.prefix}:discord:thread-owner:${threadId}`,
    channels: (guildId: string) => `${this.prefix}:discord:guild:${guildId}:channels`,
    cooldownSeconds: (guildId: string) => `${this.prefix}:discord:guild:${guildId}:cooldown`,
    askReplies: (guildId: string) => `${this.prefix}:discord:guild:${guildId}:ask-replies`,
    cooldown: (guildId: string, userId: string) => `${this.prefix}:discord:cooldown:${guildId}:${userId}`,
    /** Everything else about one user lives under this, so forgetting them is one scan. */
    user: (userId: string, rest: string) => `${this.prefix}:discord:user:${userId}:${rest}`,
    guildNotice: (guildId: string, what: string) => `${this.prefix}:discord:guild:${guildId}:told:${what}`,
  };

  async threadOf(userId: string, guildId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key.threads(userId), guildId)) ?? undefined;
  }

  /** Every lesson thread of a user, one per server. */
  async threadsOf(userId: string): Promise<string[]> {
    return this.redis.hvals(this.key.threads(userId));
  }

  async threadOwner(threadId: string): Promise<string | undefined> {
    return (await this.redis.get(this.key.threadOwner(threadId))) ?? undefined;
  }

  async setThread(userId: string, guildId: string, threadId: string): Promise<void> {
    await this.redis.multi().hset(this.key.threads(userId), guildId, threadId).set(this.key.threadOwner(threadId), userId).exec();
  }

  async allowedChannels(guildId: string): Promise<string[]> {
    return (await this.redis.smembers(this.key.channels(guildId))).sort();
  }

  async allowChannel(guildId: string, channelId: string): Promise<void> {
    await this.redis.sadd(this.key.channels(guildId), channelId);
  }

  async disallowChannel(guildId: string, channelId: string): Promise<void> {
    await this.redis.srem(this.key.channels(guildId), channelId);
  }

  /** Whether learners may use the tutor in a channel: every channel while the allowlist is empty. */
  async isChannelAllowed(guildId: string, channelId: string): Promise<{ allowed: boolean; allowlist: string[] }> {
    const allowlist = await this.allowedChannels(guildId);
    return { allowed: allowlist.length === 0 || allowlist.includes(channelId), allowlist };
  }

  async cooldownSeconds(guildId: string): Promise<number> {
    const raw = Number(await this.redis.get(this.key.cooldownSeconds(guildId)));
    return Number.isInteger(raw) && raw > 0 ? Math.min(raw, MAX_COOLDOWN_SECONDS) : 0;
  }

  async setCooldownSeconds(guildId: string, seconds: number): Promise<void> {
    const clamped = Math.max(0, Math.min(MAX_COOLDOWN_SECONDS, Math.floor(seconds)));
    await this.redis.set(this.key.cooldownSeconds(guildId), String(clamped));
  }

  /** Public unless an admin chose private: an answer in the channel teaches everyone who reads it. */
  async askReplies(guildId: string): Promise<AskReplies> {
    return (await this.redis.get(this.key.askReplies(guildId))) === 'private' ? 'private' : 'public';
  }

  async setAskReplies(guildId: string, replies: AskReplies): Promise<void> {
    await this.redis.set(this.key.askReplies(guildId), replies);
  }

  /** Takes the learner's turn in a guild: 0 when they may go now (and the cooldown starts), else seconds left. */
  async takeTurn(guildId: string, userId: string): Promise<number> {
    const seconds = await this.cooldownSeconds(guildId);
    if (seconds === 0) return 0;
    const key = this.key.cooldown(guildId, userId);
    const fresh = await this.redis.set(key, '1', 'EX', seconds, 'NX');
    if (fresh === 'OK') return 0;
    const left = await this.redis.pttl(key);
    return Math.max(1, Math.ceil(left / 1000));
  }

  /** Keeps what a short reply left out, for its "More" button, for MORE_TTL_SECONDS. */
  async saveHidden(userId: string, key: string, hidden: HiddenText): Promise<void> {
    await this.redis.set(this.key.user(userId, `more:${key}`), JSON.stringify(hidden), 'EX', MORE_TTL_SECONDS);
  }

  async hidden(userId: string, key: string): Promise<HiddenText | undefined> {
    const raw = await this.redis.get(this.key.user(userId, `more:${key}`));
    if (raw === null) return undefined;
    try {
      const parsed = hiddenTextSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** True the first time a notice is given; false ever after (until the user is forgotten). */
  async firstTime(notice: Notice): Promise<boolean> {
    const key = this.noticeKey(notice);
    return (await this.redis.set(key, '1', 'NX')) === 'OK';
  }

  private noticeKey(notice: Notice): string {
    switch (notice.kind) {
      case 'run-pointer':
        return this.key.user(notice.userId, 'told:run-pointer');
      case 'not-your-thread':
        return this.key.user(notice.userId, `told:not-your-thread:${notice.threadId}`);
      case 'intent-logged':
      case 'intent-admin':
        return this.key.guildNotice(notice.guildId, notice.kind);
    }
  }

  /** Deletes every record about a user (threads, cooldowns, style, notices); guild settings are the admins'. */
  async forgetUser(userId: string): Promise<void> {
    const threads = await this.redis.hgetall(this.key.threads(userId));
    const keys = [this.key.threads(userId), ...Object.values(threads).map((threadId) => this.key.threadOwner(threadId))];
    for (const pattern of [this.key.cooldown('*', userId), this.key.user(userId, '*')]) keys.push(...(await scanKeys(this.redis, pattern)));
    await this.redis.del(...keys);
  }
}
