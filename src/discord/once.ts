// Work that must happen once however many shards (in this process) and bot processes share the Redis: the
// command deployment at start-up, say. A version says what "done" means, so a new version runs again.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { DEL_IF_EQUALS } from '../store/redis.js';
import { COMMAND_DEFINITIONS, deployCommands } from './commands.js';

export type OnceOutcome = 'ran' | 'done-before' | 'running-elsewhere';

/** How long one runner may hold the work before another may take it over (a crashed process). */
const LOCK_MS = 60_000;

/**
 * Runs `work` unless this `version` of it is recorded as done under `key`, or another process holds it now.
 * The record is written only when the work succeeded, so a failure is tried again at the next start.
 */
export async function onceAcrossShards(redis: Redis, key: string, version: string, work: () => Promise<void>): Promise<OnceOutcome> {
  if ((await redis.get(`${key}:done`)) === version) return 'done-before';
  const token = `${process.pid}-${Date.now()}-${Math.random()}`;
  if ((await redis.set(`${key}:lock`, token, 'PX', LOCK_MS, 'NX')) !== 'OK') return 'running-elsewhere';
  try {
    if ((await redis.get(`${key}:done`)) === version) return 'done-before';
    await work();
    await redis.set(`${key}:done`, version);
    return 'ran';
  } finally {
    await redis.eval(DEL_IF_EQUALS, 1, `${key}:lock`, token);
  }
}

/** DISCORD_DEPLOY_ON_START: the slash commands are deployed when their definitions (or the scope) changed. */
export async function deployCommandsOnce(config: Config, redis: Redis, log: Logger): Promise<OnceOutcome> {
  const guildId = config.DISCORD_GUILD_ID;
  const version = createHash('sha256')
    .update(JSON.stringify({ app: config.DISCORD_APP_ID ?? '', guildId: guildId ?? 'global', commands: COMMAND_DEFINITIONS }))
    .digest('hex')
    .slice(0, 16);
  const outcome = await onceAcrossShards(redis, `${config.SENSEI_PREFIX}:discord:deploy`, version, async () => {
    const result = await deployCommands(config, guildId ? { guildId } : {});
    log.info(`deployed ${result.names.length} slash commands ${result.scope === 'guild' ? `to server ${result.guildId}` : 'globally'}`);
  });
  if (outcome !== 'ran') log.debug(`slash commands: ${outcome === 'done-before' ? 'already deployed' : 'another process is deploying them'}`);
  return outcome;
}
