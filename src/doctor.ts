// `sensei doctor`: one line per thing the install needs (Discord token, Redis, the Docker engine, engines, use).
import { existsSync } from 'node:fs';
import { loadConfig, placementTtlMs, type Config } from './config.js';
import { configuredLogger, hashLearnerId, logSalt } from './log.js';

type Level = 'ok' | 'WARN' | 'FAIL';

/** A check's finding below FAIL: its text, and WARN when the install works without it. */
class Finding {
  constructor(
    readonly text: string,
    readonly level: Exclude<Level, 'FAIL'> = 'ok',
  ) {}
}

/** True when this process has no Docker engine on purpose: the bot of a split deployment (docker-compose's bot). */
export function engineNotExpectedHere(config: Pick<Config, 'SENSEI_INLINE_WORKER' | 'DOCKER_HOST' | 'DOCKER_SOCKET'>): boolean {
  return !config.SENSEI_INLINE_WORKER && !config.DOCKER_HOST && !existsSync(config.DOCKER_SOCKET);
}

/** Where the bot token stands; a split deployment (no inline worker) exists for the bot, so there a missing token fails. */
export function discordFinding(config: Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_APP_ID' | 'SENSEI_INLINE_WORKER'>): Finding {
  if (config.DISCORD_TOKEN) {
    return new Finding(`DISCORD_TOKEN is set${config.DISCORD_APP_ID ? `, app ${config.DISCORD_APP_ID}` : ' (DISCORD_APP_ID empty: deploy-commands asks Discord for it)'}`);
  }
  const text = 'DISCORD_TOKEN is not set, so the Discord bot cannot log in. Put it in .env (copy .env.example; docs/DISCORD.md)';
  if (!config.SENSEI_INLINE_WORKER) throw new Error(text);
  return new Finding(`${text}; the console chat (sensei start) needs none`, 'WARN');
}

export async function commandDoctor(): Promise<number> {
  const config = loadConfig();
  const log = configuredLogger(config, 'warn');
  const lines: string[] = [];
  let ok = true;
  const check = async (name: string, fn: () => Promise<string | Finding>) => {
    try {
      const found = await fn();
      const finding = found instanceof Finding ? found : new Finding(found);
      lines.push(`${finding.level.padEnd(6)}${name}: ${finding.text}`);
    } catch (err) {
      ok = false;
      lines.push(`FAIL  ${name}: ${(err as Error).message}`);
    }
  };
  const { createRedis, warnUnlessNoEviction } = await import('./store/redis.js');
  const { createDocker, checkEngine } = await import('./sandbox/docker-client.js');
  const { currentUse } = await import('./worker/use.js');
  const noEngine = engineNotExpectedHere(config);
  const withRedis = async <T>(fn: (redis: ReturnType<typeof createRedis>) => Promise<T>): Promise<T> => {
    const redis = createRedis(config.REDIS_URL, 'producer');
    try {
      return await fn(redis);
    } finally {
      redis.disconnect();
    }
  };
  await check('discord', async () => discordFinding(config));
  await check('redis', () =>
    withRedis(async (redis) => {
      await redis.ping();
      const policy = await warnUnlessNoEviction(redis, log);
      const { memory } = await currentUse(config, redis);
      const room = memory ? `, ${mib(memory.used)} of maxmemory ${mib(memory.max)} used` : ', no maxmemory set (see scripts/services.sh)';
      return `${config.REDIS_URL} answers (maxmemory-policy ${policy ?? 'unknown'}${room})`;
    }),
  );
  await check('docker', async () => {
    if (noEngine) {
      return 'none in this process, as intended: it runs no sandboxes (SENSEI_INLINE_WORKER=false), the worker does. Check the engine there (docker-compose exec worker node bin/sensei.js doctor)';
    }
    const facts = await checkEngine(createDocker(config), config.SANDBOX_IMAGE);
    return `engine ${facts.serverVersion}, cgroup v${facts.cgroupVersion}, image ${config.SANDBOX_IMAGE} present`;
  });
  await check('engines', () =>
    withRedis(async (redis) => {
      const { EngineRegistry } = await import('./store/engine-registry.js');
      const { engineReport } = await import('./engine-report.js');
      const registry = new EngineRegistry(redis, config.SENSEI_PREFIX, placementTtlMs(config));
      const engines = await registry.engines();
      // Learners are named by the logs' hash: this output gets pasted into issues and chats.
      const salt = logSalt(config);
      const hashed = async (engine: string) => (await registry.learnersOf(engine)).map((id) => hashLearnerId(id, salt));
      const learners = new Map(await Promise.all(engines.map(async (e) => [e.name, await hashed(e.name)] as const)));
      const report = engineReport(engines, learners, Date.now(), config.ENGINE_DEAD_MS);
      return `${engines.length} registered\n${report.map((l) => `${l.level.padEnd(6)}  ${l.text}`).join('\n')}`;
    }),
  );
  await check('use', () =>
    withRedis(async (redis) => {
      const use = await currentUse(config, redis, noEngine ? undefined : createDocker(config));
      const lab = use.lab;
      const labLine = lab
        ? `lab ${lab.containers} of ${lab.limits.containers} containers running, ${mib(lab.memoryBytes)} of ${mib(lab.limits.memoryBytes)} memory and ` +
          `${lab.nanoCpus / 1e9} of ${lab.limits.nanoCpus / 1e9} CPUs promised`
        : noEngine
          ? 'lab: seen from the worker only'
          : 'lab unknown';
      return `${labLine}; sessions ${use.sessions} of ${config.MAX_SESSIONS}; queue ${use.waiting} of ${config.QUEUE_MAX_WAITING} waiting`;
    }),
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  return ok ? 0 : 1;
}

const mib = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MiB`;
