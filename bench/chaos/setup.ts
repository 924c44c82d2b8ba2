// What every chaos scenario needs: an install of its own (a bench- prefix, so a crashed run's leftovers are
// cleaned by the test setup), sensei processes it may kill, and a watch on how its containers end.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.js';

export function chaosConfig(overrides: Partial<Record<keyof Config, string>> = {}): Config {
  return loadConfig(process.env, {
    SENSEI_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
    LEARNER_COOLDOWN_MS: '0',
    SENSEI_LOG: 'error',
    ...overrides,
  });
}

/** The settings of `config` as environment variables for a `sensei …` child process. */
export function envOf(config: Config, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(config)) if (value !== undefined && typeof value !== 'object') env[key] = String(value);
  return { ...env, SENSEI_INLINE_WORKER: config.SENSEI_INLINE_WORKER ? 'true' : 'false', ...extra };
}

export function senseiProcess(args: string[], config: Config, extra: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['bin/sensei.js', ...args], { env: envOf(config, extra), stdio: 'ignore' });
}

export function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | null | 'timeout'> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return Promise.race([new Promise<number | null>((r) => child.once('exit', (code) => r(code))), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs))]);
}

/**
 * Counts, per learner, the containers of this install that ran to the end on their own (exit 0): a learner
 * whose one command shows two such ends had it run twice.
 */
export async function watchCompletions(docker: Docker, prefix: string): Promise<{ completedBy(learner: string): number; close(): void }> {
  const stream = (await docker.getEvents({ filters: { label: [`sensei.app=${prefix}`], event: ['die'] } })) as unknown as Readable;
  const done = new Map<string, number>();
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      try {
        const event = JSON.parse(line) as { Actor?: { Attributes?: Record<string, string> } };
        const attrs = event.Actor?.Attributes ?? {};
        if (attrs.exitCode === '0' && attrs['sensei.kind'] === 'oneshot') {
          const learner = attrs['sensei.learner'] ?? '';
          done.set(learner, (done.get(learner) ?? 0) + 1);
        }
      } catch {
        // a partial line; the rest comes with the next chunk
      }
    }
  });
  stream.on('error', () => {});
  return { completedBy: (learner) => done.get(learner) ?? 0, close: () => stream.destroy() };
}

/** This install's containers, optionally of one kind. */
export async function containersOf(docker: Docker, prefix: string, kind?: string): Promise<Docker.ContainerInfo[]> {
  const label = [`sensei.app=${prefix}`, ...(kind ? [`sensei.kind=${kind}`] : [])];
  return docker.listContainers({ all: true, filters: { label } });
}

export async function removeAll(docker: Docker, prefix: string): Promise<void> {
  const all = await containersOf(docker, prefix);
  await Promise.allSettled(all.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
