import { randomBytes } from 'node:crypto';

/**
 * Every learner command runs under sandbox/sensei-run (installed in the image), in both modes. It
 * enforces the wall-clock limit in-band (an exec cannot be killed through the Engine API), kills what
 * the command left in the background, and reports the exit status and OOM kills behind a nonce.
 * The worker still enforces the limit from outside in case the wrapper itself is killed.
 */
export const WRAPPER_PATH = '/usr/local/bin/sensei-run';

export interface WrappedCommand {
  argv: string[];
  nonce: string;
}

export function wrapCommand(command: string, timeoutMs: number): WrappedCommand {
  const nonce = randomBytes(9).toString('hex');
  const seconds = (Math.max(timeoutMs, 100) / 1000).toFixed(2);
  return { argv: [WRAPPER_PATH, command, seconds, nonce], nonce };
}

export interface Trailer {
  exitCode: number;
  oomKills: number;
}

const RS = 0x1e;

/**
 * Finds the wrapper's trailer at the end of stderr and returns it with stderr minus the trailer.
 * Only the last line can be the trailer, and only with this run's nonce. A command could read its own
 * run's nonce (from ps) and fake its own result; that fools nobody but the learner, so it is accepted.
 */
export function splitTrailer(stderrTail: Buffer, nonce: string): { trailer?: Trailer; trailerBytes: number } {
  const marker = Buffer.from(`\x1eSENSEI:${nonce}:`);
  const at = stderrTail.lastIndexOf(marker);
  if (at < 0 || stderrTail[at] !== RS) return { trailerBytes: 0 };
  const line = stderrTail.subarray(at + marker.length).toString('latin1');
  const m = /^(\d{1,3}):(-?\d{1,9})\n$/.exec(line);
  if (!m) return { trailerBytes: 0 };
  return {
    trailer: { exitCode: Number(m[1]), oomKills: Math.max(0, Number(m[2])) },
    trailerBytes: stderrTail.length - at,
  };
}

/** GNU timeout exits 124 when it stopped the command, or 137 when it had to follow up with KILL. */
export function looksTimedOut(exitCode: number | null, elapsedMs: number, timeoutMs: number): boolean {
  return (exitCode === 124 || exitCode === 137) && elapsedMs >= timeoutMs - 50;
}
