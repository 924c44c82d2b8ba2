import { createInterface } from 'node:readline';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { createLogger } from '../log.js';
import { SubmitError } from '../queue/errors.js';
import { CommandQueue } from '../queue/producer.js';
import { startWorker, type RunningWorker } from '../queue/worker.js';

/**
 * The console chat: a terminal conversation over the same queue and sandbox as Discord.
 * Lines starting with `$ ` run in the learner's own session sandbox; /quit leaves.
 */
export async function runConsoleChat(config: Config, argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { learner: { type: 'string' }, lang: { type: 'string', default: 'ja' } },
  });
  const learner = values.learner ?? `console-${userInfo().username.replace(/[^A-Za-z0-9_.-]/g, '') || 'you'}`;
  const ja = values.lang !== 'en';
  const log = createLogger(process.env.SENSEI_LOG ? config.SENSEI_LOG : 'warn');
  const queue = await CommandQueue.create(config, log);
  let worker: RunningWorker | undefined;
  if (config.SENSEI_INLINE_WORKER && (await queue.workerCount()) === 0) {
    worker = await startWorker(config, { log, poolSize: 1, endSessionsOnClose: true, concurrency: 2 });
  }
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const say = (text: string) => process.stdout.write(`${text}\n`);
  say(
    ja
      ? '🐳 Container Sensei へようこそ！ `$ ps aux` のように `$ ` で始めるとサンドボックスでコマンドを実行するよ。/quit で終了。'
      : '🐳 Welcome to Container Sensei! Start a line with `$ ` (like `$ ps aux`) to run it in your sandbox. /quit to leave.',
  );
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: tty, prompt: tty ? 'you> ' : '' });
  rl.prompt();
  try {
    for await (const line of rl) {
      const text = line.trim();
      if (text === '/quit' || text === '/exit') break;
      if (text.startsWith('$ ') || text === '$') {
        try {
          const { result } = await queue.submit(learner, text.slice(1).trim(), 'session');
          const body = `${result.stdout}${result.stderr}`.replace(/\u0000/g, '');
          say(body.endsWith('\n') || body === '' ? body.replace(/\n$/, '') : body);
          say(`[exit ${result.exitCode ?? '?'} · ${result.durationMs} ms${result.timedOut ? ' · timed out' : ''}${result.oomKilled ? ' · out of memory' : ''}${result.truncated ? ' · truncated' : ''}]`);
        } catch (err) {
          if (!(err instanceof SubmitError)) throw err;
          say(`⚠️ ${err.message}`);
        }
      } else if (text !== '') {
        say(ja ? '💡 コマンドは `$ ` で始めてね（例: `$ ps aux`）。' : '💡 Start commands with `$ ` (for example `$ ps aux`).');
      }
      rl.prompt();
    }
  } finally {
    rl.close();
    await worker?.close();
    await queue.close();
  }
  return 0;
}
