// `node bin/sensei.js …` as a child process, as an admin or a container runs it.
import { spawn, type ChildProcess } from 'node:child_process'; // stdout and stderr are always piped

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  /** Everything written so far. */
  output(): Ran;
  exited: Promise<Ran>;
}

/** `input`: what is typed on its stdin (then closed); without it, stdin is closed at once. */
export function startSensei(args: string[], env: Record<string, string> = {}, input?: string): Running {
  const child = spawn(process.execPath, ['bin/sensei.js', ...args], {
    env: { ...process.env, SENSEI_LOG: 'error', ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  child.stdin?.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const output = (code: number | null = null): Ran => ({ code, stdout, stderr });
  const exited = new Promise<Ran>((resolve) => child.on('close', (code) => resolve(output(code))));
  return { child, output: () => output(), exited };
}

export function sensei(args: string[], env: Record<string, string> = {}, input?: string): Promise<Ran> {
  return startSensei(args, env, input).exited;
}
