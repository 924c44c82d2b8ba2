// `node bin/sensei.js …` as a child process, as an admin or a container runs it.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Everything written so far. */
  output(): Ran;
  exited: Promise<Ran>;
}

export function startSensei(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, ['bin/sensei.js', ...args], {
    env: { ...process.env, SENSEI_LOG: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const output = (code: number | null = null): Ran => ({ code, stdout, stderr });
  const exited = new Promise<Ran>((resolve) => child.on('close', (code) => resolve(output(code))));
  return { child, output: () => output(), exited };
}

export function sensei(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return startSensei(args, env).exited;
}
