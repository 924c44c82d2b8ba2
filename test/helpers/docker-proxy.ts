// A pass-through to the real Docker engine that a test can make slow: requests whose first line matches a
// pattern are held forever, as a stuck engine call would be. Everything else goes through untouched.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DockerProxy {
  socketPath: string;
  /** How many requests were held. */
  held(): number;
  close(): Promise<void>;
}

export async function stallingDockerProxy(stall: RegExp, upstreamPath = '/var/run/docker.sock'): Promise<DockerProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'sensei-proxy-'));
  const socketPath = join(dir, 'docker.sock');
  const sockets = new Set<Socket>();
  let held = 0;
  const server: Server = createServer((client) => {
    sockets.add(client);
    let upstream: Socket | undefined;
    let stalled = false;
    client.on('data', (chunk: Buffer) => {
      if (stalled) return;
      const firstLine = chunk.toString('latin1', 0, Math.min(chunk.length, 512)).split('\r\n')[0] ?? '';
      if (/^[A-Z]+ \//.test(firstLine) && stall.test(firstLine)) {
        stalled = true;
        held += 1;
        return;
      }
      if (!upstream) {
        upstream = connect(upstreamPath);
        sockets.add(upstream);
        upstream.on('data', (d) => client.write(d));
        upstream.on('end', () => client.end());
        upstream.on('error', () => client.destroy());
      }
      upstream.write(chunk);
    });
    client.on('error', () => upstream?.destroy());
    client.on('close', () => upstream?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    held: () => held,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
