import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import http from 'node:http';
import Docker from 'dockerode';
import { loadConfig, sandboxLimits } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { CommandQueue } from '../src/queue/producer.js';
import { startWorker } from '../src/worker/start.js';
import { createDocker } from '../src/sandbox/docker-client.js';
import { hardenedContainerSpec, LEARNER_USER } from '../src/sandbox/spec.js';
import { runInNewContainer } from '../src/sandbox/runner.js';
import { wrapCommand } from '../src/sandbox/wrapper.js';
const C = Number(process.env.C ?? 8), JOBS = Number(process.env.JOBS ?? 32);
const config = loadConfig(process.env, { SENSEI_PREFIX: `bench-${randomBytes(3).toString('hex')}`, LEARNER_COOLDOWN_MS: '0', SENSEI_LOG: 'error', QUEUE_MAX_WAITING: '1000', POOL_SIZE: '2', WORKER_CONCURRENCY: String(C), GLOBAL_CONCURRENCY: String(C) });
const docker = createDocker(config);
const kaDocker = new Docker({ socketPath: config.DOCKER_SOCKET, agent: new http.Agent({ keepAlive: true, maxSockets: 64 }) } as Docker.DockerOptions);
const enginePids = execSync('pidof dockerd containerd').toString().trim().split(/\s+/);
const engineCpu = () => enginePids.reduce((sum, pid) => { const st = readFileSync(`/proc/${pid}/stat`, 'utf8'); const f = st.slice(st.lastIndexOf(')') + 2).split(' '); return sum + Number(f[11]) + Number(f[12]); }, 0) * 10;
const selfCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const spec = (cmd: string[]) => hardenedContainerSpec({ image: config.SANDBOX_IMAGE, limits: sandboxLimits(config), cmd, user: LEARNER_USER, labels: { app: config.SENSEI_PREFIX, workerId: 'b', learnerId: '', kind: 'oneshot', expiresAt: Date.now() + 600000 } });
async function lanes(one: () => Promise<void>) { let next = 0; const t = performance.now(); await Promise.all(Array.from({ length: C }, async () => { while (next < JOBS) { next++; await one(); } })); return JOBS / ((performance.now() - t) / 1000); }
const variants: Record<string, () => Promise<number>> = {
  rawka: () => lanes(async () => { const c = await kaDocker.createContainer(spec(['true'])); await c.start(); await c.wait({ condition: 'not-running' }); await c.remove({ force: true }); }),
  raw: () => lanes(async () => { const c = await docker.createContainer(spec(['true'])); await c.start(); await c.wait({ condition: 'not-running' }); await c.remove({ force: true }); }),
  attach: () => lanes(async () => { const c = await docker.createContainer(spec(['true'])); const s = (await c.attach({ stream: true, stdout: true, stderr: true })) as unknown as Duplex; const ended = new Promise((r) => { s.on('data', () => {}); s.on('end', r); s.on('close', r); }); await c.start(); await ended; await c.wait({ condition: 'not-running' }); await c.remove({ force: true }); }),
  wrapped: () => lanes(async () => { const c = await docker.createContainer(spec(wrapCommand('true', 10000).argv)); const s = (await c.attach({ stream: true, stdout: true, stderr: true })) as unknown as Duplex; const ended = new Promise((r) => { s.on('data', () => {}); s.on('end', r); s.on('close', r); }); await c.start(); await ended; await c.wait({ condition: 'not-running' }); await c.remove({ force: true }); }),
  auto: () => lanes(async () => { const sp = spec(wrapCommand('true', 10000).argv); sp.HostConfig!.AutoRemove = true; const c = await docker.createContainer(sp); const s = (await c.attach({ stream: true, stdout: true, stderr: true })) as unknown as Duplex; const ended = new Promise((r) => { s.on('data', () => {}); s.on('end', r); s.on('close', r); }); await c.start(); await ended; }),
  nowait: () => lanes(async () => { const c = await docker.createContainer(spec(wrapCommand('true', 10000).argv)); const s = (await c.attach({ stream: true, stdout: true, stderr: true })) as unknown as Duplex; const ended = new Promise((r) => { s.on('data', () => {}); s.on('end', r); s.on('close', r); }); await c.start(); await ended; await c.remove({ force: true }); }),
  runner: () => { const ctx = { docker, image: config.SANDBOX_IMAGE, limits: sandboxLimits(config), app: config.SENSEI_PREFIX, workerId: 'b', seccomp: {}, log: silentLogger }; return lanes(async () => { await runInNewContainer(ctx, 'x', 'true'); }); },
  pipeline: async () => { const worker = await startWorker(config, { log: silentLogger, endSessionsOnClose: true }); const queue = await CommandQueue.create(config, silentLogger); await worker.sandbox.whenPoolFull(); let lane = 0; const r = await lanes(async () => { await queue.submit(`l${lane++}`, 'true', 'oneshot'); }); await queue.close(); await worker.close(); return r; },
};
const names = (process.env.V ?? 'raw,attach,wrapped,runner,pipeline').split(',');
const res: Record<string, number[]> = {};
const cpu: Record<string, number[]> = {};
for (let r = 0; r < Number(process.env.ROUNDS ?? 3); r++) for (const n of names) { const e0 = engineCpu(), s0 = selfCpu(); (res[n] ??= []).push(await variants[n]!()); (cpu[n] ??= []).push((engineCpu() - e0) / JOBS, (selfCpu() - s0) / JOBS); }
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const n of names) console.log(n.padEnd(9), res[n]!.map((x) => x.toFixed(1)).join(' '), 'median', med(res[n]!).toFixed(1), `${((med(res[n]!) / med(res.raw ?? res[n]!)) * 100).toFixed(0)}%`, 'engine ms/job', med(cpu[n]!.filter((_, i) => i % 2 === 0)).toFixed(0), 'node ms/job', med(cpu[n]!.filter((_, i) => i % 2 === 1)).toFixed(1));
process.exit(0);
