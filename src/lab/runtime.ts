// The lab's runtime: carries a parsed LabCommand out on the learner's own lab containers and answers the
// way the docker CLI would. This file is the containers' lifecycle (run, exec, stop, kill, rm); the
// read-only answers are in docker-views.ts and host-view.ts, the lookups in own-containers.ts.
import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import type { SandboxLimits } from '../config.js';
import type { Logger } from '../log.js';
import { isEngineFault, statusOf } from '../sandbox/docker-client.js';
import { drainFrames } from '../sandbox/output.js';
import { attachCapped, execInContainer, type RunnerContext } from '../sandbox/runner.js';
import { hardenedContainerSpec, KEEPER_USER, LABEL, SANDBOX_ENV } from '../sandbox/spec.js';
import { describeError, learnerIdSchema, SandboxUnavailableError, type RunResult } from '../sandbox/types.js';
import { randomContainerName, shellQuote } from './cli-format.js';
import type { LabCommand, LabExecCommand, LabRunCommand } from './command.js';
import { dockerInspect, dockerLogs, dockerPs, dockerStats, dockerTop } from './docker-views.js';
import { answerHostCommand, HOST_ROOTS, type HostRoots } from './host-view.js';
import { labNote, type LabNote } from './notes.js';
import { labOutcome, noSuchContainer, notRunning, type LabFlags, type LabOutcome } from './outcome.js';
import { LAB_KIND, LAB_LABEL, labContext, labDockerName, LearnerContainers, type Info, type LabContext } from './own-containers.js';

export type { LabOutcome } from './outcome.js';

/** docker's default command for the images the lab maps (alpine/busybox: sh; ubuntu/debian: bash). */
const DEFAULT_CMD: Record<string, string[]> = { alpine: ['/bin/sh'], busybox: ['sh'], ubuntu: ['bash'], debian: ['bash'] };
/** Keeps a little of a container's output so `docker logs` works, bounded on disk. */
export const LAB_LOG_CONFIG = { Type: 'local', Config: { 'max-size': '256k', 'max-file': '1', compress: 'false' } };

export interface LabManagerOptions {
  docker: Docker;
  redis: Redis;
  /** SENSEI_PREFIX: the app label, the Redis key prefix and the start of every Docker-level name. */
  prefix: string;
  image: string;
  workerId?: string;
  /** The sandbox limits: the timeout and output cap, and the resources a lab container gets when the learner asks for none. */
  limits: SandboxLimits;
  maxRunningPerLearner?: number;
  /** Running or not: exited containers count too, so nobody piles them up. */
  maxContainersPerLearner?: number;
  idleTtlMs?: number;
  maxLifetimeMs?: number;
  /** Seccomp profile JSON for lab containers; undefined means Docker's default. */
  seccompProfile?: string;
  log: Logger;
  /** Where the host's /proc and cgroup tree are (tests may point these at a fake tree). */
  hostRoots?: HostRoots;
}

/**
 * Each learner's lab: real, hardened containers they create and poke at with the docker commands of the
 * lessons. Learners know their containers by the names they gave; the Engine knows them by a name
 * unique across learners, and every lookup is limited to the learner's own containers.
 */
export class LabManager {
  private readonly ctx: LabContext;
  private readonly workerId: string;
  private readonly maxRunning: number;
  private readonly maxContainers: number;
  private readonly maxLifetimeMs: number;
  private readonly runner: RunnerContext;
  /** One command at a time per learner in this process, so the quota and name checks hold. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: LabManagerOptions) {
    this.ctx = labContext({
      docker: opts.docker,
      redis: opts.redis,
      prefix: opts.prefix,
      idleTtlMs: opts.idleTtlMs ?? 30 * 60_000,
      limits: opts.limits,
      hostRoots: opts.hostRoots ?? HOST_ROOTS,
    });
    this.workerId = opts.workerId ?? 'lab';
    this.maxRunning = opts.maxRunningPerLearner ?? 3;
    this.maxContainers = opts.maxContainersPerLearner ?? 10;
    this.maxLifetimeMs = opts.maxLifetimeMs ?? 2 * 3_600_000;
    this.runner = {
      docker: opts.docker,
      image: opts.image,
      limits: opts.limits,
      app: opts.prefix,
      workerId: this.workerId,
      seccomp: {},
      log: opts.log,
    };
  }

  /** Runs one lab command for a learner. Docker-level failures of the learner's making are output, as docker prints them. */
  execute(learnerId: string, command: LabCommand): Promise<LabOutcome> {
    learnerIdSchema.parse(learnerId);
    return this.serially(learnerId, async () => {
      try {
        return await this.dispatch(new LearnerContainers(this.ctx, learnerId), command);
      } catch (err) {
        if (isEngineFault(err)) throw new SandboxUnavailableError(`The Docker engine failed: ${describeError(err)}`);
        throw err;
      }
    });
  }

  /** Removes every lab container of a learner (for "forget me" and resets). Returns how many. */
  async removeLearnerLabs(learnerId: string): Promise<number> {
    const own = new LearnerContainers(this.ctx, learnerId);
    const all = await own.list();
    await Promise.all(all.map((info) => own.remove(info.Id)));
    return all.length;
  }

  private serially<T>(learnerId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(learnerId) ?? Promise.resolve();
    const next = previous.then(fn);
    const settled = next.catch(() => {});
    this.chains.set(learnerId, settled);
    void settled.then(() => {
      if (this.chains.get(learnerId) === settled) this.chains.delete(learnerId);
    });
    return next;
  }

  private dispatch(own: LearnerContainers, command: LabCommand): Promise<LabOutcome> {
    switch (command.kind) {
      case 'run':
        return this.run(own, command);
      case 'exec':
        return this.exec(own, command);
      case 'ps':
        return dockerPs(own, command.all);
      case 'inspect':
        return dockerInspect(own, command.containers, command.format);
      case 'top':
        return dockerTop(own, command.container);
      case 'stats':
        return dockerStats(own, command.containers);
      case 'logs':
        return dockerLogs(own, command.container);
      case 'stop':
      case 'kill':
        return this.stopOrKill(own, command.kind, command.containers);
      case 'rm':
        return this.rm(own, command.containers, command.force);
      case 'host':
        return answerHostCommand(own, command);
    }
  }

  // ---- run -----------------------------------------------------------------------------------

  private async run(own: LearnerContainers, command: LabRunCommand): Promise<LabOutcome> {
    const notes: LabNote[] = [];
    if (command.user !== undefined) {
      if (isRootUser(command.user)) return labOutcome('', '', 125, [labNote('root-refused', { user: command.user })]);
      notes.push(labNote('user-mapped', { user: command.user }));
    }
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
      );
    }
    const running = all.filter((c) => c.State === 'running').length;
    if (running >= this.maxRunning) return labOutcome('', '', 125, [labNote('running-quota', { max: this.maxRunning })]);
    if (all.length >= this.maxContainers) return labOutcome('', '', 125, [labNote('container-quota', { max: this.maxContainers })]);

    const container = await this.ctx.docker.createContainer(this.labSpec(own.learnerId, name, command));
    try {
      await own.touch(container.id);
      if (command.detach) {
        const failed = await this.start(own, container, command.remove);
        return failed ?? labOutcome(`${container.id}\n`, '', 0, notes);
      }
      return await this.runInForeground(own, container, command.remove, notes);
    } catch (err) {
      await own.remove(container.id).catch(() => {});
      throw err;
    }
  }

  /**
   * Starts a created container. A command that cannot be executed is the learner's mistake, answered
   * as docker answers it (exit 127 for not found, 126 otherwise); the container stays "Created" unless --rm.
   */
  private async start(own: LearnerContainers, container: Docker.Container, remove: boolean): Promise<LabOutcome | undefined> {
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

  private labSpec(learnerId: string, name: string, command: LabRunCommand): Docker.ContainerCreateOptions {
    const { limits } = this.opts;
    const memoryBytes = command.resources.memoryBytes ?? limits.memoryBytes;
    const pids = command.resources.pidsLimit ?? limits.pids;
    const nanoCpus = command.resources.cpus !== undefined ? Math.round(command.resources.cpus * 1e9) : limits.nanoCpus;
    const cmd = command.args.length > 0 ? command.args : (DEFAULT_CMD[command.image.name] ?? ['/bin/sh']);
    const expiresAt = Date.now() + this.maxLifetimeMs;
    const prefix = this.ctx.prefix;
    const base = hardenedContainerSpec({
      image: this.opts.image,
      limits: { ...limits, memoryBytes, pids, nanoCpus },
      // Overwritten below: the sandbox's label set has no 'lab' kind.
      labels: { app: prefix, workerId: this.workerId, learnerId, kind: 'oneshot', expiresAt },
      cmd,
      // The main process is never the exec user, so the sandbox's post-exec `kill -KILL -1` cannot end it.
      user: KEEPER_USER,
      ...(this.opts.seccompProfile ? { seccompProfile: this.opts.seccompProfile } : {}),
    });
    return {
      ...base,
      name: labDockerName(prefix, learnerId, name),
      // Empty: docker's default, the short container id.
      Hostname: command.hostname ?? '',
      Env: mergeEnv(SANDBOX_ENV, command.env),
      Labels: {
        [LABEL.app]: prefix,
        [LABEL.worker]: this.workerId,
        [LABEL.learner]: learnerId,
        [LABEL.kind]: LAB_KIND,
        [LABEL.expires]: String(expiresAt),
        [LAB_LABEL.name]: name,
        [LAB_LABEL.image]: command.image.asked,
        [LAB_LABEL.envKeys]: command.env.map((e) => e.key).join(','),
      },
      HostConfig: {
        ...base.HostConfig,
        // The learner's command is PID 1, as with a plain `docker run`.
        Init: false,
        LogConfig: LAB_LOG_CONFIG,
        AutoRemove: command.detach && command.remove,
      },
    };
  }

  /** Without -d: the command runs under the normal timeout and its output is the answer. */
  private async runInForeground(own: LearnerContainers, container: Docker.Container, remove: boolean, notes: LabNote[]): Promise<LabOutcome> {
    const { limits } = this.opts;
    const attached = await attachCapped(container, limits.outputBytes);
    const { stream, output: captured, kill } = attached;
    const failed = await this.start(own, container, remove);
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
    const { stdout, stderr } = captured.text();
    const { killed } = attached;
    const flags: LabFlags = {
      truncated: killed && captured.overflowed,
      timedOut: killed && !captured.overflowed,
      oomKilled: !killed && exitCode === 137 && Boolean((await container.inspect()).State?.OOMKilled),
    };
    notes.push(...this.flagNotes(flags));
    if (remove) await own.remove(container.id);
    return labOutcome(stdout, stderr, exitCode, notes, flags);
  }

  /** What the tutor says about a command that timed out, ran out of memory or printed too much. */
  private flagNotes(flags: LabFlags): LabNote[] {
    const { timeoutMs, outputBytes } = this.opts.limits;
    return [
      ...(flags.timedOut ? [labNote('timed-out', { timeoutMs })] : flags.oomKilled ? [labNote('oom-killed')] : []),
      ...(flags.truncated ? [labNote('truncated', { bytes: outputBytes })] : []),
    ];
  }

  // ---- exec ----------------------------------------------------------------------------------

  private async exec(own: LearnerContainers, command: LabExecCommand): Promise<LabOutcome> {
    const found = await own.resolve(command.container);
    if (!found.ok) return labOutcome('', found.message, 1);
    if (found.info.State !== 'running') return labOutcome('', notRunning(found.info.Id), 1);
    const envPrefix = command.env.length > 0 ? `env ${command.env.map((e) => shellQuote(`${e.key}=${e.value}`)).join(' ')} ` : '';
    const line = envPrefix + command.args.map(shellQuote).join(' ');
    const notes: LabNote[] = command.opensShell ? [labNote('no-interactive-shell')] : [];
    let result: RunResult;
    try {
      ({ result } = await execInContainer(this.runner, this.ctx.docker.getContainer(found.info.Id), line, 'keep'));
    } catch (err) {
      const status = statusOf(err);
      if (status === 404) return labOutcome('', noSuchContainer(command.container), 1);
      if (status === 409) return labOutcome('', notRunning(found.info.Id), 1);
      throw err;
    }
    // Idle time counts from the end of the last use.
    await own.touch(found.info.Id);
    const flags: LabFlags = { timedOut: result.timedOut, oomKilled: !result.timedOut && result.oomKilled, truncated: result.truncated };
    notes.push(...this.flagNotes(flags));
    return labOutcome(result.stdout, result.stderr, result.exitCode ?? 137, notes, flags);
  }

  // ---- stop / kill / rm ----------------------------------------------------------------------

  private async stopOrKill(own: LearnerContainers, kind: 'stop' | 'kill', refs: readonly string[]): Promise<LabOutcome> {
    return eachOwn(own, refs, async (ref, info) => {
      const container = own.docker.getContainer(info.Id);
      try {
        if (kind === 'stop') await container.stop({ t: 1 });
        else await container.kill();
        return { stdout: `${ref}\n` };
      } catch (err) {
        const status = statusOf(err);
        if (kind === 'stop' && status === 304) return { stdout: `${ref}\n` };
        if (status === 404) return { stderr: noSuchContainer(ref) };
        if (kind === 'kill' && status === 409) {
          return { stderr: `Error response from daemon: cannot kill container: ${ref}: container ${info.Id} is not running\n` };
        }
        throw err;
      }
    });
  }

  private async rm(own: LearnerContainers, refs: readonly string[], force: boolean): Promise<LabOutcome> {
    return eachOwn(own, refs, async (ref, info) => {
      const name = info.Labels?.[LAB_LABEL.name] ?? ref;
      if (!force && info.State === 'running') {
        return {
          stderr:
            `Error response from daemon: cannot remove container "/${name}": container is running: ` +
            'stop the container before removing or force remove\n',
        };
      }
      await own.remove(info.Id);
      return { stdout: `${ref}\n` };
    });
  }
}

/** Acts on each named container of this learner in turn, as docker does: errors per name, exit 1 if any. */
async function eachOwn(
  own: LearnerContainers,
  refs: readonly string[],
  act: (ref: string, info: Info) => Promise<{ stdout?: string; stderr?: string }>,
): Promise<LabOutcome> {
  let stdout = '';
  let stderr = '';
  for (const ref of refs) {
    const found = await own.resolve(ref);
    if (!found.ok) {
      stderr += found.message;
      continue;
    }
    const done = await act(ref, found.info);
    stdout += done.stdout ?? '';
    stderr += done.stderr ?? '';
  }
  return labOutcome(stdout, stderr, stderr === '' ? 0 : 1);
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
