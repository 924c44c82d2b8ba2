import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, placementTtlMs, type Config } from './config.js';
import { parseLabLine } from './lab/parse.js';
import { configuredLogger, type LogLevel, type Logger } from './log.js';
import { SubmitError } from './queue/errors.js';
import { SenseiMetrics } from './metrics/sensei-metrics.js';
import { serveMetricsIfAsked } from './metrics/server.js';
import { CommandQueue } from './queue/producer.js';
import { SandboxUnavailableError, executionModes, sandboxProfiles, type ExecutionMode, type RunResult, type SandboxProfile } from './sandbox/types.js';
import { labRefusalText } from './tutor/lab-text.js';
import { startWorker, type RunningWorker } from './worker/start.js';

const USAGE = `Container Sensei: learn how containers really work, by running real commands.

Usage:
  sensei start                 the Discord bot (with a worker) when DISCORD_TOKEN is set, else the console chat
  sensei chat [--lang ja|en] [--learner ID]
                               the tutor in this terminal (pipe lines in to script it)
  sensei bot                   the Discord bot alone (workers run elsewhere with sensei worker)
  sensei deploy-commands [--guild ID | --global]
                               register the slash commands (DISCORD_GUILD_ID set: that server only)
  sensei run [--mode oneshot|session] [--profile default|userns] [--learner ID] [--json] -- '<shell command>'
                               run one command through the queue and a sandbox, print its output
  sensei worker                run a worker: take commands from the queue, run them in sandboxes
  sensei doctor                check the settings, Redis, the Docker engine and the sandbox image
  sensei reap                  remove sandbox containers nobody needs any more, once
  sensei image [--force]       build the sandbox image (sandbox/build.sh)
  sensei lessons check [ID…]   validate every lesson file, then run every step's command in the sandbox
  sensei ask [--lang ja|en] [--json] -- "question"
                               answer a question from the knowledge cards (no question: one per stdin line)
  sensei ask gaps              the most asked unanswered questions and the worst-rated cards
  sensei knowledge check [ID…] validate every card, then run every card's try command in the sandbox
  sensei team report --guild ID [--csv] [--cohort NAME] [--lang ja|en]
                               one row per learner of a server (as /team export), as a table or CSV

Settings come from the environment; see README.md for the table.`;

class UsageError extends Error {}

function loggerFor(config: Config, quietByDefault: boolean): Logger {
  const explicit = process.env.SENSEI_LOG;
  const level: LogLevel = explicit ? config.SENSEI_LOG : quietByDefault ? 'warn' : config.SENSEI_LOG;
  return configuredLogger(config, level);
}

function defaultLearner(): string {
  const name = userInfo().username.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 40) || 'you';
  return `cli-${name}`;
}

/** The JSON contract other tools rely on: exactly these keys. */
function resultJson(r: RunResult): string {
  const { stdout, stderr, exitCode, timedOut, oomKilled, truncated, durationMs } = r;
  return JSON.stringify({ stdout, stderr, exitCode, timedOut, oomKilled, truncated, durationMs });
}

function resultFooter(r: RunResult): string {
  const parts = [`exit ${r.exitCode ?? '?'}`, `${r.durationMs} ms`];
  if (r.timedOut) parts.push('timed out');
  if (r.oomKilled) parts.push('killed: out of memory');
  if (r.truncated) parts.push('output truncated');
  return `[${parts.join(' · ')}]`;
}

async function commandRun(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mode: { type: 'string', default: 'oneshot' },
      profile: { type: 'string', default: 'default' },
      learner: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const mode = values.mode as ExecutionMode;
  if (!executionModes.includes(mode)) throw new UsageError(`--mode must be one of: ${executionModes.join(', ')}`);
  const profile = values.profile as SandboxProfile;
  if (!sandboxProfiles.includes(profile)) throw new UsageError(`--profile must be one of: ${sandboxProfiles.join(', ')}`);
  if (positionals.length === 0) throw new UsageError("give the command after --, e.g. sensei run -- 'ps aux'");
  const command = positionals.join(' ');
  return withQueue({ poolSize: 0, concurrency: 1 }, async (queue) => {
    const { result } = await queue.submit(values.learner ?? defaultLearner(), command, mode, {
      profile,
      onProgress: values.json ? undefined : (p) => {
        if (p.stage === 'queued' && p.position > 1) process.stderr.write(`[queued: position ${p.position}]\n`);
      },
    });
    if (values.json) {
      process.stdout.write(`${resultJson(result)}\n`);
    } else {
      process.stdout.write(result.stdout);
      process.stderr.write(result.stderr);
      process.stderr.write(`${resultFooter(result)}\n`);
    }
    return 0;
  });
}

/**
 * Runs `work` with a queue producer, starting a worker in this process when none is connected (and
 * SENSEI_INLINE_WORKER allows). Sessions that worker started end with it, so nothing is left behind.
 */
async function withQueue(workerOpts: { poolSize?: number; concurrency?: number }, work: (queue: CommandQueue) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const log = loggerFor(config, true);
  const queue = await CommandQueue.create(config, log);
  let worker: RunningWorker | undefined;
  try {
    if (config.SENSEI_INLINE_WORKER && (await queue.workerCount()) === 0) {
      worker = await startWorker(config, { log, endSessionsOnClose: true, ...workerOpts });
    }
    return await work(queue);
  } finally {
    await worker?.close();
    await queue.close();
  }
}

async function commandWorker(): Promise<number> {
  const config = loadConfig();
  const log = loggerFor(config, false);
  const metrics = new SenseiMetrics();
  const worker = await startWorker(config, { log, metrics });
  const metricsServer = await serveMetricsIfAsked(config, metrics, log).catch(async (err: unknown) => {
    await worker.close();
    throw err;
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info(`${signal}: finishing running commands, then stopping`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await metricsServer?.close();
  await worker.close();
  return 0;
}

async function commandDoctor(): Promise<number> {
  const config = loadConfig();
  const log = configuredLogger(config, 'warn');
  const lines: string[] = [];
  let ok = true;
  const check = async (name: string, fn: () => Promise<string>) => {
    try {
      lines.push(`ok    ${name}: ${await fn()}`);
    } catch (err) {
      ok = false;
      lines.push(`FAIL  ${name}: ${(err as Error).message}`);
    }
  };
  const { createRedis, warnUnlessNoEviction } = await import('./store/redis.js');
  const { createDocker, checkEngine } = await import('./sandbox/docker-client.js');
  const { currentUse } = await import('./worker/use.js');
  await check('redis', async () => {
    const redis = createRedis(config.REDIS_URL, 'producer');
    try {
      await redis.ping();
      const policy = await warnUnlessNoEviction(redis, log);
      const { memory } = await currentUse(config, redis);
      const room = memory ? `, ${mib(memory.used)} of maxmemory ${mib(memory.max)} used` : ', no maxmemory set (see scripts/services.sh)';
      return `${config.REDIS_URL} answers (maxmemory-policy ${policy ?? 'unknown'}${room})`;
    } finally {
      redis.disconnect();
    }
  });
  await check('docker', async () => {
    const facts = await checkEngine(createDocker(config), config.SANDBOX_IMAGE);
    return `engine ${facts.serverVersion}, cgroup v${facts.cgroupVersion}, image ${config.SANDBOX_IMAGE} present`;
  });
  await check('engines', async () => {
    const { EngineRegistry } = await import('./store/engine-registry.js');
    const { engineReport } = await import('./engine-report.js');
    const redis = createRedis(config.REDIS_URL, 'producer');
    try {
      const registry = new EngineRegistry(redis, config.SENSEI_PREFIX, placementTtlMs(config));
      const engines = await registry.engines();
      const learners = new Map(await Promise.all(engines.map(async (e) => [e.name, await registry.learnersOf(e.name)] as const)));
      const report = engineReport(engines, learners, Date.now(), config.ENGINE_DEAD_MS);
      return `${engines.length} registered\n${report.map((l) => `${l.level.padEnd(6)}  ${l.text}`).join('\n')}`;
    } finally {
      redis.disconnect();
    }
  });
  await check('use', async () => {
    const redis = createRedis(config.REDIS_URL, 'producer');
    try {
      const use = await currentUse(config, redis, createDocker(config));
      const lab = use.lab;
      const labLine = lab
        ? `lab ${lab.containers} of ${lab.limits.containers} containers running, ${mib(lab.memoryBytes)} of ${mib(lab.limits.memoryBytes)} memory and ` +
          `${lab.nanoCpus / 1e9} of ${lab.limits.nanoCpus / 1e9} CPUs promised`
        : 'lab unknown';
      return `${labLine}; sessions ${use.sessions} of ${config.MAX_SESSIONS}; queue ${use.waiting} of ${config.QUEUE_MAX_WAITING} waiting`;
    } finally {
      redis.disconnect();
    }
  });
  process.stdout.write(`${lines.join('\n')}\n`);
  return ok ? 0 : 1;
}

const mib = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MiB`;

async function commandReap(): Promise<number> {
  const config = loadConfig();
  const log = loggerFor(config, false);
  const worker = await startWorker(config, { log, poolSize: 0, concurrency: 1 });
  try {
    const removed = await worker.reap();
    process.stdout.write(`removed ${removed} container(s)\n`);
  } finally {
    await worker.close();
  }
  return 0;
}

function commandImage(argv: string[]): number {
  const script = fileURLToPath(new URL('../sandbox/build.sh', import.meta.url));
  const r = spawnSync('bash', [script, ...argv], { stdio: 'inherit' });
  return r.status ?? 1;
}

async function commandLessons(argv: string[]): Promise<number> {
  const [what, ...ids] = argv;
  if (what !== 'check') throw new UsageError('usage: sensei lessons check [LESSON-ID…]');
  const { loadCurriculum, CurriculumError } = await import('./lessons/index.js');
  const { selfTestLessons, formatVerdictTable } = await import('./lessons/self-test.js');
  const lessonsDir = fileURLToPath(new URL('../lessons', import.meta.url));
  let curriculum;
  try {
    curriculum = await loadCurriculum(lessonsDir);
  } catch (err) {
    if (!(err instanceof CurriculumError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  return withQueue({}, async (queue) => {
    const verdicts = await selfTestLessons(curriculum, (learner, command, mode, profile) => submitPatiently(queue, learner, command, mode, profile), {
      learnerPrefix: `lessons-check-${process.pid}`,
      only: ids,
    });
    process.stdout.write(`${formatVerdictTable(verdicts)}\n`);
    return verdicts.some((v) => v.status === 'fail') ? 1 : 0;
  });
}

async function commandKnowledge(argv: string[]): Promise<number> {
  const [what, ...ids] = argv;
  if (what !== 'check') throw new UsageError('usage: sensei knowledge check [CARD-ID…]');
  const { loadCheckedKnowledge, selfTestCards, CARD_TABLE_NAMES } = await import('./knowledge/check.js');
  const { formatVerdictTable } = await import('./lessons/self-test.js');
  const loaded = await loadCheckedKnowledge(fileURLToPath(new URL('..', import.meta.url)));
  if (!loaded.ok) {
    process.stderr.write(`${loaded.message}\n`);
    return 1;
  }
  return withQueue({}, async (queue) => {
    const verdicts = await selfTestCards(loaded.knowledge, (learner, command, mode, profile) => submitPatiently(queue, learner, command, mode, profile), {
      learnerPrefix: `knowledge-check-${process.pid}`,
      only: ids,
    });
    process.stdout.write(`${formatVerdictTable(verdicts, CARD_TABLE_NAMES)}\n`);
    return verdicts.some((v) => v.status === 'fail') ? 1 : 0;
  });
}

/** Submits a step's command (a lab step's as a typed lab command), waiting out the learner's cooldown instead of failing on it. */
async function submitPatiently(queue: CommandQueue, learner: string, command: string, mode: ExecutionMode | 'lab', profile: SandboxProfile): Promise<RunResult> {
  const lab = mode === 'lab' ? parseLabLine(command) : undefined;
  if (lab && !lab.ok) throw new Error(`the lab refuses it: ${labRefusalText('en', lab.refusal)}`);
  for (;;) {
    try {
      if (lab) return (await queue.runLab(learner, lab.command)).result;
      return (await queue.submit(learner, command, mode === 'lab' ? 'oneshot' : mode, { profile })).result;
    } catch (err) {
      if (!(err instanceof SubmitError) || err.refusal.code !== 'cooldown') throw err;
      await new Promise((r) => setTimeout(r, (err.refusal as { retryInMs: number }).retryInMs + 10));
    }
  }
}

async function commandStart(argv: string[]): Promise<number> {
  const config = loadConfig();
  if (config.DISCORD_TOKEN) return commandBot(config);
  return commandChat(config, argv);
}

async function commandChat(config: Config, argv: string[]): Promise<number> {
  const { runConsoleChat } = await import('./console/chat.js');
  return runConsoleChat(config, argv);
}

async function commandBot(config: Config): Promise<number> {
  if (!config.DISCORD_TOKEN) throw new UsageError('set DISCORD_TOKEN (and DISCORD_APP_ID) to run the bot; see docs/DISCORD.md');
  const { runDiscordBot } = await import('./discord/main.js');
  return runDiscordBot(config, loggerFor(config, false));
}

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'run':
        return await commandRun(rest);
      case 'worker':
        return await commandWorker();
      case 'doctor':
        return await commandDoctor();
      case 'reap':
        return await commandReap();
      case 'image':
        return commandImage(rest);
      case 'lessons':
        return await commandLessons(rest);
      case 'knowledge':
        return await commandKnowledge(rest);
      case 'ask': {
        const { commandAsk } = await import('./knowledge/cli.js');
        return await commandAsk(rest);
      }
      case 'team': {
        const { commandTeam } = await import('./team/cli.js');
        return await commandTeam(loadConfig(), rest);
      }
      case 'start':
        return await commandStart(rest);
      case 'chat':
        return await commandChat(loadConfig(), rest);
      case 'bot':
        return await commandBot(loadConfig());
      case 'deploy-commands': {
        const { runDeployCommands } = await import('./discord/main.js');
        return await runDeployCommands(loadConfig(), rest);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return sub === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${sub}"`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`sensei: ${(err as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof ConfigError || err instanceof SubmitError || err instanceof SandboxUnavailableError) {
      process.stderr.write(`sensei: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

if (process.argv[1] && /(?:cli\.[jt]s|sensei(?:\.js)?)$/.test(process.argv[1])) {
  const code = await main(process.argv.slice(2));
  process.exit(code);
}
