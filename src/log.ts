/** A small leveled logger writing to stderr, so stdout stays free for command output and --json. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';
const order: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

export interface Logger {
  error(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  info(msg: string, extra?: unknown): void;
  debug(msg: string, extra?: unknown): void;
}

export function createLogger(level: LogLevel, scope = 'sensei'): Logger {
  const emit = (at: Exclude<LogLevel, 'silent'>) => (msg: string, extra?: unknown) => {
    if (order[at] > order[level]) return;
    const tail = extra === undefined ? '' : ` ${extra instanceof Error ? extra.message : JSON.stringify(extra)}`;
    process.stderr.write(`[${scope}] ${at}: ${msg}${tail}\n`);
  };
  return { error: emit('error'), warn: emit('warn'), info: emit('info'), debug: emit('debug') };
}

export const silentLogger: Logger = createLogger('silent');
