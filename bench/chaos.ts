/**
 * `npm run chaos`: the fault and abuse scenarios of issue 12, run on this machine, with their figures written to
 * docs/RELIABILITY.md. `--smoke` runs each scenario small (for CI) and writes nothing; `--only NAME[,NAME]` runs
 * some. Redis and the Docker engine that fail are private to the run: the shared ones are never restarted.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { loadConfig } from '../src/config.js';
import { consoleKilled, engineRestarted, redisRestarted, workerKilled } from './chaos/faults.js';
import { fuzzChat } from './chaos/fuzz.js';
import { floodNeighbour, manyLearners, type FloodFigures } from './chaos/load.js';
import { tallyTable, type Tally } from './chaos/tally.js';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',')) : undefined;
const image = loadConfig().SANDBOX_IMAGE;

const SCENARIOS: { name: string; run: () => Promise<Tally | FloodFigures> }[] = [
  { name: 'worker', run: () => workerKilled(smoke) },
  { name: 'redis', run: () => redisRestarted(smoke) },
  { name: 'engine', run: () => engineRestarted(smoke, image) },
  { name: 'console', run: () => consoleKilled() },
  { name: 'load', run: () => manyLearners(smoke) },
  { name: 'fuzz', run: () => fuzzChat(smoke) },
  { name: 'flood', run: () => floodNeighbour(smoke, image) },
];

const RECOVERY_TARGET_MS = 30_000;

interface Verdict {
  target: string;
  measured: string;
  met: boolean;
}

function verdicts(tallies: Tally[], flood: FloodFigures | undefined): Verdict[] {
  const sum = (f: (t: Tally) => number) => tallies.reduce((n, t) => n + f(t), 0);
  const slowest = Math.max(0, ...tallies.map((t) => t.recoverMs ?? 0));
  const fuzz = tallies.find((t) => /random and hostile/.test(t.scenario));
  const out: Verdict[] = [
    { target: '0 lost commands', measured: String(sum((t) => t.lost)), met: sum((t) => t.lost) === 0 },
    { target: '0 duplicated commands', measured: String(sum((t) => t.duplicated)), met: sum((t) => t.duplicated) === 0 },
    { target: '0 answers that are not the command\'s own result', measured: String(sum((t) => (t === fuzz ? 0 : t.wrongAnswer))), met: sum((t) => (t === fuzz ? 0 : t.wrongAnswer)) === 0 },
    { target: '0 leaked containers within one reaper interval', measured: String(sum((t) => t.leaked)), met: sum((t) => t.leaked) === 0 },
    { target: '0 lost progress', measured: String(sum((t) => t.progressLost)), met: sum((t) => t.progressLost) === 0 },
    { target: `recovery within ${RECOVERY_TARGET_MS / 1000} s of the service being back`, measured: `${(slowest / 1000).toFixed(1)} s (slowest)`, met: slowest <= RECOVERY_TARGET_MS },
  ];
  if (fuzz) out.push({ target: '0 crashes in the fuzz run', measured: String(fuzz.wrongAnswer), met: fuzz.wrongAnswer === 0 });
  if (flood) {
    const ratio = flood.floodP50 / flood.quietP50;
    out.push({ target: "another learner's p50 within 1.5× of quiet during a one-learner flood", measured: `${ratio.toFixed(2)}× (${flood.quietP50} → ${flood.floodP50} ms)`, met: ratio <= 1.5 });
  }
  return out;
}

function report(tallies: Tally[], flood: FloodFigures | undefined, checks: Verdict[], tookS: number): string {
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  return `# Reliability

\`npm run chaos\` (bench/chaos.ts) runs each scenario of issue 12 on this machine and writes this file; \`npm run chaos -- --smoke\`
runs them small for CI and writes nothing. The Redis and Docker engine that fail are the scenario's own (a
\`redis-server\` on a free port with AOF, a second \`dockerd\` with its own socket, data root and exec root); the
machine's shared Redis and main engine are never restarted.

How to read the table: **accepted** commands were taken (not refused at the door: busy, cooldown, queue full);
each accepted command is **answered once** with its own real result, or answered with a **clear failure** (the
tutor's "not working right now" or "it was cut off"), or is a **wrong answer** (something that is not its result,
such as an engine's 137 taken as the learner's), or is **lost** (no answer within the bound). **Duplicated**:
its effect ran more than once (a learner's one-shot container ran to exit 0 twice). **Leaked containers**: this
install's containers left one reaper interval after the scenario (lab containers, kept by design, not counted).
**Recovery**: from the service being back to the first command answered for real.

## ${when} UTC (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB; run took ${Math.round(tookS)} s)

${tallyTable(tallies)}

${tallies.map((t) => `- **${t.scenario}**: ${t.notes.join('; ') || 'no notes'}`).join('\n')}

| target | measured | verdict |
|---|---|---|
${checks.map((c) => `| ${c.target} | ${c.measured} | ${c.met ? 'met' : '**not met**'} |`).join('\n')}
${flood?.engineCpu ? `
## What a log flood costs the engine

Three containers printing \`yes\` on the scenario's own engine, its dockerd, containerd and shims measured from /proc
over 5 s: **${flood.engineCpu.raw}%** of a core as plain \`docker run -d … yes\` (local log driver), **${flood.engineCpu.lab}%**
as lab containers. A detached lab container caps its own output: its command writes into two FIFOs in a tmpfs of its
own, and a reader per stream passes the first 64 KiB to docker (so \`docker logs\` works, also after the container
stopped) and drains the rest inside the container, on its own CPU budget. The \`none\` log driver alone does not help:
dockerd and the shim still copy every byte.
` : ''}`;
}

async function main(): Promise<number> {
  const started = Date.now();
  const tallies: Tally[] = [];
  let flood: FloodFigures | undefined;
  for (const scenario of SCENARIOS) {
    if (only && !only.has(scenario.name)) continue;
    process.stderr.write(`[chaos] ${scenario.name}…\n`);
    const t = Date.now();
    try {
      const out = await scenario.run();
      const tally = 'tally' in out ? out.tally : out;
      if ('tally' in out) flood = out;
      tallies.push(tally);
      process.stderr.write(`[chaos] ${scenario.name} done in ${Math.round((Date.now() - t) / 1000)} s: ${tally.notes.join('; ')}\n`);
    } catch (err) {
      process.stderr.write(`[chaos] ${scenario.name} could not run: ${(err as Error).stack ?? String(err)}\n`);
      return 2;
    }
  }
  const checks = verdicts(tallies, flood);
  const text = report(tallies, flood, checks, (Date.now() - started) / 1000);
  process.stdout.write(`${tallyTable(tallies)}\n\n${checks.map((c) => `${c.met ? 'met     ' : 'NOT MET '} ${c.target}: ${c.measured}`).join('\n')}\n`);
  if (!smoke && !only) writeFileSync(new URL('../docs/RELIABILITY.md', import.meta.url), text);
  // The smoke run holds the hard targets; timing targets depend on the machine and are reported, not enforced.
  const hard = checks.filter((c) => /lost|duplicated|leaked|crashes|not the command/.test(c.target));
  return hard.every((c) => c.met) ? 0 : 1;
}

process.exit(await main());
