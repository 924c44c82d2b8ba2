// `sensei team report --guild ID [--csv] [--cohort NAME] [--lang ja|en]`: the team lead's table in the
// terminal, the same rows as Discord's /team export. bin/sensei.js runs this module precompiled (see
// bin/compiled-ask.js), so a cold `sensei team report` loads no tsx.

import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { createRedis, pingRedis } from '../store/redis.js';
import { exportCsv, exportTable } from './render.js';
import { exportLearners } from './export.js';
import { TeamStore } from './store.js';
import { systemClock } from './time.js';
import { teamWords } from './words.js';

export const TEAM_USAGE = 'usage: sensei team report --guild ID [--csv] [--cohort NAME] [--lang ja|en]';

type Options = { guild: string; csv: boolean; cohort?: string; lang: 'ja' | 'en' };

/** The options, or undefined when they do not make a report (the caller prints the usage). */
function parseReportArgs(argv: string[]): Options | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { guild: { type: 'string' }, csv: { type: 'boolean', default: false }, cohort: { type: 'string' }, lang: { type: 'string', default: 'en' } },
    });
  } catch {
    return undefined;
  }
  const { values, positionals } = parsed;
  if (positionals[0] !== 'report' || positionals.length > 1 || !values.guild || (values.lang !== 'ja' && values.lang !== 'en')) return undefined;
  return { guild: values.guild, csv: values.csv ?? false, lang: values.lang, ...(values.cohort !== undefined ? { cohort: values.cohort } : {}) };
}

export async function commandTeam(config: Config, argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const options = parseReportArgs(argv);
  if (!options) {
    err.write(`sensei: ${TEAM_USAGE}\n`);
    return 2;
  }
  const { guild, lang } = options;
  const redis = createRedis(config.REDIS_URL, 'producer');
  try {
    await pingRedis(redis, config.REDIS_URL);
    const result = await exportLearners(new TeamStore(redis, config.SENSEI_PREFIX), guild, options.cohort, systemClock);
    if (!result.ok) {
      err.write(`sensei: ${teamWords(lang).unknownCohort(options.cohort ?? '', result.known)}\n`);
      return 1;
    }
    if (result.rows.length === 0) {
      err.write(`${teamWords(lang).reportEmpty(guild)}\n`);
      return 0;
    }
    await writeAll(out, options.csv ? exportCsv(result.rows, lang) : `${exportTable(result.rows, lang)}\n`);
    return 0;
  } catch (error) {
    // Redis away (or gone mid-read): one clear line, not a stack trace.
    err.write(`sensei: ${(error as Error).message}\n`);
    return 1;
  } finally {
    redis.disconnect();
  }
}

/** Resolves once the text is handed to the OS: a big CSV into a pipe is otherwise cut short by process.exit. */
function writeAll(out: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => out.write(text, (error) => (error ? reject(error) : resolve())));
}

/** `sensei team …` as its own process: the settings from the environment, then the report. */
export async function commandTeamFromEnv(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`sensei: ${error.message}\n`);
    return 1;
  }
  return commandTeam(config, argv);
}
