// A child process of bench/discord.ts running the bot side or the worker side (argv[2]: bot | worker).
// The config comes as JSON in BENCH_DISCORD_CONFIG. IPC: sends { ready } once started; on { close } it
// closes (the bot side first answers with its stats) and exits.

import type { Config } from '../src/config.js';
import { startBotSide, startWorkerSide, type BotSide, type WorkerSide } from './discord-side.js';

type ToChild = { type: 'stats' } | { type: 'close' };
export type FromChild = { type: 'ready' } | { type: 'stats'; stats: ReturnType<BotSide['stats']> } | { type: 'closed' } | { type: 'error'; message: string };

const send = (message: FromChild): Promise<void> =>
  new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });

const role = process.argv[2];
const config = JSON.parse(process.env.BENCH_DISCORD_CONFIG ?? '{}') as Config;

let side: WorkerSide;
let bot: BotSide | undefined;
try {
  side = role === 'bot' ? (bot = await startBotSide(config)) : await startWorkerSide(config);
} catch (err) {
  await send({ type: 'error', message: (err as Error)?.stack ?? String(err) });
  process.exit(1);
}
process.on('message', (message: ToChild) => {
  void (async () => {
    if (message.type === 'stats' && bot) await send({ type: 'stats', stats: bot.stats() });
    if (message.type === 'close') {
      // Bounded: the bot drains its interactions for up to 20 s; whatever is left after 40 s is abandoned.
      await Promise.race([side.close(), new Promise((resolve) => setTimeout(resolve, 40_000).unref())]);
      await send({ type: 'closed' });
      process.exit(0);
    }
  })();
});
// Never outlive the bench: if it goes away without asking us to close, stop too.
process.on('disconnect', () => process.exit(1));
await send({ type: 'ready' });
