// The bot side and the worker side of bench/discord.ts, started either in the bench process or in a child
// process (bench/discord-child.ts), as docker-compose runs them: bot and worker in separate processes.
//
// The bot side also records, per interaction id, when discord.js received the INTERACTION_CREATE frame, when the
// bot's listeners had run, and when the defer callback request was handed to undici, so a missed target can be
// explained. Nothing in src/ is changed: these are listeners on the client and undici's diagnostics channel.

import diagnostics_channel from 'node:diagnostics_channel';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Events } from 'discord.js';
import { startTutorApp, type TutorApp } from '../src/app.js';
import type { Config } from '../src/config.js';
import { startDiscordBot, type DiscordBot } from '../src/discord/bot.js';
import { silentLogger } from '../src/log.js';
import { startWorker, type RunningWorker } from '../src/worker/start.js';

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

/** Timestamps (nowMs) of one interaction inside the bot process. */
export interface BotMarks {
  /** discord.js parsed the gateway frame ('raw' event). */
  raw?: number;
  /** Events.InteractionCreate listeners ran (the bot's router listener first, then this one). */
  handled?: number;
  /** The defer callback request was created in undici. */
  request?: number;
  /** Its headers were written to a socket. */
  sent?: number;
  /** Its response headers came back. */
  response?: number;
}

export interface BotSideStats {
  marks: Record<string, BotMarks>;
  /** Event-loop delay in the bot process during the run, ms. */
  loopDelay: LoopDelay;
  /** CPU time of the bot process since it started, ms. */
  cpuMs: number;
}

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/** Event-loop delay of this process, from now on. */
export function watchLoop(): { read(): LoopDelay; stop(): void } {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  return {
    read: () => ({ p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 }),
    stop: () => loop.disable(),
  };
}

export interface BotSide {
  stats(): BotSideStats;
  /** Sizes of discord.js's caches: what the bot process keeps per learner. */
  caches(): Record<string, number>;
  close(): Promise<void>;
}

/** Tutor app (no inline worker: SENSEI_INLINE_WORKER=false in the config) and the real Discord bot. */
export async function startBotSide(config: Config): Promise<BotSide> {
  const app: TutorApp = await startTutorApp(config, silentLogger, {
    defaultLang: 'ja',
    commands: { lessons: '/lesson list', start: '/lesson start', hint: '/hint', run: '/run command:' },
  });
  let bot: DiscordBot;
  try {
    bot = await startDiscordBot(config, silentLogger, { tutorApp: app, messageContent: false });
  } catch (err) {
    await app.close();
    throw err;
  }
  const marks = new Map<string, BotMarks>();
  const mark = (id: string): BotMarks => {
    let m = marks.get(id);
    if (m === undefined) marks.set(id, (m = {}));
    return m;
  };
  bot.client.on(Events.Raw, (packet: { t?: string; d?: { id?: string } }) => {
    if (packet.t === 'INTERACTION_CREATE' && typeof packet.d?.id === 'string') mark(packet.d.id).raw = nowMs();
  });
  bot.client.on(Events.InteractionCreate, (interaction) => {
    mark(interaction.id).handled = nowMs();
  });
  const callbackId = (path: string): string | undefined => /\/interactions\/(\d+)\/[^/]+\/callback/.exec(path)?.[1];
  const onCreate = (message: unknown): void => {
    const id = callbackId(String((message as { request?: { path?: string } }).request?.path ?? ''));
    if (id !== undefined) mark(id).request = nowMs();
  };
  const onSend = (message: unknown): void => {
    const id = callbackId(String((message as { request?: { path?: string } }).request?.path ?? ''));
    if (id !== undefined) mark(id).sent = nowMs();
  };
  const onHeaders = (message: unknown): void => {
    const id = callbackId(String((message as { request?: { path?: string } }).request?.path ?? ''));
    if (id !== undefined) mark(id).response = nowMs();
  };
  diagnostics_channel.subscribe('undici:request:create', onCreate);
  diagnostics_channel.subscribe('undici:client:sendHeaders', onSend);
  diagnostics_channel.subscribe('undici:request:headers', onHeaders);
  const loop = watchLoop();

  const sum = (sizes: Iterable<number>) => [...sizes].reduce((a, b) => a + b, 0);
  return {
    caches: () => {
      const { client } = bot;
      const guilds = [...client.guilds.cache.values()];
      return {
        users: client.users.cache.size,
        members: sum(guilds.map((g) => g.members.cache.size)),
        channels: client.channels.cache.size,
        messages: sum([...client.channels.cache.values()].map((c) => ('messages' in c && c.messages ? c.messages.cache.size : 0))),
      };
    },
    stats: () => ({
      marks: Object.fromEntries(marks),
      loopDelay: loop.read(),
      cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    }),
    close: async () => {
      loop.stop();
      diagnostics_channel.unsubscribe('undici:request:create', onCreate);
      diagnostics_channel.unsubscribe('undici:client:sendHeaders', onSend);
      diagnostics_channel.unsubscribe('undici:request:headers', onHeaders);
      await bot.close();
      await app.close();
    },
  };
}

export interface WorkerSide {
  close(): Promise<void>;
}

export async function startWorkerSide(config: Config): Promise<WorkerSide> {
  const worker: RunningWorker = await startWorker(config, { log: silentLogger, endSessionsOnClose: true });
  return { close: () => worker.close() };
}
