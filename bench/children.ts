// Forks bench/discord-child.ts as the bot side or the worker side, in its own process as docker-compose runs
// them, and talks to it over IPC (ready, stats, memory, close). Used by bench/discord.ts and bench/memory.ts.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { Config } from '../src/config.js';
import { createDocker } from '../src/sandbox/docker-client.js';
import type { FromChild, ToChild } from './discord-child.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The node flags the Dockerfile, scripts/start.sh and bin/sensei.js's shebang give the bot. */
const DEPLOYED_BOT_NODE_ARGS = ['--max-semi-space-size=2', '--optimize-for-size'];

/** A child process running the bot side or the worker side (bench/discord-child.ts). */
export interface Child {
  proc: ChildProcess;
  request<T extends FromChild['type']>(message: ToChild, answer: T): Promise<Extract<FromChild, { type: T }>>;
  /** Asks the child to close and waits until it has exited. */
  close(): Promise<void>;
}

/**
 * The child's entry as the deployed processes run (bin/sensei.js): transpiled JavaScript in dist/, with no tsx
 * loader (about 35 MB of the bot's RSS). The two bench modules go to dist/bench/, their `../src/` imports
 * pointed at dist/. BENCH_TSX=1 runs the TypeScript through tsx instead.
 */
async function childEntry(): Promise<{ script: string; loader: string[] }> {
  if (process.env.BENCH_TSX === '1') return { script: fileURLToPath(new URL('./discord-child.ts', import.meta.url)), loader: ['--import', 'tsx'] };
  // @ts-expect-error: a plain JavaScript module of bin/
  const { compiledModule } = (await import('../bin/compiled-ask.js')) as { compiledModule: (path: string) => Promise<string | undefined> };
  if (!(await compiledModule('cli.js'))) throw new Error('could not transpile src/ into dist/ (run with BENCH_TSX=1)');
  const { transform } = await import('esbuild');
  const out = join(ROOT, 'dist', 'bench');
  await mkdir(out, { recursive: true });
  for (const name of ['discord-child', 'discord-side']) {
    const code = (await readFile(join(ROOT, 'bench', `${name}.ts`), 'utf8')).replaceAll("from '../src/", "from '../");
    const js = await transform(code, { loader: 'ts', format: 'esm', target: 'node20', tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } } });
    await writeFile(join(out, `${name}.js`), js.code);
  }
  return { script: join(out, 'discord-child.js'), loader: [] };
}

export async function startChild(role: 'bot' | 'worker', config: Config, extraNodeArgs: string[] = []): Promise<Child> {
  const entry = await childEntry();
  const proc = fork(entry.script, [role], {
    cwd: ROOT,
    // BENCH_DISCORD_BOT_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, to profile the bot process.
    // The bot with the node flags it is deployed with (Dockerfile, scripts/start.sh).
    execArgv: [...entry.loader, ...(role === 'bot' ? DEPLOYED_BOT_NODE_ARGS : []), ...extraNodeArgs, ...(role === 'bot' ? (process.env.BENCH_DISCORD_BOT_NODE_ARGS ?? '').split(' ').filter(Boolean) : [])],
    env: { ...process.env, BENCH_DISCORD_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // BENCH_DISCORD_WORKER_CPUS (a taskset list, e.g. "1"): run the worker on the engine's cores, not the bot's.
  const workerCpus = process.env.BENCH_DISCORD_WORKER_CPUS;
  if (role === 'worker' && workerCpus && proc.pid) spawnSync('taskset', ['-apc', workerCpus, String(proc.pid)], { stdio: 'ignore' });
  const next = <T extends FromChild['type']>(type: T) =>
    new Promise<Extract<FromChild, { type: T }>>((resolve, reject) => {
      const onMessage = (message: FromChild) => {
        if (message.type === 'error') reject(new Error(`${role} process: ${message.message}`));
        else if (message.type === type) resolve(message as Extract<FromChild, { type: T }>);
        else return;
        proc.off('message', onMessage);
        proc.off('exit', onExit);
      };
      const onExit = (code: number | null) => reject(new Error(`${role} process exited (${code}) before ${type}`));
      proc.on('message', onMessage);
      proc.once('exit', onExit);
    });
  await next('ready');
  const request = async <T extends FromChild['type']>(message: ToChild, answer: T) => {
    const reply = next(answer);
    proc.send(message);
    return reply;
  };
  return {
    proc,
    request,
    close: async () => {
      if (proc.exitCode !== null) return;
      const exited = once(proc, 'exit');
      await request({ type: 'close' }, 'closed');
      await exited;
    },
  };
}

/** Deletes a run's Redis keys and removes its containers; returns how many containers were left over. */
export async function removeLeftovers(config: Config): Promise<number> {
  const redis = new Redis(config.REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.SENSEI_PREFIX}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
  const docker = createDocker(config);
  const left = await docker.listContainers({ all: true, filters: { label: [`sensei.app=${config.SENSEI_PREFIX}`] } });
  await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  return left.length;
}
