// The bot token: a missing or refused token needs the admin, so both are settings errors that say where to fix it.
import { ConfigError, type Config } from '../config.js';

const WHERE = [
  '  Set it in .env: copy .env.example to .env (docker-compose reads it) and fill in DISCORD_TOKEN=…',
  '  The token is in the Discord developer portal: https://discord.com/developers/applications → your app → Bot → Reset Token.',
  '  Then start the bot again (docker-compose up -d). docs/DISCORD.md walks through every step.',
].join('\n');

export function requireDiscordToken(config: Pick<Config, 'DISCORD_TOKEN'>): string {
  if (!config.DISCORD_TOKEN) throw new ConfigError(`DISCORD_TOKEN is not set, so the bot cannot log in to Discord.\n${WHERE}`);
  return config.DISCORD_TOKEN;
}

/** Discord's answer to a wrong or reset token (discord.js TokenInvalid, or a REST 401) as a settings error; else undefined. */
export function tokenRefused(err: unknown): ConfigError | undefined {
  const { code, status } = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; status?: unknown };
  if (code !== 'TokenInvalid' && status !== 401) return undefined;
  return new ConfigError(`Discord refused DISCORD_TOKEN: it is not this app's bot token, or it was reset.\n${WHERE}`);
}
