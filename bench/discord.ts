/**
 * The Discord latency target: "interactions are deferred within 50 ms (p99) of arriving, with 100 learners active".
 *
 * The real bot (discord.js, router, tutor app) runs against the fake Discord (test/fake-discord) with real Redis,
 * a real worker and real sandboxes. As in docker-compose, the bot and the worker are separate processes (children
 * of this one); this process plays Discord. BENCH_DISCORD_INPROCESS=1 runs all of it in this one process instead,
 * as the end-to-end tests do.
 *
 * Every learner opens a lesson, then (in a shuffled order, with a short think time between) runs `/run command:echo
 * hi`, asks /hint, looks at /progress and presses a hint button. Latency of one interaction: from the moment the
 * fake has handed INTERACTION_CREATE to the gateway socket to the moment it records the defer callback (POST
 * /interactions/:id/:token/callback, type 5 or 6), both timed in this process.
 *
 *   npx tsx bench/discord.ts
 *   BENCH_DISCORD_LEARNERS=100 BENCH_DISCORD_SPREAD_MS=3000 BENCH_DISCORD_THINK_MS=200-800 npx tsx bench/discord.ts
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { loadConfig, type Config } from '../src/config.js';
import { customIdForChoice } from '../src/discord/custom-id.js';
import { startFakeDiscord, type FakeDiscord, type FakeInteractionOptions, type RecordedCall } from '../test/fake-discord/fake-discord.js';
import { removeLeftovers, startChild } from './children.js';
import { composeCpuShares, weighProcesses, type Weighing } from './cpu-weight.js';
import { nowMs, startBotSide, startWorkerSide, watchLoop, type BotMarks, type BotSideStats, type LoopDelay } from './discord-side.js';

const LEARNERS = Number(process.env.BENCH_DISCORD_LEARNERS ?? 100);
/** Learners begin within this window, so all of them are active at once. */
const SPREAD_MS = Number(process.env.BENCH_DISCORD_SPREAD_MS ?? 3000);
const [THINK_MIN, THINK_MAX] = (process.env.BENCH_DISCORD_THINK_MS ?? '200-800').split('-').map(Number) as [number, number];
/** How long to wait, after the last interaction, for every reply (and every /run) to be delivered. */
const SETTLE_MS = Number(process.env.BENCH_DISCORD_SETTLE_MS ?? 90_000);
const IN_PROCESS = process.env.BENCH_DISCORD_INPROCESS === '1';
/** BENCH_DISCORD_WORKER=0, for diagnosis: no worker, so /run jobs only wait in the queue (and no sandbox starts). */
const WITH_WORKER = process.env.BENCH_DISCORD_WORKER !== '0';
const SEED = Number(process.env.BENCH_DISCORD_SEED ?? 1);
/** Which interactions follow /lesson start (for diagnosis, e.g. without `run` no sandbox is started). */
const KINDS = (process.env.BENCH_DISCORD_KINDS ?? 'run,hint,progress,button').split(',') as Kind[];
const TARGET_MS = 50;
const LESSON = 'container-is-a-process';
const STOP_PATH = '/bench-discord-stop';

type Kind = 'lesson start' | 'run' | 'hint' | 'progress' | 'button';

interface Sample {
  kind: Kind;
  id: string;
  token: string;
  userId: string;
  dispatchedAt: number;
  deferredAt?: number;
  callbackStatus?: number;
  callbackType?: number;
  doneAt?: number;
  onDeferred?: () => void;
}

/** CPU jiffies (user + system) of every process on the machine, by pid, with its command name. */
function processCpu(): Map<string, { comm: string; jiffies: number }> {
  const out = new Map<string, { comm: string; jiffies: number }>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      out.set(pid, { comm, jiffies: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** Who used the CPU between two snapshots, by command name (node processes told apart by role), in core-seconds. */
function cpuByCommand(before: Map<string, { comm: string; jiffies: number }>, after: Map<string, { comm: string; jiffies: number }>, roles: Map<string, string>): [string, number][] {
  const hz = 100;
  const sums = new Map<string, number>();
  for (const [pid, { comm, jiffies }] of after) {
    const used = jiffies - (before.get(pid)?.jiffies ?? 0);
    if (used <= 0) continue;
    const name = roles.get(pid) ?? comm;
    sums.set(name, (sums.get(name) ?? 0) + used / hz);
  }
  return [...sums].sort((a, b) => b[1] - a[1]);
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
function machineCpu(): { busy: number; total: number; user: number; system: number; irq: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const f = (k: number) => fields[k] ?? 0;
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - f(3) - f(4), total, user: f(0) + f(1), system: f(2), irq: f(5) + f(6) };
}

// A small seeded generator, so two runs send the same schedule.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

const fmt = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '—');

function interactionFor(kind: Kind, userId: string): FakeInteractionOptions {
  switch (kind) {
    case 'lesson start':
      return { kind: 'command', name: 'lesson', userId, options: [{ type: 1, name: 'start', options: [{ type: 3, name: 'id', value: LESSON }] }] };
    case 'run':
      return { kind: 'command', name: 'run', userId, options: [{ type: 3, name: 'command', value: 'echo hi' }] };
    case 'hint':
      return { kind: 'command', name: 'hint', userId };
    case 'progress':
      return { kind: 'command', name: 'progress', userId };
    case 'button':
      return { kind: 'button', userId, customId: customIdForChoice(userId, { type: 'hint' }) };
  }
}

function contentOf(call: RecordedCall): string {
  const body = call.body as { content?: unknown } | undefined;
  return typeof body?.content === 'string' ? body.content : '';
}

interface Sides {
  /** Process ids of this run's own processes, by role. */
  roles: Map<string, string>;
  /** The CPU weights given to the processes, as docker-compose.yml gives its services. */
  weights: Weighing;
  stats(): Promise<BotSideStats>;
  closeBot(): Promise<void>;
  closeWorker(): Promise<void>;
}

async function startSides(config: Config): Promise<Sides> {
  if (IN_PROCESS) {
    const worker = WITH_WORKER ? await startWorkerSide(config) : { close: async () => {} };
    const bot = await startBotSide(config);
    const roles = new Map([[String(process.pid), 'node: bench + fake Discord + bot + worker']]);
    const weights: Weighing = { describe: ['one process: no weights'], undo: () => {} };
    return { roles, weights, stats: async () => bot.stats(), closeBot: () => bot.close(), closeWorker: () => worker.close() };
  }
  const worker = WITH_WORKER ? await startChild('worker', config) : undefined;
  const bot = await startChild('bot', config);
  // As compose runs them (bench/cpu-weight.ts); BENCH_DISCORD_WEIGHTS=0 leaves every process at the default weight.
  const weights: Weighing =
    process.env.BENCH_DISCORD_WEIGHTS === '0'
      ? { describe: ['BENCH_DISCORD_WEIGHTS=0: every process at the default weight'], undo: () => {} }
      : weighProcesses(config.SENSEI_PREFIX, [
          { role: 'bot', pid: bot.proc.pid!, shares: composeCpuShares('bot') },
          ...(worker ? [{ role: 'worker', pid: worker.proc.pid!, shares: composeCpuShares('worker') }] : []),
          { role: 'fake-discord', pid: process.pid, shares: composeCpuShares('bot') },
        ]);
  const roles = new Map([
    [String(bot.proc.pid), 'node: bot'],
    ...(worker ? [[String(worker.proc.pid), 'node: worker'] as [string, string]] : []),
  ]);
  return {
    roles,
    weights,
    stats: async () => (await bot.request({ type: 'stats' }, 'stats')).stats,
    closeBot: () => bot.close(),
    closeWorker: async () => worker?.close(),
  };
}

async function main(): Promise<void> {
  const base = loadConfig(process.env, {
    SENSEI_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
    LEARNER_COOLDOWN_MS: '0',
    SENSEI_LOG: 'error',
    SENSEI_INLINE_WORKER: 'false',
    QUEUE_MAX_WAITING: '1000',
    SANDBOX_TIMEOUT_MS: '5000',
    REAP_INTERVAL_MS: '60000',
  });
  const fake: FakeDiscord = await startFakeDiscord({
    // The bot asks only for the Guilds intent (no Message Content), so Discord would not send it MESSAGE_CREATE/UPDATE
    // for its own replies; the fake ignores intents, so turn its echo off (BENCH_DISCORD_ECHO=1 keeps it).
    echoBotMessages: process.env.BENCH_DISCORD_ECHO === '1',
    learners: Array.from({ length: LEARNERS }, (_, k) => ({ username: `learner${k}` })),
  });
  const config: Config = { ...base, DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase, DISCORD_APP_ID: fake.appId };

  // Every REST call passes through this predicate as the fake records it: the defer callbacks and the replies.
  const byId = new Map<string, Sample>();
  const byToken = new Map<string, Sample>();
  const callbackPath = /^\/interactions\/(\d+)\/[^/]+\/callback$/;
  const originalSuffix = '/messages/@original';
  const tap = fake.waitForCall((call) => {
    const at = nowMs();
    if (call.path === STOP_PATH) return true;
    const m = callbackPath.exec(call.path);
    if (m) {
      const sample = byId.get(m[1]!);
      if (sample && sample.deferredAt === undefined) {
        sample.deferredAt = at;
        sample.callbackStatus = call.status;
        sample.callbackType = (call.body as { type?: number } | undefined)?.type;
        sample.onDeferred?.();
      }
      return false;
    }
    if (call.method === 'PATCH' && call.path.endsWith(originalSuffix)) {
      const token = call.path.slice(`/webhooks/${fake.appId}/`.length, -originalSuffix.length);
      const sample = byToken.get(token);
      if (sample && sample.doneAt === undefined && (sample.kind !== 'run' || contentOf(call).includes('```console'))) sample.doneAt = at;
    }
    return false;
  }, 3_600_000);

  let sides: Sides | undefined;
  const samples: Sample[] = [];
  let stats: BotSideStats | undefined;
  let removed = 0;
  const started = nowMs();
  try {
    sides = await startSides(config);
    const rand = random(SEED);
    const kinds: Kind[] = KINDS;
    const scripts = fake.learnerIds.map((userId) => {
      const rest = [...kinds];
      for (let k = rest.length - 1; k > 0; k--) {
        const j = Math.floor(rand() * (k + 1));
        [rest[k], rest[j]] = [rest[j]!, rest[k]!];
      }
      const think = rest.map(() => THINK_MIN + rand() * (THINK_MAX - THINK_MIN));
      return { userId, delay: rand() * SPREAD_MS, kinds: ['lesson start' as Kind, ...rest], think };
    });

    const fire = async (kind: Kind, userId: string): Promise<void> => {
      const { id, token } = fake.interaction(interactionFor(kind, userId));
      const sample: Sample = { kind, id, token, userId, dispatchedAt: nowMs() };
      samples.push(sample);
      byId.set(id, sample);
      byToken.set(token, sample);
      // The learner waits for the "thinking…" state before acting again (Discord's 3 s ack window, plus margin).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000);
        sample.onDeferred = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    };
    const loop = watchLoop();
    const cpu0 = machineCpu();
    const procs0 = processCpu();
    const t0 = nowMs();
    await Promise.all(
      scripts.map(async ({ userId, delay, kinds: script, think }) => {
        await sleep(delay);
        for (const [k, kind] of script.entries()) {
          await fire(kind, userId);
          if (k < think.length) await sleep(think[k]!);
        }
      }),
    );
    const sendingMs = nowMs() - t0;
    const cpu1 = machineCpu();
    const byCommand = cpuByCommand(procs0, processCpu(), sides.roles);
    const fakeLoop = loop.read();
    loop.stop();
    const share = (k: 'busy' | 'user' | 'system' | 'irq') => (cpu1[k] - cpu0[k]) / (cpu1.total - cpu0.total);
    const machineBusy = share('busy');
    const machineSplit = `user ${(share('user') * 100).toFixed(0)}%, kernel ${(share('system') * 100).toFixed(0)}%, irq ${(share('irq') * 100).toFixed(0)}%`;

    const until = Date.now() + SETTLE_MS;
    while (samples.some((s) => s.doneAt === undefined) && Date.now() < until) await sleep(100);
    const settledMs = nowMs() - t0;
    stats = await sides.stats();

    // BENCH_DISCORD_DUMP=file.json: every sample with the bot's marks, for a closer look.
    if (process.env.BENCH_DISCORD_DUMP) {
      const { writeFileSync } = await import('node:fs');
      const dump = samples.map(({ onDeferred: _, ...s }) => ({ ...s, t: s.dispatchedAt - t0, bot: stats!.marks[s.id] }));
      writeFileSync(process.env.BENCH_DISCORD_DUMP, JSON.stringify({ t0, samples: dump }, null, 1));
    }
    report({ weights: sides.weights.describe, samples, stats, sendingMs, settledMs, fakeLoop, machineBusy, machineSplit, byCommand, calls: fake.calls });
  } finally {
    await sides?.closeBot().catch((err: unknown) => process.stderr.write(`closing the bot: ${String(err)}\n`));
    await sides?.closeWorker().catch((err: unknown) => process.stderr.write(`closing the worker: ${String(err)}\n`));
    sides?.weights.undo();
    await fetch(`${fake.apiBase}/v10${STOP_PATH}`).catch(() => undefined);
    await tap.catch(() => undefined);
    await fake.close();
    removed = await removeLeftovers(config);
  }
  process.stdout.write(`\n(total ${((nowMs() - started) / 1000).toFixed(1)} s; ${removed} leftover container(s) removed after close)\n`);
}

function report(r: { weights: string[]; samples: Sample[]; stats: BotSideStats; sendingMs: number; settledMs: number; fakeLoop: LoopDelay; machineBusy: number; machineSplit: string; byCommand: [string, number][]; calls: readonly RecordedCall[] }): void {
  const { samples, stats, sendingMs, settledMs } = r;
  const deferred = samples.filter((s) => s.deferredAt !== undefined);
  const latency = (s: Sample) => s.deferredAt! - s.dispatchedAt;
  const all = deferred.map(latency);
  const p99 = pct(all, 99);
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const where = IN_PROCESS ? 'bot, worker and fake Discord in one process' : 'bot and worker in their own processes, as in docker-compose';
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`Discord defer latency — ${date} UTC — ${LEARNERS} learners × ${KINDS.length + 1} interactions sent over ${(sendingMs / 1000).toFixed(1)} s (${where})`);
  out(`CPU weights (as docker-compose.yml gives its services; sandboxes at SANDBOX_CPU_SHARES): ${r.weights.join('; ')}.`);
  out();
  out('| interactions | count | p50 | p95 | p99 | max |');
  out('|---|---:|---:|---:|---:|---:|');
  const row = (name: string, xs: number[]) => out(`| ${name} | ${xs.length} | ${fmt(pct(xs, 50))} | ${fmt(pct(xs, 95))} | ${fmt(pct(xs, 99))} | ${fmt(Math.max(...xs))} |`);
  row('all: INTERACTION_CREATE → defer callback', all);
  for (const kind of ['lesson start', 'run', 'hint', 'progress', 'button'] as Kind[]) row(kind, deferred.filter((s) => s.kind === kind).map(latency));

  // Where the time went, from the bot process's own timestamps (same machine clock).
  const marks = (s: Sample): BotMarks => stats.marks[s.id] ?? {};
  const span = (from: (s: Sample) => number | undefined, to: (s: Sample) => number | undefined) =>
    deferred.flatMap((s) => {
      const a = from(s);
      const b = to(s);
      return a === undefined || b === undefined ? [] : [b - a];
    });
  out();
  out('| where the time goes (p50 / p99 / max) | p50 | p99 | max |');
  out('|---|---:|---:|---:|');
  const brow = (name: string, xs: number[]) => out(`| ${name} | ${fmt(pct(xs, 50))} | ${fmt(pct(xs, 99))} | ${fmt(Math.max(...xs))} |`);
  brow('bot side: dispatch → callback headers written by the bot', span((s) => s.dispatchedAt, (s) => marks(s).sent));
  brow('fake side: callback headers written → recorded by the fake', span((s) => marks(s).sent, (s) => s.deferredAt));
  brow('gateway: dispatch → discord.js parsed the frame', span((s) => s.dispatchedAt, (s) => marks(s).raw));
  brow('discord.js: frame → InteractionCreate handled (router sync part)', span((s) => marks(s).raw, (s) => marks(s).handled));
  brow('bot: handled → callback request created (REST queue)', span((s) => marks(s).handled, (s) => marks(s).request));
  brow('undici: request created → headers written to the socket', span((s) => marks(s).request, (s) => marks(s).sent));
  out(`| bot process event-loop delay (whole run) | ${fmt(stats.loopDelay.p50)} | ${fmt(stats.loopDelay.p99)} | ${fmt(stats.loopDelay.max)} |`);
  out(`| bench/fake Discord process event-loop delay (while sending) | ${fmt(r.fakeLoop.p50)} | ${fmt(r.fakeLoop.p99)} | ${fmt(r.fakeLoop.max)} |`);
  out();
  out(`Machine CPU busy while sending: ${(r.machineBusy * 100).toFixed(0)}% of all cores (${r.machineSplit}); bot process CPU over the whole run: ${(stats.cpuMs / 1000).toFixed(1)} s.`);
  out(`CPU while sending, by process (core-seconds in ${(sendingMs / 1000).toFixed(1)} s): ${r.byCommand.slice(0, 10).map(([name, secs]) => `${name} ${secs.toFixed(2)}`).join(', ')}.`);
  const routes = new Map<string, number>();
  for (const call of r.calls) routes.set(call.route ?? `${call.method} (unmatched)`, (routes.get(call.route ?? `${call.method} (unmatched)`) ?? 0) + 1);
  out(`REST calls the fake answered: ${r.calls.length} (${[...routes].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([route, n]) => `${n} ${route}`).join(', ')}).`);
  // Edits of each interaction's reply (status lines, then the answer): bursts of them cost the bot its event loop.
  const kindByToken = new Map(samples.map((sample) => [sample.token, sample.kind]));
  const edits = new Map<Kind, number>();
  for (const call of r.calls) {
    const token = call.method === 'PATCH' ? /^\/webhooks\/[^/]+\/([^/]+)\/messages\//.exec(call.path)?.[1] : undefined;
    const kind = token === undefined ? undefined : kindByToken.get(token);
    if (kind) edits.set(kind, (edits.get(kind) ?? 0) + 1);
  }
  out(`Reply edits per interaction: ${[...edits].map(([kind, n]) => `${kind} ${(n / samples.filter((x) => x.kind === kind).length).toFixed(1)}`).join(', ')}.`);

  const lost = samples.length - deferred.length;
  const refused = deferred.filter((s) => s.callbackStatus! >= 300 || (s.callbackType !== 5 && s.callbackType !== 6)).length;
  const unfinished = samples.filter((s) => s.doneAt === undefined);
  out();
  out(
    `${samples.length} interactions: ${deferred.length} deferred (${lost} never, ${refused} refused or not type 5/6); ` +
      `${samples.length - unfinished.length} answered within ${(settledMs / 1000).toFixed(1)} s of the first` +
      (unfinished.length > 0 ? ` (unanswered: ${[...new Set(unfinished.map((s) => s.kind))].join(', ')})` : ''),
  );
  out();
  out('| target | measured | verdict |');
  out('|---|---:|---|');
  const met = lost === 0 && p99 <= TARGET_MS;
  out(`| defer p99 ≤ ${TARGET_MS} ms with ${LEARNERS} learners active | ${p99.toFixed(1)} ms | ${met ? 'met' : 'MISSED'} |`);
}

// A safety net only: never keeps the process alive by itself.
setTimeout(() => {
  process.stderr.write('bench/discord.ts: still running after 170 s, giving up\n');
  process.exit(1);
}, 170_000).unref();

await main();
