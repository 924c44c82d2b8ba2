// A small leveled logger writing to stderr (stdout stays free for command output and --json). Lines are JSON
// (one object per line, for log shippers) or text for a person at a terminal; learner ids never leave as is.
import { createHmac } from 'node:crypto';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';
export type LogFormat = 'json' | 'text';
/** Structured fields of a line; `learner` and `learnerId` are hashed before they are written. */
export type LogFields = Record<string, unknown>;

const order: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

export interface Logger {
  /** `extra`: an Error, fields to add to the line, or any other value (written as `detail`). */
  error(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  info(msg: string, extra?: unknown): void;
  debug(msg: string, extra?: unknown): void;
  /** The same logger with fields added to every line (a worker's engine, say). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  scope?: string;
  /** Default json. */
  format?: LogFormat;
  /** Keys the learner-id hash, so ids in logs cannot be matched against a list of Discord ids. */
  salt?: string;
  fields?: LogFields;
  /** Where a finished line goes (tests); default stderr. */
  write?: (line: string) => void;
}

const LEARNER_FIELDS = new Set(['learner', 'learnerId']);
/** A Discord learner id inside free text (`discord-<snowflake>`). */
const LEARNER_IN_TEXT = /\bdiscord-\d{5,}\b/g;
const DEFAULT_SALT = 'container-sensei';

/** A stable, short, salted hash of a learner id: the same learner reads the same in every line and process. */
export function hashLearnerId(learnerId: string, salt = DEFAULT_SALT): string {
  return `l-${createHmac('sha256', salt).update(learnerId).digest('hex').slice(0, 12)}`;
}

export function createLogger(level: LogLevel | LoggerOptions, scope = 'sensei'): Logger {
  const opts: LoggerOptions = typeof level === 'string' ? { level, scope } : level;
  const salt = opts.salt ?? DEFAULT_SALT;
  const write = opts.write ?? ((line: string) => void process.stderr.write(line));
  const format = opts.format ?? 'json';
  const base = opts.fields ?? {};
  const hideLearners = (text: string) => text.replace(LEARNER_IN_TEXT, (id) => hashLearnerId(id, salt));

  const emit = (at: Exclude<LogLevel, 'silent'>) => (msg: string, extra?: unknown) => {
    if (order[at] > order[opts.level]) return;
    const fields = hashFields({ ...base, ...extraFields(extra) }, salt, hideLearners);
    const text = hideLearners(msg);
    if (format === 'json') {
      write(`${JSON.stringify({ time: new Date().toISOString(), level: at, scope: opts.scope ?? scope, msg: text, ...fields })}\n`);
    } else {
      const tail = Object.keys(fields).length === 0 ? '' : ` ${Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')}`;
      write(`[${opts.scope ?? scope}] ${at}: ${text}${tail}\n`);
    }
  };
  return {
    error: emit('error'),
    warn: emit('warn'),
    info: emit('info'),
    debug: emit('debug'),
    child: (fields) => createLogger({ ...opts, scope: opts.scope ?? scope, fields: { ...base, ...fields } }),
  };
}

function extraFields(extra: unknown): LogFields {
  if (extra === undefined) return {};
  if (extra instanceof Error) return { err: extra.message, ...(extra.stack ? { stack: extra.stack } : {}) };
  if (typeof extra === 'object' && extra !== null && !Array.isArray(extra)) return extra as LogFields;
  return { detail: extra };
}

function hashFields(fields: LogFields, salt: string, hideLearners: (text: string) => string): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (LEARNER_FIELDS.has(key) && typeof value === 'string') out[key] = hashLearnerId(value, salt);
    else out[key] = typeof value === 'string' ? hideLearners(value) : value;
  }
  return out;
}

export const silentLogger: Logger = createLogger('silent');

/** The logger a process uses, from its settings: json lines, or text when SENSEI_LOG_FORMAT=auto and stderr is a terminal. */
export function configuredLogger(
  config: { SENSEI_LOG_FORMAT: LogFormat | 'auto'; SENSEI_LOG_SALT?: string | undefined; SENSEI_PREFIX: string },
  level: LogLevel,
): Logger {
  const format = config.SENSEI_LOG_FORMAT === 'auto' ? (process.stderr.isTTY ? 'text' : 'json') : config.SENSEI_LOG_FORMAT;
  return createLogger({ level, format, salt: logSalt(config) });
}

/** The salt of this install's learner-id hashes, so other reports (doctor) name learners as its logs do. */
export function logSalt(config: { SENSEI_LOG_SALT?: string | undefined; SENSEI_PREFIX: string }): string {
  return config.SENSEI_LOG_SALT ?? `${DEFAULT_SALT}:${config.SENSEI_PREFIX}`;
}
