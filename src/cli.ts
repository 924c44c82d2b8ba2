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
import { requireDiscordToken } from './discord/token.js';
import { supervisedProcess } from './supervised.js';

const USAGE = `Container Sensei: learn how containers really work, by running real commands.

Usage:
  sensei start                 the Discord bot (with a worker) when DISCORD_TOKEN is set, else the console chat
  sensei chat [--lang ja|en] [--learner ID]
                               the tutor in this terminal (pipe lines in to script it)
  sensei bot [--supervised] [--ready-file PATH]
                               the Discord bot alone (workers run elsewhere with sensei worker)
  sensei deploy-commands [--guild ID | --global]
                               register the slash commands (DISCORD_GUILD_ID set: that server only)
  sensei run [--mode oneshot|session] [--profile default|userns] [--learner ID] [--json] -- '<shell command>'
                               run one command through the queue and a sandbox, print its output
  sensei worker [--supervised] [--ready-file PATH]
                               run a worker: take commands from the queue, run them in sandboxes
      --supervised             under a supervisor that restarts what exits (docker-compose): a settings error
                               is said once and the process waits instead of exiting into a restart loop
      --ready-file PATH        created once the process is up, removed at start (a container healthcheck)
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

async function commandWorker(ready: () => Promise<void>): Promise<number> {
  const config = loadConfig();
  const log = loggerFor(config, false);
  const metrics = new SenseiMetrics();
  const worker = await startWorker(config, { log, metrics });
  const metricsServer = await serveMetricsIfAsked(config, metrics, log).catch(async (err: unknown) => {
    await worker.close();
    throw err;
  });
  await ready();
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

async function commandBot(config: Config, ready?: () => Promise<void>): Promise<number> {
  requireDiscordToken(config);
  const { runDiscordBot } = await import('./discord/main.js');
  return runDiscordBot(config, loggerFor(config, false), ready ? { onReady: ready } : {});
}

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'run':
        return await commandRun(rest);
      case 'worker':
        return await supervisedProcess('worker', rest, commandWorker);
      case 'doctor': {
        const { commandDoctor } = await import('./doctor.js');
        return await commandDoctor();
      }
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
        return await supervisedProcess('bot', rest, (ready) => commandBot(loadConfig(), ready));
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
