import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { CommandQueue } from '../src/queue/producer.js';
import { startWorker } from '../src/worker/start.js';
import { createDocker } from '../src/sandbox/docker-client.js';
import { apiThroughput } from './engine-floors.js';

function procCpu(): Map<string, { comm: string; j: number }> {
  const out = new Map();
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = st.lastIndexOf(')');
      const comm = st.slice(st.indexOf('(') + 1, close);
      const f = st.slice(close + 2).split(' ');
      out.set(pid, { comm: pid === String(process.pid) ? 'bench-node' : comm, j: Number(f[11]) + Number(f[12]) });
    } catch {}
  }
  return out;
}
function diff(a: Map<string, { comm: string; j: number }>, b: Map<string, { comm: string; j: number }>, jobs: number) {
  const sums = new Map<string, number>();
  for (const [pid, { comm, j }] of b) {
    const u = j - (a.get(pid)?.j ?? 0);
    if (u > 0) sums.set(comm, (sums.get(comm) ?? 0) + u / 100);
  }
  return [...sums].sort((x, y) => y[1] - x[1]).slice(0, 9).map(([c, s]) => `${c} ${(s * 1000 / jobs).toFixed(0)}`).join(', ');
}
const C = Number(process.env.C ?? 8);
const JOBS = Number(process.env.JOBS ?? 48);
const config = loadConfig(process.env, { SENSEI_PREFIX: `bench-${randomBytes(3).toString('hex')}`, LEARNER_COOLDOWN_MS: '0', SENSEI_LOG: 'error', QUEUE_MAX_WAITING: '1000', POOL_SIZE: '2', WORKER_CONCURRENCY: String(C), GLOBAL_CONCURRENCY: String(C) });
const docker = createDocker(config);
for (let round = 0; round < Number(process.env.ROUNDS ?? 1); round++) {
  let p0 = procCpu();
  const raw = await apiThroughput(docker, config, C, JOBS);
  console.log(`raw ${raw.toFixed(1)} jobs/s; CPU ms per job: ${diff(p0, procCpu(), JOBS)}`);
  const worker = await startWorker(config, { log: silentLogger, endSessionsOnClose: true });
  const queue = await CommandQueue.create(config, silentLogger);
  await worker.sandbox.whenPoolFull();
  p0 = procCpu();
  let next = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: C }, async (_, lane) => { while (next < JOBS) { next++; await queue.submit(`lane-${lane}`, 'true', 'oneshot'); } }));
  const s = (performance.now() - t) / 1000;
  console.log(`pipeline ${(JOBS / s).toFixed(1)} jobs/s; CPU ms per job: ${diff(p0, procCpu(), JOBS)}`);
  await queue.close();
  await worker.close();
}
process.exit(0);
