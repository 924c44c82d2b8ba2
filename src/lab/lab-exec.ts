// `docker exec` in the lab: the learner's argv runs as they typed it, with no wrapper of ours in the
// container, so `ps` inside shows what a laptop shows (the container's PID 1, their shell, their command).
// The time limit and the clean-up are done from outside: every process of the exec's user is killed at the
// timeout and after the command (an exec cannot be killed through the API).
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { SandboxLimits } from '../config.js';
import { CappedOutput, drainFrames } from '../sandbox/output.js';
import { KILL_LEARNER_PROCESSES } from '../sandbox/runner.js';
import { LEARNER_HOME, LEARNER_USER, SANDBOX_ENV } from '../sandbox/spec.js';
import type { RunResult } from '../sandbox/types.js';

export interface LabExecOptions {
  limits: Pick<SandboxLimits, 'timeoutMs' | 'outputBytes'>;
  /** The learner by default; the keeper reads the container's kept output for `docker logs`. */
  user?: string;
  env?: readonly string[];
}

/** Every PID was taken while it ran (a fork bomb): the lab ended the command then, not at the timeout. */
export type LabExecResult = RunResult & { pidsFull: boolean };

/** How often a running command's PID count is checked against the container's limit. */
const PIDS_CHECK_MS = 200;

/** Runs `argv` in a running container and answers with its output and exit status, as `docker exec` would. */
export async function execInLab(container: Docker.Container, argv: readonly string[], opts: LabExecOptions): Promise<LabExecResult> {
  const user = opts.user ?? LEARNER_USER;
  const exec = await container.exec({
    Cmd: [...argv],
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    User: user,
    Env: [...(opts.env ?? SANDBOX_ENV)],
    WorkingDir: user === LEARNER_USER ? LEARNER_HOME : '/',
  });
  let timedOut = false;
  let pidsFull = false;
  const limit = user === LEARNER_USER ? (await container.inspect().catch(() => undefined))?.HostConfig?.PidsLimit : undefined;
  const pidsLimit = typeof limit === 'number' && limit > 0 ? limit : undefined;
  // One kill sequence at a time: a second one beside it (dropping the PID limit twice) can kill the container.
  let stopping: Promise<void> | undefined;
  let stopped = false;
  const stopLearner = (readPids: boolean): Promise<void> => {
    stopped ||= readPids;
    stopping ??= (async () => {
      // A stop for overflow or the timeout may come before the watch below saw every PID taken: look once now.
      if (readPids && !pidsFull && pidsLimit !== undefined) pidsFull = (await pidsInUse(container)) >= pidsLimit;
      await killLearnerProcessesSurely(container, { pidsFull });
    })().finally(() => {
      stopping = undefined;
    });
    return stopping;
  };
  // Only the learner's processes are killed: the container's own PID 1 runs as the keeper and lives on.
  const output = new CappedOutput(opts.limits.outputBytes, () => void stopLearner(true));
  // The cgroup's count of forks refused for the limit, before: a stop compares it, as pids.current churns under a bomb.
  const refusedBefore = pidsLimit !== undefined ? await forksRefused(container) : undefined;
  const started = Date.now();
  const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Duplex;
  // The keeper's own reads are bounded by their own `timeout`s.
  const timer = user === LEARNER_USER ? setTimeout(() => {
    timedOut = true;
    void stopLearner(true);
  }, opts.limits.timeoutMs) : undefined;
  // A fork bomb that holds every PID burns the container's CPU budget until the timeout: it is ended when seen.
  const watch = pidsLimit !== undefined ? setInterval(() => {
    void pidsInUse(container).then((used) => {
      if (used < pidsLimit) return;
      // Joins a kill under way; starts another only if the one before left the PIDs full.
      pidsFull = true;
      void stopLearner(false);
    });
  }, PIDS_CHECK_MS) : undefined;
  try {
    await drainFrames(stream, output);
  } finally {
    clearTimeout(timer);
    clearInterval(watch);
  }
  const durationMs = Date.now() - started;
  // What the command left in the background goes with it, as the sandbox's sessions do after each command.
  if (user === LEARNER_USER) await stopLearner(false);
  // A refused fork makes a noise on stderr; a bomb may also die out by itself, before any stop.
  if ((stopped || output.text().stderr !== '') && !pidsFull && refusedBefore !== undefined) {
    pidsFull = ((await forksRefused(container)) ?? refusedBefore) > refusedBefore;
  }
  const info = await exec.inspect().catch(() => undefined);
  const exitCode = timedOut ? 137 : typeof info?.ExitCode === 'number' ? info.ExitCode : null;
  const { stdout, stderr } = output.text();
  const truncated = output.truncated();
  const oomKilled = exitCode === 137 && !timedOut && !truncated && (await oomKilledInside(container));
  return { stdout, stderr, exitCode, timedOut: timedOut && !truncated, oomKilled, truncated, durationMs, pidsFull };
}

/** The container's PIDs in use now (the cgroup's count), 0 when the engine cannot say. */
async function pidsInUse(container: Docker.Container): Promise<number> {
  const stats = (await container.stats({ stream: false, 'one-shot': true } as { stream: false }).catch(() => undefined)) as Docker.ContainerStats | undefined;
  return stats?.pids_stats?.current ?? 0;
}

const KILL_TRIES = 20;
/** How long a fork bomb is starved of PIDs at most: its processes cannot fork, so they end (checked every STARVE_CHECK_MS). */
const STARVE_MAX_MS = 4_000;
const STARVE_CHECK_MS = 100;

/**
 * Kills every learner process. A fork bomb can hold every PID the container has, so the kill's own exec may not
 * start: then the container's PID limit is dropped to 1 for a moment, so the bomb's processes, unable to fork,
 * die out; the learner's limit comes back and the kill runs. Only if even that fails is the container killed.
 */
export async function killLearnerProcessesSurely(container: Docker.Container, opts: { pidsFull?: boolean } = {}): Promise<void> {
  // With every PID known to be taken, an exec cannot start: no time is spent trying.
  if (!opts.pidsFull && (await tryKillAll(container, 3))) return;
  const limit = (await container.inspect().catch(() => undefined))?.HostConfig?.PidsLimit;
  if (typeof limit === 'number' && limit > 0) {
    await container.update({ PidsLimit: 1 }).catch(() => {});
    // Starved until half the limit is free (room for the kill's exec once the limit is back), however busy the cores.
    for (const until = Date.now() + STARVE_MAX_MS; Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, STARVE_CHECK_MS));
      if ((await pidsInUse(container)) <= limit / 2) break;
    }
    await container.update({ PidsLimit: limit }).catch(() => {});
    if (await tryKillAll(container, KILL_TRIES)) return;
  }
  await container.kill().catch(() => {});
}

/** Runs `kill -KILL -1` as the learner until it ran (exit 0: it signalled something; 1: nothing was left). */
async function tryKillAll(container: Docker.Container, tries: number): Promise<boolean> {
  for (let attempt = 0; attempt < tries; attempt++) {
    const exec = await container.exec({ Cmd: KILL_LEARNER_PROCESSES, User: LEARNER_USER, WorkingDir: '/', AttachStdout: true, AttachStderr: true }).catch(() => undefined);
    if (!exec) return false;
    const started = (await exec.start({ hijack: true, stdin: false }).catch(() => undefined)) as unknown as Duplex | undefined;
    // The container stopped meanwhile: nothing of the learner's is left to kill. Running, every PID was taken.
    if (!started) return !(await container.inspect().catch(() => undefined))?.State?.Running;
    await drainFrames(started, new CappedOutput(1024)).catch(() => {});
    const code = (await exec.inspect().catch(() => undefined))?.ExitCode;
    if (code === 0 || code === 1) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Whether the container's memory cgroup has killed a process for memory (v2's memory.events, v1's oom_control). */
async function oomKilledInside(container: Docker.Container): Promise<boolean> {
  const text = await readCgroupFiles(container, ['/sys/fs/cgroup/memory.events', '/sys/fs/cgroup/memory/memory.oom_control']);
  return /^oom_kill [1-9]/m.test(text ?? '');
}

/** How many forks the container's PID limit has refused in its life (pids.events' `max`, v1 or v2), if it can be read. */
async function forksRefused(container: Docker.Container): Promise<number | undefined> {
  const text = await readCgroupFiles(container, ['/sys/fs/cgroup/pids.events', '/sys/fs/cgroup/pids/pids.events']);
  const count = /^max (\d+)$/m.exec(text ?? '')?.[1];
  return count === undefined ? undefined : Number(count);
}

/** The text of whichever of the container's own cgroup files exist, read from inside; undefined when no exec could start. */
async function readCgroupFiles(container: Docker.Container, files: readonly string[]): Promise<string | undefined> {
  const read = ['/bin/sh', '-c', `cat ${files.join(' ')} 2>/dev/null`];
  const exec = await container.exec({ Cmd: read, AttachStdout: true, AttachStderr: true, User: LEARNER_USER, WorkingDir: '/' }).catch(() => undefined);
  if (!exec) return undefined;
  const output = new CappedOutput(4096);
  const started = (await exec.start({ hijack: true, stdin: false }).catch(() => undefined)) as unknown as Duplex | undefined;
  if (!started) return undefined;
  await drainFrames(started, output).catch(() => {});
  return output.text().stdout;
}
