// A child process of bench/discord.ts or bench/memory.ts running the bot side or the worker side (argv[2]: bot |
// worker). The config comes as JSON in BENCH_DISCORD_CONFIG. IPC: sends { ready } once started; answers { memory }
// with its memory use; on { close } it closes (the bot side answers { stats } with its stats) and exits.

import type { Config } from '../src/config.js';
import { startBotSide, startWorkerSide, type BotSide, type WorkerSide } from './discord-side.js';

export type ToChild = { type: 'stats' } | { type: 'memory' } | { type: 'close' };

/** Memory of the child process, bytes: RSS as the OS sees it (read first), then the JS heap after a full GC. */
export interface ChildMemory {
  rss: number;
  /** Heap in use after a forced full GC (when the child runs with --expose-gc), else as it is. */
  heapUsedAfterGc: number;
  gcForced: boolean;
  /** The bot's discord.js cache sizes (bot side only). */
  caches?: Record<string, number>;
}

export type FromChild =
  | { type: 'ready' }
  | { type: 'stats'; stats: ReturnType<BotSide['stats']> }
  | { type: 'memory'; memory: ChildMemory }
  | { type: 'closed' }
  | { type: 'error'; message: string };

const send = (message: FromChild): Promise<void> =>
  new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });

function memory(): ChildMemory {
  const rss = process.memoryUsage.rss();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return { rss, heapUsedAfterGc: process.memoryUsage().heapUsed, gcForced: gc !== undefined, ...(bot ? { caches: bot.caches() } : {}) };
}

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
    if (message.type === 'memory') await send({ type: 'memory', memory: memory() });
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
