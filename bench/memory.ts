// Memory in the bench: the bot process with many learners in active lessons (their state in Redis), and the
// worker process with many live sessions. Both run as their own processes, as bench/discord.ts runs them.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { CommandQueue } from '../src/queue/producer.js';
import { redisKeys } from '../src/store/redis.js';
import { startFakeDiscord } from '../test/fake-discord/fake-discord.js';
import { removeLeftovers, startChild, type Child } from './children.js';
import type { ChildMemory } from './discord-child.js';

const LESSON = 'container-is-a-process';
/** Lesson starts in flight at once while filling the bot (Discord delivers interactions concurrently). */
const LESSON_STARTS_IN_FLIGHT = 20;

export interface MemoryPoint {
  /** Learners with an active lesson, or live sessions, when this was read. */
  count: number;
  memory: ChildMemory;
}

export interface BotMemory {
  points: MemoryPoint[];
  /** Learner keys this run left in Redis (the state lives there, not in the bot). */
  redisKeys: number;
  /** Lesson starts that got no answer in time. */
  unanswered: number;
}

function memoryConfig(overrides: Record<string, string>): Config {
  return loadConfig(process.env, {
    SENSEI_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
    LEARNER_COOLDOWN_MS: '0',
    SENSEI_LOG: 'error',
    SENSEI_INLINE_WORKER: 'false',
    QUEUE_MAX_WAITING: '1000',
    ...overrides,
  });
}

async function readMemory(child: Child, count: number): Promise<MemoryPoint> {
  return { count, memory: (await child.request({ type: 'memory' }, 'memory')).memory };
}

async function countKeys(config: Config): Promise<number> {
  const redis = new Redis(config.REDIS_URL);
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.SENSEI_PREFIX}:*`, 'COUNT', 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  redis.disconnect();
  return n;
}

/** The real bot against the fake Discord: `learners` learners each start a lesson; RSS read at 0, half and all. */
export async function botMemory(learners: number): Promise<BotMemory> {
  const fake = await startFakeDiscord({ echoBotMessages: false, learners: Array.from({ length: learners }, (_, k) => ({ username: `learner${k}` })) });
  const config: Config = { ...memoryConfig({}), DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase, DISCORD_APP_ID: fake.appId };
  // One tap on every REST call: a lesson start is answered when the bot edits its deferred reply.
  const waiting = new Map<string, () => void>();
  const original = `/messages/@original`;
  const tap = fake.waitForCall((call) => {
    if (call.path === '/bench-memory-stop') return true;
    if (call.method === 'PATCH' && call.path.endsWith(original)) waiting.get(call.path.slice(`/webhooks/${fake.appId}/`.length, -original.length))?.();
    return false;
  }, 3_600_000);
  let bot: Child | undefined;
  let unanswered = 0;
  const points: MemoryPoint[] = [];
  try {
    bot = await startChild('bot', config, ['--expose-gc']);
    points.push(await readMemory(bot, 0));
    const startLesson = async (userId: string) => {
      const { token } = fake.interaction({ kind: 'command', name: 'lesson', userId, options: [{ type: 1, name: 'start', options: [{ type: 3, name: 'id', value: LESSON }] }] });
      const answered = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 15_000);
        waiting.set(token, () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      waiting.delete(token);
      if (!answered) unanswered += 1;
    };
    const half = Math.floor(learners / 2);
    for (const [from, to] of [[0, half], [half, learners]] as const) {
      let next = from;
      await Promise.all(Array.from({ length: LESSON_STARTS_IN_FLIGHT }, async () => {
        while (next < to) await startLesson(fake.learnerIds[next++]!);
      }));
      points.push(await readMemory(bot, to));
    }
    return { points, redisKeys: await countKeys(config), unanswered };
  } finally {
    await bot?.close().catch((err: unknown) => process.stderr.write(`closing the bot: ${String(err)}\n`));
    await fetch(`${fake.apiBase}/v10/bench-memory-stop`).catch(() => undefined);
    await tap.catch(() => undefined);
    await fake.close();
    await removeLeftovers(config);
  }
}

/** A worker process with `sessions` live sessions (one per learner), RSS read with none and with all. */
export async function workerMemory(sessions: number): Promise<{ points: MemoryPoint[]; liveSessions: number }> {
  const config = memoryConfig({ MAX_SESSIONS: String(Math.max(100, sessions)) });
  let worker: Child | undefined;
  let queue: CommandQueue | undefined;
  try {
    worker = await startChild('worker', config, ['--expose-gc']);
    queue = await CommandQueue.create(config, silentLogger);
    const points = [await readMemory(worker, 0)];
    await Promise.all(Array.from({ length: sessions }, (_, k) => queue!.submit(`session-${k}`, 'true', 'session')));
    points.push(await readMemory(worker, sessions));
    const redis = new Redis(config.REDIS_URL);
    const liveSessions = await redis.zcard(redisKeys(config.SENSEI_PREFIX).liveSessions());
    redis.disconnect();
    return { points, liveSessions };
  } finally {
    await queue?.close();
    await worker?.close().catch((err: unknown) => process.stderr.write(`closing the worker: ${String(err)}\n`));
    await removeLeftovers(config);
  }
}
