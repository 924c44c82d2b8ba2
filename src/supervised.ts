// `sensei bot` / `sensei worker` under a supervisor that restarts whatever exits (docker-compose's restart policy).
import { rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError } from './config.js';

/**
 * Runs a long-running process. --ready-file PATH: removed at start, written once `ready` is called (a healthcheck
 * reads it). --supervised: a settings error is said once and the process then waits for SIGTERM, unready, because
 * exiting would only be restarted into the same error, over and over, with the message lost in the repeats.
 */
export async function supervisedProcess(
  name: string,
  argv: string[],
  run: (ready: () => Promise<void>) => Promise<number>,
  out: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { supervised: { type: 'boolean', default: false }, 'ready-file': { type: 'string' } } });
  const readyFile = values['ready-file'];
  // A restarted container keeps its files: the last run's mark must not vouch for this one.
  if (readyFile) await rm(readyFile, { force: true });
  try {
    return await run(async () => {
      if (readyFile) await writeFile(readyFile, `${process.pid}\n`);
    });
  } catch (err) {
    if (!values.supervised || !(err instanceof ConfigError)) throw err;
    out.write(
      `sensei ${name}: ${err.message}\n` +
        `sensei ${name}: waiting instead of exiting, so the container is not restarted in a loop (docker-compose ps shows it unhealthy). ` +
        'Fix the setting, then run docker-compose up -d.\n',
    );
    await untilStopped();
    return 1;
  } finally {
    if (readyFile) await rm(readyFile, { force: true });
  }
}

function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    // Signal listeners alone do not keep Node running.
    const alive = setInterval(() => undefined, 1 << 30);
    const stop = () => {
      clearInterval(alive);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
