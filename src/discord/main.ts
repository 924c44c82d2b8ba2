// Entry points for the CLI: `sensei bot` (and `sensei start` with DISCORD_TOKEN) and `sensei deploy-commands`.

import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { startTutorApp } from '../app.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { SenseiMetrics } from '../metrics/sensei-metrics.js';
import { serveMetricsIfAsked } from '../metrics/server.js';
import { startDiscordBot } from './bot.js';
import { discordCommandNames } from './command-names.js';
import { deployCommands, DISCORD_USAGES } from './commands.js';

/**
 * Runs the bot until SIGINT/SIGTERM (or `signal` aborts): tutor app first (which starts an in-process worker
 * when SENSEI_INLINE_WORKER allows and none is connected), then the Discord connection. Returns the exit code.
 */
export async function runDiscordBot(config: Config, log: Logger, opts: { signal?: AbortSignal; onReady?: () => Promise<void> } = {}): Promise<number> {
  // The bot learns at login whether learners can type; the tutor reads the same object at every reply.
  const commandNames = discordCommandNames(config.DISCORD_MESSAGE_CONTENT);
  const metrics = new SenseiMetrics();
  const app = await startTutorApp(config, log, { defaultLang: 'ja', commands: commandNames, rendersMore: true, commandUsages: DISCORD_USAGES, metrics });
  let bot;
  let metricsServer;
  try {
    bot = await startDiscordBot(config, log, { tutorApp: app, commandNames, metrics });
    const told = bot;
    app.deliverNoticesWith(async (learnerId, reply) => void (await told.tell(learnerId, reply)));
    metricsServer = await serveMetricsIfAsked(config, metrics, log);
    await opts.onReady?.();
  } catch (err) {
    await metricsServer?.close();
    await bot?.close();
    await app.close();
    throw err;
  }
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  opts.signal?.addEventListener('abort', onSignal, { once: true });
  try {
    if (!stop.signal.aborted && !opts.signal?.aborted) await once(stop.signal, 'abort');
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    log.info('Discord bot stopping');
    await metricsServer?.close();
    await bot.close();
    await app.close();
  }
  return 0;
}

/** `sensei deploy-commands [--guild ID | --global]`: DISCORD_GUILD_ID when set, else global. */
export async function runDeployCommands(config: Config, argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { guild: { type: 'string' }, global: { type: 'boolean', default: false } } });
  const guildId = values.global ? undefined : (values.guild ?? config.DISCORD_GUILD_ID);
  const result = await deployCommands(config, guildId ? { guildId } : {});
  const where = result.scope === 'guild' ? `to server ${result.guildId}` : 'globally (may take a while to appear everywhere)';
  out.write(`deployed ${result.names.length} commands ${where}: ${result.names.map((n) => `/${n}`).join(' ')}\n`);
  return 0;
}
