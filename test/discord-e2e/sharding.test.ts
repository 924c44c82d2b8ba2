// The bot sharded as Discord recommends: the fake Discord says 2 shards, discord.js identifies both, guild
// events go to the guild's shard and DMs to shard 0, and interactions from either are answered. What must
// happen once (deploying the slash commands) happens once across shards and bot processes.
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { startDiscordBot, type DiscordBot } from '../../src/discord/bot.js';
import { onceAcrossShards } from '../../src/discord/once.js';
import { silentLogger } from '../../src/log.js';
import { shardOfGuild, startFakeDiscord, type FakeDiscord } from '../fake-discord/fake-discord.js';
import { integrationGate } from '../helpers/services.js';
import { contentOf, e2eSuite, originalPath, stringOption } from './harness.js';

const gate = await integrationGate();
const DISCORD_EPOCH = 1420070400000n;

/** A guild id whose events Discord sends to shard 1 of 2. */
function guildIdOnShardOne(): string {
  const id = (((BigInt(Date.now()) - DISCORD_EPOCH) | 1n) << 22n).toString();
  expect(shardOfGuild(id, 2)).toBe(1);
  return id;
}

describe.runIf(gate.run)('a sharded bot', () => {
  const suite = e2eSuite(gate);

  async function startBot(fake: FakeDiscord): Promise<DiscordBot> {
    const config: Config = {
      ...suite.services.config,
      DISCORD_TOKEN: fake.token,
      DISCORD_API_BASE: fake.apiBase,
      DISCORD_APP_ID: fake.appId,
      DISCORD_DEPLOY_ON_START: true,
    };
    return startDiscordBot(config, silentLogger, { tutorApp: suite.services.app, commandNames: suite.services.commandNames });
  }

  async function answered(fake: FakeDiscord, token: string, text: string): Promise<void> {
    await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, token) && contentOf(c).includes(text), 30_000);
  }

  it('identifies both recommended shards and answers interactions arriving on either', async () => {
    const fake = await startFakeDiscord({ guild: { id: guildIdOnShardOne() }, sharding: { shards: 2 } });
    let bot: DiscordBot | undefined;
    try {
      bot = await startBot(fake);
      const identifies = fake.gatewayFrames.filter((f) => f.op === 2).map((f) => (f.d as { shard?: number[] }).shard);
      expect(identifies).toHaveLength(2);
      expect(identifies).toEqual(expect.arrayContaining([[0, 2], [1, 2]]));
      expect(bot.client.ws.shards.size).toBe(2);
      expect(bot.client.guilds.cache.get(fake.guildId)?.shardId).toBe(1);

      const inGuild = fake.interaction({ kind: 'command', name: 'run', options: [stringOption('command', 'echo from-shard-one')] });
      await answered(fake, inGuild.token, 'from-shard-one');
      const inDm = fake.interaction({ kind: 'command', name: 'run', options: [stringOption('command', 'echo from-shard-zero')], dm: true });
      await answered(fake, inDm.token, 'from-shard-zero');
      expect(fake.dispatches.filter((d) => d.event === 'INTERACTION_CREATE').map((d) => d.shard)).toEqual([1, 0]);

      // Deployed once, though two shards became ready; a restarted bot (same commands) does not deploy again.
      const deploys = () => fake.calls.filter((c) => c.method === 'PUT' && c.path === `/applications/${fake.appId}/commands`).length;
      expect(deploys()).toBe(1);
      await bot.close();
      bot = await startBot(fake);
      expect(deploys()).toBe(1);
    } finally {
      await bot?.close();
      await fake.close();
    }
  }, 120_000);

  it('runs once-only work once when several processes start together, and again for a new version', async () => {
    const redis = new Redis(suite.services.config.REDIS_URL);
    try {
      const key = `${suite.services.config.SENSEI_PREFIX}:once-test`;
      let runs = 0;
      const work = async () => {
        runs += 1;
        await new Promise((r) => setTimeout(r, 200));
      };
      const outcomes = await Promise.all(Array.from({ length: 5 }, () => onceAcrossShards(redis, key, 'v1', work)));
      expect(runs).toBe(1);
      expect(outcomes.filter((o) => o === 'ran')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'running-elsewhere')).toHaveLength(4);
      expect(await onceAcrossShards(redis, key, 'v1', work)).toBe('done-before');
      expect(await onceAcrossShards(redis, key, 'v2', work)).toBe('ran');
      expect(runs).toBe(2);
      // A failure records nothing: the next start tries again.
      await expect(onceAcrossShards(redis, key, 'v3', () => Promise.reject(new Error('Discord said no')))).rejects.toThrow('Discord said no');
      expect(await onceAcrossShards(redis, key, 'v3', work)).toBe('ran');
    } finally {
      redis.disconnect();
    }
  });
});
