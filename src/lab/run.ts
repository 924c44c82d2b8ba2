// `docker run` in the lab: the learner's container, hardened, named and labelled as theirs, within their
// quotas and the engine's capacity. A detached container runs the learner's command as PID 1 (under an init
// only with --init, as on a laptop), keeps its output inside itself instead of the engine, and is watched
// for its CPU budget; a foreground one answers with its output under the normal timeout.
import type Docker from 'dockerode';
import type { SandboxLimits } from '../config.js';
import { statusOf } from '../sandbox/docker-client.js';
import type { EngineWatch } from '../sandbox/engine-watch.js';
import { drainFrames } from '../sandbox/output.js';
import { attachCapped, createOrSayImageMissing } from '../sandbox/runner.js';
import { hardenedContainerSpec, KEEPER_USER, LABEL, SANDBOX_ENV } from '../sandbox/spec.js';
import { describeError, SandboxUnavailableError } from '../sandbox/types.js';
import { CAPACITY_LABEL, type LabCapacity } from './capacity.js';
import { randomContainerName } from './cli-format.js';
import type { LabRunCommand } from './command.js';
import { cappedLogCommand, LAB_LOG_DIR, LAB_LOG_TMPFS, type ImageExecutables } from './container-log.js';
import { labNote, type LabNote } from './notes.js';
import { labOutcome, type LabFlags, type LabOutcome } from './outcome.js';
import { LAB_KIND, LAB_LABEL, labDockerName, type LearnerContainers } from './own-containers.js';

/** docker's default command for the images the lab maps (alpine/busybox: sh; ubuntu/debian: bash). */
const DEFAULT_CMD: Record<string, string[]> = { alpine: ['/bin/sh'], busybox: ['sh'], ubuntu: ['bash'], debian: ['bash'] };
/** Lab containers' CPU weight: a sixteenth of a learner command's (SANDBOX_CPU_SHARES; 1024 is docker's default). */
export const labCpuShares = (commandShares: number): number => Math.max(2, Math.round(commandShares / 16));
/** Keeps a little of a container's output so `docker logs` works, bounded on disk. */
export const LAB_LOG_CONFIG = { Type: 'local', Config: { 'max-size': '256k', 'max-file': '1', compress: 'false' } };

export interface LabRunDeps {
  image: string;
  limits: SandboxLimits;
  workerId: string;
  maxRunning: number;
  maxContainers: number;
  maxLifetimeMs: number;
  seccompProfile?: string;
  capacity: LabCapacity;
  executables: ImageExecutables;
  watch?: EngineWatch;
}

export async function labRun(deps: LabRunDeps, own: LearnerContainers, command: LabRunCommand, job?: { jobId: string; rerun: boolean }): Promise<LabOutcome> {
  const notes: LabNote[] = [];
  if (command.user !== undefined) {
    if (isRootUser(command.user)) return labOutcome('', '', 125, [labNote('root-refused', { user: command.user })]);
    notes.push(labNote('user-mapped', { user: command.user }));
  }
  // A re-run after a dead worker: the first run's container goes first, so the command never runs twice.
  if (job?.rerun) await Promise.all((await own.list()).filter((c) => c.Labels?.[LAB_LABEL.job] === job.jobId).map((c) => own.remove(c.Id)));
  const all = await own.list();
  const taken = new Set(all.map((c) => c.Labels?.[LAB_LABEL.name] ?? ''));
  const name = command.name ?? randomContainerName(taken);
  const clash = all.find((c) => c.Labels?.[LAB_LABEL.name] === name);
  if (clash) {
    return labOutcome(
      '',
      `docker: Error response from daemon: Conflict. The container name "/${name}" is already in use by container "${clash.Id}". ` +
        `You have to remove (or rename) that container to be able to reuse that name.\n\nRun 'docker run --help' for more information\n`,
      125,
      [labNote('name-in-use', { name })],
    );
  }
  const running = all.filter((c) => c.State === 'running').length;
  if (running >= deps.maxRunning) return labOutcome('', '', 125, [labNote('running-quota', { max: deps.maxRunning })]);
  if (all.length >= deps.maxContainers) return labOutcome('', '', 125, [labNote('container-quota', { max: deps.maxContainers })]);

  const spec = await labSpec(deps, own, name, command, job?.jobId);
  const request = { memoryBytes: Number(spec.Labels?.[CAPACITY_LABEL.memory] ?? 0), nanoCpus: Number(spec.Labels?.[CAPACITY_LABEL.nanoCpus] ?? 0) };
  const created = await deps.capacity.withRoom(request, () => createOrSayImageMissing(own.docker, deps.image, spec));
  if (!created.ok) return labOutcome('', '', 125, [...notes, labNote('lab-full', { what: created.what })]);
  const container = created.value;
  try {
    await own.touch(container.id);
    // A shell entered with -it runs on in the background; the chat moves inside it and runs each line by exec.
    if (command.detach || command.opensShell) {
      const failed = await start(own, container, command.remove);
      if (!failed && command.detach) await noteExitedAtOnce(container, name, notes);
      return failed ?? labOutcome(`${container.id}\n`, '', 0, notes);
    }
    return await runInForeground(deps, own, container, command.remove, notes);
  } catch (err) {
    await own.remove(container.id).catch(() => {});
    throw err;
  }
}

/** How long after its start a detached container's command counts as having ended at once. */
const EXITED_AT_ONCE_MS = 150;

/**
 * A detached command that has already ended (`true`, a shell's syntax error) is said so, not "running in the
 * background": a container lives as long as its PID 1.
 */
async function noteExitedAtOnce(container: Docker.Container, name: string, notes: LabNote[]): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, EXITED_AT_ONCE_MS));
  const state = await container.inspect().then(
    (info) => info.State,
    () => undefined, // Removed already (--rm): its end is told by `docker ps -a` having nothing.
  );
  if (state && !state.Running && !state.Restarting) notes.push(labNote('exited-at-once', { name, exitCode: state.ExitCode }));
}

/**
 * Starts a created container. A command that cannot be executed is the learner's mistake, answered
 * as docker answers it (exit 127 for not found, 126 otherwise); the container stays "Created" unless --rm.
 */
async function start(own: LearnerContainers, container: Docker.Container, remove: boolean): Promise<LabOutcome | undefined> {
  try {
    await container.start();
    return undefined;
  } catch (err) {
    const message = startFailure(err);
    if (message === undefined) throw err;
    if (remove) await own.remove(container.id);
    const exitCode = /not found|no such file/i.test(message) ? 127 : 126;
    return labOutcome('', `docker: Error response from daemon: ${message}.\n\nRun 'docker run --help' for more information\n`, exitCode);
  }
}

async function labSpec(deps: LabRunDeps, own: LearnerContainers, name: string, command: LabRunCommand, jobId: string | undefined): Promise<Docker.ContainerCreateOptions> {
  const { limits } = deps;
  const memoryBytes = command.resources.memoryBytes ?? limits.memoryBytes;
  const pids = command.resources.pidsLimit ?? limits.pids;
  const nanoCpus = command.resources.cpus !== undefined ? Math.round(command.resources.cpus * 1e9) : limits.nanoCpus;
  const cmd = command.args.length > 0 ? command.args : (DEFAULT_CMD[command.image.name] ?? ['/bin/sh']);
  // A program docker would not find is started as it is, so docker refuses it in its own words; a PATH of the learner's own is always capped.
  const inBackground = command.detach || command.opensShell === true;
  const capOutput = inBackground && (command.env.some((e) => e.key === 'PATH') || (await deps.executables.has(cmd[0] ?? '')));
  const capped = capOutput ? cappedLogCommand(cmd, { heldShell: command.opensShell === true }) : undefined;
  const expiresAt = Date.now() + deps.maxLifetimeMs;
  const prefix = own.ctx.prefix;
  const learnerId = own.learnerId;
  const base = hardenedContainerSpec({
    image: deps.image,
    limits: { ...limits, memoryBytes, pids, nanoCpus },
    // Overwritten below: the sandbox's label set has no 'lab' kind.
    labels: { app: prefix, workerId: deps.workerId, learnerId, kind: 'oneshot', expiresAt },
    cmd: capped ?? cmd,
    // The main process is never the exec user, so the sandbox's post-exec `kill -KILL -1` cannot end it.
    user: KEEPER_USER,
    ...(deps.seccompProfile ? { seccompProfile: deps.seccompProfile } : {}),
  });
  return {
    ...base,
    name: labDockerName(prefix, learnerId, name),
    // Empty: docker's default, the short container id.
    Hostname: command.hostname ?? '',
    Env: mergeEnv(SANDBOX_ENV, command.env),
    Labels: {
      [LABEL.app]: prefix,
      [LABEL.worker]: deps.workerId,
      [LABEL.learner]: learnerId,
      [LABEL.kind]: LAB_KIND,
      [LABEL.expires]: String(expiresAt),
      [LAB_LABEL.name]: name,
      [LAB_LABEL.image]: command.image.asked,
      [LAB_LABEL.envKeys]: command.env.map((e) => e.key).join(','),
      [LAB_LABEL.cmd]: JSON.stringify(cmd),
      ...(capped ? { [LAB_LABEL.logsInside]: '1' } : {}),
      ...(capped && command.opensShell ? { [LAB_LABEL.heldShell]: '1' } : {}),
      ...(jobId ? { [LAB_LABEL.job]: jobId } : {}),
      [CAPACITY_LABEL.memory]: String(memoryBytes),
      [CAPACITY_LABEL.nanoCpus]: String(nanoCpus),
    },
    HostConfig: {
      ...base.HostConfig,
      // The learner's command is PID 1, as on a laptop: it reaps no zombies and ignores the SIGTERM of
      // `docker stop` unless it handles it. `--init` puts docker's tini in front, exactly as docker does.
      Init: command.init === true,
      Tmpfs: { ...base.HostConfig?.Tmpfs, ...(capped ? { [LAB_LOG_DIR]: LAB_LOG_TMPFS } : {}) },
      LogConfig: LAB_LOG_CONFIG,
      // A sixteenth of a command's CPU weight (a quarter still let a flood double a neighbour's p50 in `npm run
      // chaos`): under contention one learner's spinning or flooding containers yield to everyone's commands,
      // which yield to the bot; on an idle machine they still get their --cpus.
      CpuShares: labCpuShares(deps.limits.cpuShares),
      AutoRemove: inBackground && command.remove,
    },
  };
}

/** Without -d: the command runs under the normal timeout and its output is the answer. */
async function runInForeground(deps: LabRunDeps, own: LearnerContainers, container: Docker.Container, remove: boolean, notes: LabNote[]): Promise<LabOutcome> {
  const { limits } = deps;
  const attached = await attachCapped(container, limits.outputBytes);
  const { stream, output: captured, kill } = attached;
  const epoch = deps.watch?.epoch;
  const failed = await start(own, container, remove);
  if (failed) {
    stream.destroy();
    return failed;
  }
  const timer = setTimeout(kill, limits.timeoutMs);
  let exitCode: number;
  try {
    await drainFrames(stream, captured);
    const waited = (await container.wait({ condition: 'not-running' })) as { StatusCode?: number };
    exitCode = waited.StatusCode ?? 137;
  } finally {
    clearTimeout(timer);
  }
  const { killed } = attached;
  // Killed, but not by us: when the engine restarted meanwhile, that is not the learner's result.
  if (!killed && (exitCode === 137 || exitCode === 143) && epoch !== undefined && (await deps.watch?.restartedSince(epoch))) {
    throw new SandboxUnavailableError('the Docker engine restarted while the command ran');
  }
  const { stdout, stderr } = captured.text();
  const flags: LabFlags = {
    truncated: killed && captured.overflowed,
    timedOut: killed && !captured.overflowed,
    oomKilled: !killed && exitCode === 137 && Boolean((await container.inspect()).State?.OOMKilled),
  };
  notes.push(...flagNotes(limits, flags));
  if (remove) await own.remove(container.id);
  return labOutcome(stdout, stderr, exitCode, notes, flags);
}

/** What the tutor says about a command that timed out, ran out of memory or printed too much. */
export function flagNotes(limits: Pick<SandboxLimits, 'timeoutMs' | 'outputBytes'>, flags: LabFlags): LabNote[] {
  return [
    ...(flags.timedOut ? [labNote('timed-out', { timeoutMs: limits.timeoutMs })] : flags.oomKilled ? [labNote('oom-killed')] : []),
    ...(flags.truncated ? [labNote('truncated', { bytes: limits.outputBytes })] : []),
  ];
}

/** The Engine's words when a container's command could not be executed (runc's "exec: ..."), else undefined. */
function startFailure(err: unknown): string | undefined {
  const status = statusOf(err);
  if (status !== 400 && status !== 500) return undefined;
  const json = (err as { json?: { message?: unknown } }).json;
  const message = typeof json?.message === 'string' ? json.message : describeError(err).replace(/^\(HTTP code \d+\) [a-z ]+ - /, '');
  return /exec: "/.test(message) ? message.trim() : undefined;
}

/** root by name or uid 0, as user or as group. */
export function isRootUser(user: string): boolean {
  return user.split(':').some((part) => part === 'root' || /^0+$/.test(part));
}

/** The sandbox's environment with the learner's -e variables laid over it, one entry per key. */
function mergeEnv(base: readonly string[], extra: readonly { key: string; value: string }[]): string[] {
  const merged = new Map<string, string>();
  for (const entry of base) {
    const eq = entry.indexOf('=');
    merged.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  for (const { key, value } of extra) merged.set(key, value);
  return [...merged].map(([key, value]) => `${key}=${value}`);
}
