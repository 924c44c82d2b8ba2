// A Docker engine of a test's own, beside the machine's main one, that the test may restart: its own socket,
// data root, exec root and pid file, a bridge of its own and no iptables. The main engine is never touched (with
// --bridge=none, dockerd deletes the main engine's docker0 as it starts: docs/DEPLOY.md). The sandbox
// image is copied in from the main engine (there is no registry to pull from).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';

export interface SecondEngine {
  /** DOCKER_HOST for this engine: unix:///…/d.sock */
  host: string;
  docker: Docker;
  /** The dockerd process id (for measuring what the engine itself costs). */
  pid(): number;
  /** Stops the engine as a restart or crash would (SIGTERM: it kills its containers first), then starts it again. Resolves to ms down. */
  restart(): Promise<number>;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Whether this machine can run a second engine (dockerd installed, and we are root). */
export function canRunSecondEngine(): boolean {
  return process.getuid?.() === 0 && ['/usr/bin/dockerd', '/usr/sbin/dockerd', '/usr/local/bin/dockerd'].some((p) => existsSync(p));
}

export async function secondEngine(image: string): Promise<SecondEngine> {
  // Short paths: containerd's sockets live under the exec root and unix socket paths are limited to 108 bytes.
  const root = mkdtempSync(join(tmpdir(), 'sd2-'));
  const socket = join(root, 'd.sock');
  const host = `unix://${socket}`;
  const docker = new Docker({ socketPath: socket });
  let daemon: ChildProcess | undefined;
  const bridge = ownBridge(root);

  const start = async () => {
    daemon = spawn(
      'dockerd',
      ['--host', host, '--data-root', join(root, 'data'), '--exec-root', join(root, 'x'), '--pidfile', join(root, 'd.pid'), `--bridge=${bridge.name}`, '--iptables=false', '--ip-masq=false'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 300; i++) {
      if (await docker.ping().then(() => true, () => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the second dockerd at ${socket} did not come up`);
  };
  const stop = async () => {
    const running = daemon;
    daemon = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };

  await start();
  if (!(await docker.getImage(image).inspect().then(() => true, () => false))) await copyImage(image, host);
  return {
    host,
    docker,
    pid: () => daemon?.pid ?? 0,
    start,
    stop,
    restart: async () => {
      const down = Date.now();
      await stop();
      await start();
      return Date.now() - down;
    },
    close: async () => {
      await stop();
      bridge.remove();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A bridge for the engine alone (a name and a /24 from its directory), made with iproute2 and removed on close. */
function ownBridge(root: string): { name: string; remove: () => void } {
  const tag = root.slice(-6).replace(/[^A-Za-z0-9]/g, 'x');
  const name = `sd2-${tag}`;
  const octet = 20 + (parseInt(Buffer.from(tag).toString('hex').slice(-4), 16) % 200);
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'ignore' });
  try {
    ip('link', 'delete', name); // left by a run that was killed
  } catch {
    // none: the usual case
  }
  ip('link', 'add', 'name', name, 'type', 'bridge');
  ip('addr', 'add', `10.232.${octet}.1/24`, 'dev', name);
  ip('link', 'set', name, 'up');
  return { name, remove: () => ip('link', 'delete', name) };
}

/** `docker save IMAGE | docker -H HOST load`. */
async function copyImage(image: string, host: string): Promise<void> {
  const save = spawn('docker', ['save', image], { stdio: ['ignore', 'pipe', 'inherit'] });
  const load = spawn('docker', ['-H', host, 'load', '-q'], { stdio: ['pipe', 'ignore', 'inherit'] });
  save.stdout.pipe(load.stdin);
  const [saved, loaded] = await Promise.all([
    new Promise<number | null>((r) => save.on('exit', r)),
    new Promise<number | null>((r) => load.on('exit', r)),
  ]);
  if (saved !== 0 || loaded !== 0) throw new Error(`could not copy ${image} into the second engine (save ${saved}, load ${loaded})`);
}
