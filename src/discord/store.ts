// What the Discord adapter remembers in Redis, under the install's prefix: each learner's lesson thread per
// guild, and each guild's channel allowlist and cooldown. Learner progress is the tutor's, not ours.

import type { Redis } from 'ioredis';

export const MAX_COOLDOWN_SECONDS = 3600;

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
    cooldown: (guildId: string, userId: string) => `${this.prefix}:discord:cooldown:${guildId}:${userId}`,
  };

  async threadOf(userId: string, guildId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key.threads(userId), guildId)) ?? undefined;
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

  /** Deletes every record about a user (threads and cooldowns); guild settings are the admins', not theirs. */
  async forgetUser(userId: string): Promise<void> {
    const threads = await this.redis.hgetall(this.key.threads(userId));
    const keys = [this.key.threads(userId), ...Object.values(threads).map((threadId) => this.key.threadOwner(threadId))];
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(cursor, 'MATCH', this.key.cooldown('*', userId), 'COUNT', 200);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    await this.redis.del(...keys);
  }
}
