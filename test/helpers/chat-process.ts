// `sensei chat` as a learner uses it, kept open: lines are typed one at a time and the test waits for what the
// tutor says, as a person at a terminal would.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChatProcess {
  child: ChildProcess;
  type(line: string): void;
  /** Resolves once stdout (since the test began) matches, with everything printed so far. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code, or 'timeout'. */
  exited(timeoutMs: number): Promise<number | null | 'timeout'>;
}

export function startChat(args: string[], env: Record<string, string>): ChatProcess {
  const child = spawn(process.execPath, ['bin/sensei.js', 'chat', ...args], {
    env: { ...process.env, SENSEI_LOG: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  let code: number | null | undefined;
  const done = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve((code = c))));
  return {
    child,
    type: (line) => child.stdin?.write(`${line}\n`),
    waitFor: async (pattern, timeoutMs = 60_000) => {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (pattern.test(out)) return out;
        if (code !== undefined) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`chat never printed ${pattern} (exit ${String(code)}); stdout:\n${out}\nstderr:\n${err}`);
    },
    stdout: () => out,
    stderr: () => err,
    exited: (timeoutMs) => Promise.race([done, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs))]),
  };
}
