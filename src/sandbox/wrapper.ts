import { randomBytes } from 'node:crypto';

/**
 * Every learner command runs under sandbox/sensei-run (installed in the image), in both modes: sourced by one
 * /bin/sh, so the line sees `$0 = sh` and no arguments as under `sh -c`, and runs in that shell (no second shell,
 * subshell or `timeout`). Its EXIT trap kills what the command left in the background and reports the exit status
 * and OOM kills behind a nonce; a line that `exec`s or replaces the trap leaves none (the engine's exit code is used).
 * The wall-clock limit is the worker's, from outside (src/sandbox/runner.ts), which knows when it fired.
 */
export const WRAPPER_PATH = '/usr/local/bin/sensei-run';

export interface WrappedCommand {
  argv: string[];
  nonce: string;
}

export function wrapCommand(command: string): WrappedCommand {
  const nonce = randomBytes(9).toString('hex');
  return { argv: ['/bin/sh', '-c', `. ${WRAPPER_PATH}`, 'sh', command, nonce], nonce };
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
