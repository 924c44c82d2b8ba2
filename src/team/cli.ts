// `sensei team report --guild ID [--csv] [--cohort NAME] [--lang ja|en]`: the team lead's table in the
// terminal, the same rows as Discord's /team export.

import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { createRedis, pingRedis } from '../store/redis.js';
import { exportCsv, exportTable } from './render.js';
import { exportLearners } from './export.js';
import { TeamStore } from './store.js';
import { systemClock } from './time.js';
import { teamWords } from './words.js';

export const TEAM_USAGE = 'usage: sensei team report --guild ID [--csv] [--cohort NAME] [--lang ja|en]';

export async function commandTeam(config: Config, argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { guild: { type: 'string' }, csv: { type: 'boolean', default: false }, cohort: { type: 'string' }, lang: { type: 'string', default: 'en' } },
  });
  if (positionals[0] !== 'report' || !values.guild || (values.lang !== 'ja' && values.lang !== 'en')) {
    err.write(`sensei: ${TEAM_USAGE}\n`);
    return 2;
  }
  const lang = values.lang;
  const redis = createRedis(config.REDIS_URL, 'producer');
  try {
    await pingRedis(redis, config.REDIS_URL);
    const result = await exportLearners(new TeamStore(redis, config.SENSEI_PREFIX), values.guild, values.cohort, systemClock);
    if (!result.ok) {
      err.write(`sensei: ${teamWords(lang).unknownCohort(values.cohort ?? '', result.known)}\n`);
      return 1;
    }
    if (result.rows.length === 0) {
      err.write(`${teamWords(lang).reportEmpty(values.guild)}\n`);
      return 0;
    }
    out.write(values.csv ? exportCsv(result.rows, lang) : `${exportTable(result.rows, lang)}\n`);
    return 0;
  } finally {
    redis.disconnect();
  }
}
