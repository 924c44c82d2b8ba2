// A child process of bench/discord.ts or bench/memory.ts running the bot side or the worker side (argv[2]: bot |
// worker). The config comes as JSON in BENCH_DISCORD_CONFIG. IPC: sends { ready } once started; answers { memory }
// with its memory use; on { close } it closes (the bot side answers { stats } with its stats) and exits.

import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
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
  /** Where the RSS is, bytes, read after the GC: V8's heap spaces (committed), external memory, and the OS's split. */
  parts: Record<string, number>;
}

/** RssAnon/RssFile from /proc/self/status, and V8's committed memory by heap space: what the RSS is made of. */
function memoryParts(): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const space of getHeapSpaceStatistics()) parts[`v8 ${space.space_name}`] = space.physical_space_size;
  const usage = process.memoryUsage();
  parts['external'] = usage.external;
  parts['array buffers (part of external)'] = usage.arrayBuffers;
  try {
    for (const m of readFileSync('/proc/self/status', 'utf8').matchAll(/^(RssAnon|RssFile|RssShmem):\s+(\d+) kB/gm)) parts[m[1]!] = Number(m[2]) * 1024;
  } catch {
    // Not Linux: V8's own figures only.
  }
  return parts;
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
  return { rss, heapUsedAfterGc: process.memoryUsage().heapUsed, gcForced: gc !== undefined, ...(bot ? { caches: bot.caches() } : {}), parts: memoryParts() };
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
