import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const sandboxVersion = readFileSync(new URL('../sandbox/VERSION', import.meta.url), 'utf8').trim();

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const ms = (spoken: string): number => {
  const [, n, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(spoken) ?? [];
  if (!n || !unit) throw new Error(`not a duration: ${spoken}`);
  return Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
};
/** A duration setting, in ms in the environment, written here as people say it ('30m', '10s', '24h'). */
const duration = (def: string, min: string, max: string) => int(ms(def), ms(min), ms(max));
const flag = (def: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
    .default(def ? 'true' : 'false')
    .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

/** Every setting the app reads from the environment, with defaults that work on a laptop. */
export const configSchema = z.object({
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Prefix for every Redis key and the BullMQ queue, so several installs can share one Redis. */
  SENSEI_PREFIX: z.string().regex(/^[a-z0-9-]{1,32}$/).default('sensei'),
  DOCKER_SOCKET: z.string().default('/var/run/docker.sock'),
  /** tcp://host:port or unix:///path; overrides DOCKER_SOCKET when set (as the docker CLI does). */
  DOCKER_HOST: optionalText,
  /** Learners one engine takes (their sessions and labs live there); past it, new learners go to another engine. */
  ENGINE_CAPACITY: int(200, 1, 100_000),
  /** This engine's labels for placement, e.g. "zone=tokyo" (cgroup=1 or 2 is added from the engine itself). */
  ENGINE_LABELS: optionalText,
  /** Labels a new learner's engine should have when one with room does, e.g. "cgroup=2". */
  ENGINE_PREFER: optionalText,
  /** How often a worker checks its engine and says it is alive. */
  ENGINE_HEARTBEAT_MS: duration('3s', '200ms', '1m'),
  /** An engine silent this long is declared dead: its learners are told their lab was lost, and placed anew. */
  ENGINE_DEAD_MS: duration('15s', '1s', '10m'),
  /** This worker's engine, as placements, queues and metrics name it. Default: the engine host's name and a hash of its id. */
  ENGINE_NAME: optionalText.refine((v) => v === undefined || /^[a-z0-9][a-z0-9-]{0,47}$/.test(v), 'lower-case letters, digits and -, up to 48'),
  SANDBOX_IMAGE: z.string().default(`container-sensei/sandbox:${sandboxVersion}`),
  SANDBOX_MEMORY_MB: int(256, 16, 4096),
  SANDBOX_PIDS: int(64, 8, 4096),
  SANDBOX_CPUS: z.coerce.number().min(0.05).max(16).default(1),
  /** CPUs sandboxes may run on (cpuset syntax, e.g. "1-3"), to keep a core free for the bot. Default: any. */
  SANDBOX_CPUSET: optionalText.refine((v) => v === undefined || /^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(v), 'a cpuset like "1" or "1-3,5"'),
  /** Each sandbox's CPU weight (Docker's CpuShares, 2–262144; 1024 is a default container's). Learners' commands and
   *  labs are batch work: under contention they yield the CPU to the bot, whose replies a learner is waiting on. */
  SANDBOX_CPU_SHARES: int(128, 2, 262144),
  SANDBOX_NOFILE: int(256, 16, 65536),
  SANDBOX_TMP_MB: int(16, 1, 1024),
  SANDBOX_TIMEOUT_MS: duration('10s', '500ms', '5m'),
  SANDBOX_OUTPUT_BYTES: int(64 * 1024, 1024, 16 * 1024 * 1024),
  /** A seccomp profile (JSON file) for every sandbox instead of Docker's default. */
  SANDBOX_SECCOMP_PROFILE: optionalText,
  /** Lesson steps that build containers by hand run under this opt-in profile, which allows user namespaces. */
  SANDBOX_USERNS_PROFILE: z.string().default(fileURLToPath(new URL('../sandbox/seccomp-userns.json', import.meta.url))),
  /** Set to false to run those steps under the default profile too (they then show the refusal). */
  SANDBOX_USERNS_STEPS: flag(true),
  /** Where the worker sees the host's procfs and cgroup tree, for the lab's host view (docs/DEPLOY.md). */
  HOST_PROC_ROOT: z.string().default('/proc'),
  HOST_CGROUP_ROOT: z.string().default('/sys/fs/cgroup'),
  /** Namespace types (as in /proc/PID/ns) the worker shares with the host, e.g. "pid,user"; unset: all, as on the host. */
  HOST_SHARED_NS: optionalText
    .refine((v) => v === undefined || /^[a-z_]+(\s*,\s*[a-z_]+)*$/.test(v), 'namespace types as /proc/PID/ns names them, comma-separated, e.g. "pid,user,time"')
    .transform((v) => v?.split(',').map((t) => t.trim())),
  POOL_SIZE: int(2, 0, 64),
  /** The lab: each learner's own containers made with `docker run` in chat. */
  LAB_MAX_RUNNING: int(3, 1, 20),
  LAB_IDLE_TTL_MS: duration('30m', '10s', '1d'),
  LAB_MAX_LIFETIME_MS: duration('2h', '1m', '7d'),
  /** Running lab containers per Docker engine, across all learners; past it `docker run` hears "the lab is full". */
  LAB_MAX_CONTAINERS: int(30, 1, 10_000),
  /** Memory promised to running lab containers per engine, in MiB; 0: three quarters of the engine's memory. */
  LAB_MAX_MEMORY_MB: int(0, 0, 1_048_576),
  /** CPUs promised to running lab containers per engine; 0: eight times the engine's CPUs. */
  LAB_MAX_CPUS: z.coerce.number().min(0).max(4096).default(0),
  /** CPU time a lab container may use over its life, in seconds; then it is stopped and its learner told why. */
  LAB_CPU_BUDGET_S: int(120, 1, 86_400),
  /** How often a worker checks the lab containers' CPU budgets. */
  LAB_CPU_CHECK_MS: duration('10s', '500ms', '1h'),
  SESSION_IDLE_TTL_MS: duration('15m', '10s', '1d'),
  SESSION_MAX_LIFETIME_MS: duration('1h', '1m', '7d'),
  /** Session containers alive at once across all workers; past it, new sessions wait for room. */
  MAX_SESSIONS: int(100, 1, 100_000),
  REAP_INTERVAL_MS: duration('30s', '1s', '1h'),
  WORKER_CONCURRENCY: int(4, 1, 64),
  GLOBAL_CONCURRENCY: int(8, 1, 256),
  QUEUE_MAX_WAITING: int(200, 1, 100_000),
  LEARNER_COOLDOWN_MS: duration('500ms', '0ms', '10m'),
  /** Commands a learner may send at once (a paste) before LEARNER_COOLDOWN_MS paces them. */
  LEARNER_BURST: int(5, 1, 100),
  /** Tries of a command whose engine or Redis could not be reached (a learner's own failure is never retried). */
  JOB_ATTEMPTS: int(4, 1, 10),
  /** The first retry's delay, doubled each time: 2 + 4 + 8 s outlasts an engine restart (about 8 s). */
  JOB_RETRY_DELAY_MS: duration('2s', '100ms', '1m'),
  /** How long a job may take before it is answered as timed out with what it printed so far; 0: SANDBOX_TIMEOUT_MS + 30 s. */
  JOB_DEADLINE_MS: duration('0ms', '0ms', '1h'),
  /** How long a worker may go silent before its job counts as stalled and its containers as orphans. */
  WORKER_LOCK_MS: duration('15s', '2s', '10m'),
  DISCORD_TOKEN: optionalText,
  DISCORD_APP_ID: optionalText,
  DISCORD_GUILD_ID: optionalText,
  DISCORD_API_BASE: optionalText,
  /** The bot deploys its slash commands when it starts, once across shards and processes, when they changed. */
  DISCORD_DEPLOY_ON_START: flag(false),
  /** Ask for the privileged Message Content intent, so learners can type commands in their threads. */
  DISCORD_MESSAGE_CONTENT: flag(true),
  /** An OpenAI-compatible API (e.g. http://127.0.0.1:11434/v1 for Ollama) that rewrites `ask` answers from the cards; off when unset. */
  LLM_BASE_URL: optionalText.refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), 'an http(s) URL such as http://127.0.0.1:11434/v1'),
  LLM_MODEL: optionalText,
  LLM_API_KEY: optionalText,
  LLM_TIMEOUT_MS: duration('8s', '500ms', '2m'),
  SENSEI_LOG: z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('info'),
  /** json: one object per line; text: for a person; auto: text when stderr is a terminal, else json. */
  SENSEI_LOG_FORMAT: z.enum(['json', 'text', 'auto']).default('auto'),
  /** Keys the hash that stands for a learner id in logs; set a secret so hashes cannot be matched to Discord ids. */
  SENSEI_LOG_SALT: optionalText,
  /** Serve Prometheus metrics on this port (0: off). */
  METRICS_PORT: int(0, 0, 65535),
  /** The address the metrics endpoint listens on (0.0.0.0 in a container, so Prometheus can reach it). */
  METRICS_HOST: z.string().default('127.0.0.1'),
  SENSEI_INLINE_WORKER: flag(true),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and checks the environment once; a bad value fails with every problem named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<keyof Config, string>> = {}): Config {
  const source: Record<string, string | undefined> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = overrides[key as keyof Config] ?? env[key];
    source[key] = value === '' ? undefined : value;
  }
  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}=${JSON.stringify(source[String(i.path[0])])}: ${i.message}`);
    throw new ConfigError(`Some settings in the environment are not valid:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** The sandbox limits as the runner needs them, derived from the config in one place. */
export interface SandboxLimits {
  memoryBytes: number;
  pids: number;
  nanoCpus: number;
  cpuset?: string;
  cpuShares: number;
  nofile: number;
  tmpBytes: number;
  timeoutMs: number;
  outputBytes: number;
}

export function sandboxLimits(config: Config): SandboxLimits {
  return {
    memoryBytes: config.SANDBOX_MEMORY_MB * 1024 * 1024,
    pids: config.SANDBOX_PIDS,
    nanoCpus: Math.round(config.SANDBOX_CPUS * 1e9),
    ...(config.SANDBOX_CPUSET ? { cpuset: config.SANDBOX_CPUSET } : {}),
    cpuShares: config.SANDBOX_CPU_SHARES,
    nofile: config.SANDBOX_NOFILE,
    tmpBytes: config.SANDBOX_TMP_MB * 1024 * 1024,
    timeoutMs: config.SANDBOX_TIMEOUT_MS,
    outputBytes: config.SANDBOX_OUTPUT_BYTES,
  };
}

/** A learner's placement on an engine lasts as long as what lives there for them: their lab or their session, idle. */
export function placementTtlMs(config: Pick<Config, 'LAB_IDLE_TTL_MS' | 'SESSION_IDLE_TTL_MS'>): number {
  return Math.max(config.LAB_IDLE_TTL_MS, config.SESSION_IDLE_TTL_MS);
}
