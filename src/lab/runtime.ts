// The lab's runtime: carries a parsed LabCommand out on the learner's own lab containers and answers
// the way the docker CLI would. Every lookup is scoped to the learner's containers, so another
// learner's container, by name or by id, is simply "No such container".
import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import type { SandboxLimits } from '../config.js';
import type { Logger } from '../log.js';
import { describeError, isEngineFault, statusOf } from '../sandbox/engine.js';
import { CappedOutput, FrameDemuxer } from '../sandbox/output.js';
import { execInContainer, type RunnerContext } from '../sandbox/runner.js';
import { hardenedContainerSpec, KEEPER_USER, LABEL, SANDBOX_ENV } from '../sandbox/spec.js';
import { learnerIdSchema, SandboxUnavailableError, type RunResult } from '../sandbox/types.js';
import { bytesSize, formatTable, humanDuration, psCommand, randomContainerName, shellQuote } from './cli-format.js';
import type { ExecCommand, HostCommand, LabCommand, RunCommand } from './command.js';
import {
  differingTypes,
  formatNsListing,
  HOST_ROOTS,
  hostNamespaceSource,
  procShowsContainer,
  readCgroupLimit,
  readNamespace,
  readNamespaces,
  type HostRoots,
} from './host-view.js';
import { labNotesAtRuntime, type LabRuntimeNote } from './runtime-notes.js';
import { renderInspectTemplate } from './template.js';

export type { LabRuntimeNote } from './runtime-notes.js';

/** What one lab command produced, shaped like the docker CLI's output, plus what the tutor should say. */
export interface LabOutcome {
  kind: 'output';
  stdout: string;
  stderr: string;
  exitCode: number;
  notes: LabRuntimeNote[];
}

/** Labels only lab containers carry (besides sandbox's app/worker/learner/kind/expires). */
export const LAB_LABEL = {
  /** The name the learner knows the container by. */
  name: 'sensei.labname',
  /** The image as the learner asked for it, e.g. `alpine`. */
  image: 'sensei.image',
  /** The keys of the learner's own -e variables, comma-separated (inspect shows only those). */
  envKeys: 'sensei.envkeys',
} as const;
export const LAB_KIND = 'lab';

/** docker's default command for the images the lab maps (alpine/busybox: sh; ubuntu/debian: bash). */
const DEFAULT_CMD: Record<string, string[]> = { alpine: ['/bin/sh'], busybox: ['sh'], ubuntu: ['bash'], debian: ['bash'] };
/** Keeps a little of a container's output so `docker logs` works, bounded on disk. */
export const LAB_LOG_CONFIG = { Type: 'local', Config: { 'max-size': '256k', 'max-file': '1', compress: 'false' } };
/** Containers younger than this are never reaped for a missing idle key (it is set right after create). */
export const LAB_REAP_GRACE_MS = 30_000;

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

type Info = Docker.ContainerInfo;
type Resolved = { ok: true; info: Info } | { ok: false; message: string };

const noSuchContainer = (ref: string) => `Error response from daemon: No such container: ${ref}\n`;

/** The lab-idle key: a lab container whose key has expired has been idle too long. */
export const labIdleKey = (prefix: string, containerId: string) => `${prefix}:lab-idle:${containerId}`;

/** A short, stable hash of the learner id, for Docker-level names that are unique across learners. */
export function learnerHash(learnerId: string): string {
  return createHash('sha256').update(learnerId).digest('hex').slice(0, 10);
}

export function labDockerName(prefix: string, learnerId: string, name: string): string {
  return `${prefix}-lab-${learnerHash(learnerId)}-${name}`;
}

const output = (stdout: string, stderr = '', exitCode = 0, notes: LabRuntimeNote[] = []): LabOutcome => ({
  kind: 'output',
  stdout,
  stderr,
  exitCode,
  notes,
});

/**
 * Each learner's lab: real, hardened containers they create and poke at with the docker commands of the
 * lessons. Learners know their containers by the names they gave; the Engine knows them by a name
 * unique across learners, and every lookup is limited to the learner's own containers.
 */
export class LabManager {
  private readonly docker: Docker;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly workerId: string;
  private readonly maxRunning: number;
  private readonly maxContainers: number;
  private readonly idleTtlMs: number;
  private readonly maxLifetimeMs: number;
  private readonly ctx: RunnerContext;
  /** One command at a time per learner in this process, so the quota and name checks hold. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: LabManagerOptions) {
    this.docker = opts.docker;
    this.redis = opts.redis;
    this.prefix = opts.prefix;
    this.workerId = opts.workerId ?? 'lab';
    this.maxRunning = opts.maxRunningPerLearner ?? 3;
    this.maxContainers = opts.maxContainersPerLearner ?? 10;
    this.idleTtlMs = opts.idleTtlMs ?? 30 * 60_000;
    this.maxLifetimeMs = opts.maxLifetimeMs ?? 2 * 3_600_000;
    this.ctx = {
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
        return await this.dispatch(learnerId, command);
      } catch (err) {
        if (isEngineFault(err)) throw new SandboxUnavailableError(`The Docker engine failed: ${describeError(err)}`);
        throw err;
      }
    });
  }

  /** Removes every lab container of a learner (for "forget me" and resets). Returns how many. */
  async removeLearnerLabs(learnerId: string): Promise<number> {
    const own = await this.listOwn(learnerId);
    await Promise.all(own.map((info) => this.removeNow(info.Id)));
    return own.length;
  }

  /** Removes this app's lab containers past their lifetime or idle past the TTL. */
  reap(): Promise<number> {
    const graceMs = Math.min(LAB_REAP_GRACE_MS, this.idleTtlMs);
    return reapLabs({ docker: this.docker, redis: this.redis, prefix: this.prefix, log: this.opts.log, graceMs });
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

  private dispatch(learnerId: string, command: LabCommand): Promise<LabOutcome> {
    switch (command.kind) {
      case 'run':
        return this.run(learnerId, command);
      case 'exec':
        return this.exec(learnerId, command);
      case 'ps':
        return this.ps(learnerId, command.all);
      case 'inspect':
        return this.inspect(learnerId, command.containers, command.format);
      case 'top':
        return this.top(learnerId, command.container);
      case 'stats':
        return this.stats(learnerId, command.containers);
      case 'logs':
        return this.logs(learnerId, command.container);
      case 'stop':
      case 'kill':
        return this.stopOrKill(learnerId, command.kind, command.containers);
      case 'rm':
        return this.rm(learnerId, command.containers, command.force);
      case 'host':
        return this.host(learnerId, command);
    }
  }

  // ---- lookups -------------------------------------------------------------------------------

  private listOwn(learnerId: string, all = true): Promise<Info[]> {
    return this.docker.listContainers({
      all,
      filters: { label: [`${LABEL.app}=${this.prefix}`, `${LABEL.kind}=${LAB_KIND}`, `${LABEL.learner}=${learnerId}`] },
    });
  }

  /** docker's order: a full id, then an exact name, then a unique id prefix; only the learner's own containers. */
  private async resolve(learnerId: string, ref: string): Promise<Resolved> {
    const own = await this.listOwn(learnerId);
    const info =
      own.find((c) => c.Id === ref) ??
      own.find((c) => c.Labels?.[LAB_LABEL.name] === ref) ??
      (/^[0-9a-f]{3,63}$/.test(ref) ? unique(own.filter((c) => c.Id.startsWith(ref))) : undefined);
    if (info === 'ambiguous') return { ok: false, message: `Error response from daemon: multiple IDs found with provided prefix: ${ref}\n` };
    if (!info) return { ok: false, message: noSuchContainer(ref) };
    await this.touch(info.Id);
    return { ok: true, info };
  }

  private async touch(containerId: string): Promise<void> {
    await this.redis.set(labIdleKey(this.prefix, containerId), String(Date.now()), 'PX', this.idleTtlMs);
  }

  private async removeNow(containerId: string): Promise<void> {
    try {
      await this.docker.getContainer(containerId).remove({ force: true, v: true });
    } catch (err) {
      const status = statusOf(err);
      if (status !== 404 && status !== 409) throw err;
    }
    await this.redis.del(labIdleKey(this.prefix, containerId));
  }

  // ---- run -----------------------------------------------------------------------------------

  private async run(learnerId: string, command: RunCommand): Promise<LabOutcome> {
    const notes: LabRuntimeNote[] = [];
    if (command.user !== undefined) {
      if (isRootUser(command.user)) return output('', '', 125, [labNotesAtRuntime.rootRefused(command.user)]);
      notes.push(labNotesAtRuntime.userMapped(command.user));
    }
    const own = await this.listOwn(learnerId);
    const taken = new Set(own.map((c) => c.Labels?.[LAB_LABEL.name] ?? ''));
    const name = command.name ?? randomContainerName(taken);
    const clash = own.find((c) => c.Labels?.[LAB_LABEL.name] === name);
    if (clash) {
      return output(
        '',
        `docker: Error response from daemon: Conflict. The container name "/${name}" is already in use by container "${clash.Id}". ` +
          `You have to remove (or rename) that container to be able to reuse that name.\n\nRun 'docker run --help' for more information\n`,
        125,
      );
    }
    const running = own.filter((c) => c.State === 'running').length;
    if (running >= this.maxRunning) return output('', '', 125, [labNotesAtRuntime.runningQuota(this.maxRunning)]);
    if (own.length >= this.maxContainers) return output('', '', 125, [labNotesAtRuntime.containerQuota(this.maxContainers)]);

    const container = await this.docker.createContainer(this.labSpec(learnerId, name, command));
    try {
      await this.touch(container.id);
      if (command.detach) {
        const failed = await this.start(container, command.remove);
        return failed ?? output(`${container.id}\n`, '', 0, notes);
      }
      return await this.runInForeground(container, command.remove, notes);
    } catch (err) {
      await this.removeNow(container.id).catch(() => {});
      throw err;
    }
  }

  /**
   * Starts a created container. A command that cannot be executed is the learner's mistake, answered
   * as docker answers it (exit 127 for not found, 126 otherwise); the container stays "Created" unless --rm.
   */
  private async start(container: Docker.Container, remove: boolean): Promise<LabOutcome | undefined> {
    try {
      await container.start();
      return undefined;
    } catch (err) {
      const message = startFailure(err);
      if (message === undefined) throw err;
      if (remove) await this.removeNow(container.id);
      const exitCode = /not found|no such file/i.test(message) ? 127 : 126;
      return output('', `docker: Error response from daemon: ${message}.\n\nRun 'docker run --help' for more information\n`, exitCode);
    }
  }

  private labSpec(learnerId: string, name: string, command: RunCommand): Docker.ContainerCreateOptions {
    const { limits } = this.opts;
    const memoryBytes = command.resources.memoryBytes ?? limits.memoryBytes;
    const pids = command.resources.pidsLimit ?? limits.pids;
    const nanoCpus = command.resources.cpus !== undefined ? Math.round(command.resources.cpus * 1e9) : limits.nanoCpus;
    const cmd = command.args.length > 0 ? command.args : (DEFAULT_CMD[command.image.name] ?? ['/bin/sh']);
    const expiresAt = Date.now() + this.maxLifetimeMs;
    const base = hardenedContainerSpec({
      image: this.opts.image,
      limits: { ...limits, memoryBytes, pids, nanoCpus },
      // Overwritten below: the sandbox's label set has no 'lab' kind.
      labels: { app: this.prefix, workerId: this.workerId, learnerId, kind: 'oneshot', expiresAt },
      cmd,
      // The main process is never the exec user, so the sandbox's post-exec `kill -KILL -1` cannot end it.
      user: KEEPER_USER,
      ...(this.opts.seccompProfile ? { seccompProfile: this.opts.seccompProfile } : {}),
    });
    return {
      ...base,
      name: labDockerName(this.prefix, learnerId, name),
      // Empty: docker's default, the short container id.
      Hostname: command.hostname ?? '',
      Env: mergeEnv(SANDBOX_ENV, command.env),
      Labels: {
        [LABEL.app]: this.prefix,
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
  private async runInForeground(container: Docker.Container, remove: boolean, notes: LabRuntimeNote[]): Promise<LabOutcome> {
    const { limits } = this.opts;
    const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as unknown as Duplex;
    let killed = false;
    const kill = () => {
      killed = true;
      container.kill().catch(() => {});
    };
    const captured = new CappedOutput(limits.outputBytes, kill);
    const failed = await this.start(container, remove);
    if (failed) {
      stream.destroy();
      return failed;
    }
    const timer = setTimeout(kill, limits.timeoutMs);
    let exitCode: number;
    try {
      await drain(stream, captured);
      const waited = (await container.wait({ condition: 'not-running' })) as { StatusCode?: number };
      exitCode = waited.StatusCode ?? 137;
    } finally {
      clearTimeout(timer);
    }
    const { stdout, stderr } = captured.text();
    if (killed && captured.overflowed) notes.push(labNotesAtRuntime.truncated(limits.outputBytes));
    else if (killed) notes.push(labNotesAtRuntime.timedOut(limits.timeoutMs));
    else if (exitCode === 137 && (await container.inspect()).State?.OOMKilled) notes.push(labNotesAtRuntime.oomKilled());
    if (remove) await this.removeNow(container.id);
    return output(stdout, stderr, exitCode, notes);
  }

  // ---- exec ----------------------------------------------------------------------------------

  private async exec(learnerId: string, command: ExecCommand): Promise<LabOutcome> {
    const found = await this.resolve(learnerId, command.container);
    if (!found.ok) return output('', found.message, 1);
    if (found.info.State !== 'running') return output('', `Error response from daemon: container ${found.info.Id} is not running\n`, 1);
    const envPrefix = command.env.length > 0 ? `env ${command.env.map((e) => shellQuote(`${e.key}=${e.value}`)).join(' ')} ` : '';
    const line = envPrefix + command.args.map(shellQuote).join(' ');
    const notes: LabRuntimeNote[] = [];
    if (command.opensShell) notes.push(labNotesAtRuntime.noInteractiveShell());
    let result: RunResult;
    try {
      ({ result } = await execInContainer(this.ctx, this.docker.getContainer(found.info.Id), line, 'keep'));
    } catch (err) {
      const status = statusOf(err);
      if (status === 404) return output('', noSuchContainer(command.container), 1);
      if (status === 409) return output('', `Error response from daemon: container ${found.info.Id} is not running\n`, 1);
      throw err;
    }
    // Idle time counts from the end of the last use.
    await this.touch(found.info.Id);
    if (result.timedOut) notes.push(labNotesAtRuntime.timedOut(this.opts.limits.timeoutMs));
    else if (result.oomKilled) notes.push(labNotesAtRuntime.oomKilled());
    if (result.truncated) notes.push(labNotesAtRuntime.truncated(this.opts.limits.outputBytes));
    return output(result.stdout, result.stderr, result.exitCode ?? 137, notes);
  }

  // ---- ps / inspect / top / stats / logs -----------------------------------------------------

  private async ps(learnerId: string, all: boolean): Promise<LabOutcome> {
    const own = (await this.listOwn(learnerId, all)).sort((a, b) => b.Created - a.Created);
    await Promise.all(own.map((c) => this.touch(c.Id)));
    const rows = [['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES']];
    for (const c of own) {
      rows.push([
        c.Id.slice(0, 12),
        c.Labels?.[LAB_LABEL.image] ?? '',
        psCommand(c.Command),
        `${humanDuration(Date.now() - c.Created * 1000)} ago`,
        c.Status,
        '',
        c.Labels?.[LAB_LABEL.name] ?? '',
      ]);
    }
    return output(formatTable(rows));
  }

  private async inspect(learnerId: string, refs: readonly string[], format: string | undefined): Promise<LabOutcome> {
    const objects: unknown[] = [];
    let stderr = '';
    let stdout = '';
    for (const ref of refs) {
      const found = await this.resolve(learnerId, ref);
      const raw = found.ok ? await this.docker.getContainer(found.info.Id).inspect().catch(() => undefined) : undefined;
      if (!found.ok || !raw) {
        stderr += `Error: No such object: ${ref}\n`;
        continue;
      }
      const curated = curateInspect(raw);
      if (format === undefined) {
        objects.push(curated);
        continue;
      }
      const rendered = renderInspectTemplate(format, curated);
      if (!rendered.ok) return output(stdout, `${stderr}template parsing error: ${rendered.error}\n`, 1);
      stdout += `${rendered.text}\n`;
    }
    if (format === undefined) stdout = `${JSON.stringify(objects, null, 4)}\n`;
    return output(stdout, stderr, stderr === '' ? 0 : 1);
  }

  private async top(learnerId: string, ref: string): Promise<LabOutcome> {
    const found = await this.resolve(learnerId, ref);
    if (!found.ok) return output('', found.message, 1);
    if (found.info.State !== 'running') return output('', `Error response from daemon: container ${found.info.Id} is not running\n`, 1);
    const top = (await this.docker.getContainer(found.info.Id).top()) as { Titles?: string[]; Processes?: string[][] };
    return output(formatTable([top.Titles ?? [], ...(top.Processes ?? [])]));
  }

  private async stats(learnerId: string, refs: readonly string[]): Promise<LabOutcome> {
    let infos: Info[];
    let stderr = '';
    if (refs.length === 0) {
      infos = await this.listOwn(learnerId, false);
    } else {
      infos = [];
      for (const ref of refs) {
        const found = await this.resolve(learnerId, ref);
        if (found.ok) infos.push(found.info);
        else stderr += found.message;
      }
      if (stderr !== '') return output('', stderr, 1);
    }
    const rows = [['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'PIDS']];
    for (const info of infos) {
      const s = info.State === 'running' ? await this.docker.getContainer(info.Id).stats({ stream: false }) : undefined;
      rows.push([info.Id.slice(0, 12), info.Labels?.[LAB_LABEL.name] ?? '', ...statsCells(s)]);
    }
    return output(formatTable(rows));
  }

  private async logs(learnerId: string, ref: string): Promise<LabOutcome> {
    const found = await this.resolve(learnerId, ref);
    if (!found.ok) return output('', found.message, 1);
    const raw = (await this.docker.getContainer(found.info.Id).logs({ stdout: true, stderr: true, follow: false, tail: 500 })) as unknown;
    const captured = new CappedOutput(this.opts.limits.outputBytes);
    const demux = new FrameDemuxer((which, payload) => captured.push(which, payload));
    demux.push(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw), 'binary'));
    const { stdout, stderr } = captured.text();
    return output(stdout, stderr, 0, captured.truncated() ? [labNotesAtRuntime.truncated(this.opts.limits.outputBytes)] : []);
  }

  /** `ps aux | grep WORD` on the "host": the learner's own lab processes as the host sees them (host PIDs). */
  private async hostPs(learnerId: string, grep: string | undefined): Promise<LabOutcome> {
    const running = await this.listOwn(learnerId, false);
    let titles: string[] = ['USER', 'PID', '%CPU', '%MEM', 'VSZ', 'RSS', 'TTY', 'STAT', 'START', 'TIME', 'COMMAND'];
    const rows: string[][] = [];
    for (const info of running) {
      const top = (await this.docker
        .getContainer(info.Id)
        .top({ ps_args: 'aux' })
        .catch(() => undefined)) as { Titles?: string[]; Processes?: string[][] } | undefined;
      if (top?.Titles) titles = top.Titles;
      rows.push(...(top?.Processes ?? []));
    }
    const shown = grep === undefined ? rows : rows.filter((row) => row.join(' ').includes(grep));
    const notes = [labNotesAtRuntime.hostView()];
    if (grep !== undefined && shown.length === 0) return output('', '', 1, notes);
    return output(grep === undefined ? formatTable([titles, ...shown]) : formatTable(shown), '', 0, notes);
  }

  private host(learnerId: string, command: HostCommand): Promise<LabOutcome> {
    switch (command.command) {
      case 'ps':
        return this.hostPs(learnerId, command.grep);
      case 'ns':
      case 'readlink':
        return this.hostNs(learnerId, command);
      case 'cgroup':
        return this.hostCgroup(learnerId, command);
    }
  }

  /** Host PID → full container id, for every process of the learner's running lab containers. */
  private async ownPids(learnerId: string): Promise<Map<number, string>> {
    const pids = new Map<number, string>();
    for (const info of await this.listOwn(learnerId, false)) {
      const container = this.docker.getContainer(info.Id);
      const top = (await container.top().catch(() => undefined)) as { Titles?: string[]; Processes?: string[][] } | undefined;
      const column = top?.Titles?.indexOf('PID') ?? -1;
      for (const row of top?.Processes ?? []) {
        const pid = Number(row[column]);
        if (column >= 0 && Number.isInteger(pid) && pid > 0) pids.set(pid, info.Id);
      }
      const main = await container.inspect().catch(() => undefined);
      if (main && main.State.Pid > 0) pids.set(main.State.Pid, info.Id);
    }
    return pids;
  }

  /** `ls [-l] /proc/PID/ns` and `readlink /proc/PID/ns/TYPE`, for the learner's own processes only. */
  private async hostNs(learnerId: string, command: Extract<HostCommand, { command: 'ns' | 'readlink' }>): Promise<LabOutcome> {
    const roots = this.opts.hostRoots ?? HOST_ROOTS;
    const { pid } = command;
    const path = command.command === 'ns' ? `/proc/${pid}/ns` : `/proc/${pid}/ns/${command.ns}`;
    const program = command.command === 'ns' ? 'ls' : 'readlink';
    const exitCode = command.command === 'ns' ? 2 : 1;
    const containerId = (await this.ownPids(learnerId)).get(pid);
    if (containerId === undefined) {
      return output('', `${program}: ${path}: not one of your lab containers' processes\n`, exitCode, [labNotesAtRuntime.notYourProcess(pid)]);
    }
    await this.touch(containerId);
    if (!(await procShowsContainer(roots, pid, containerId))) {
      return output('', `${program}: ${path}: the host's /proc is not visible from the lab's worker\n`, exitCode, [labNotesAtRuntime.procNotVisible(pid)]);
    }
    const source = await hostNamespaceSource(roots);
    if (command.command === 'readlink') {
      const link = await readNamespace(roots, pid, command.ns);
      if (!link) return output('', `readlink: ${path}: No such file or directory\n`, 1);
      const differs = link.host !== undefined && link.host !== link.target;
      const same = link.host !== undefined && link.host === link.target;
      return output(`${link.target}\n`, '', 0, [labNotesAtRuntime.hostNs(differs ? [command.ns] : [], same ? [command.ns] : [], source)]);
    }
    let links;
    try {
      links = await readNamespaces(roots, pid);
    } catch {
      return output('', `ls: cannot access '${path}': No such file or directory\n`, 2);
    }
    const main = links.filter((l) => !l.name.endsWith('_for_children') && l.host !== undefined);
    const differing = differingTypes(main);
    const shared = main.filter((l) => l.host === l.target).map((l) => l.name);
    return output(formatNsListing(links, command.long), '', 0, [labNotesAtRuntime.hostNs(differing, shared, source)]);
  }

  /** `cat` of a cgroup limit file of one of the learner's containers, read from this host's real file. */
  private async hostCgroup(learnerId: string, command: Extract<HostCommand, { command: 'cgroup' }>): Promise<LabOutcome> {
    const roots = this.opts.hostRoots ?? HOST_ROOTS;
    const own = await this.listOwn(learnerId);
    const exact = own.find((c) => c.Id === command.container);
    const matches = exact ? [exact] : own.filter((c) => c.Id.startsWith(command.container));
    const missing = `cat: ${command.path}: No such file or directory\n`;
    const info = matches.length === 1 ? matches[0] : undefined;
    if (!info) return output('', missing, 1, [labNotesAtRuntime.notYourContainer(command.container)]);
    await this.touch(info.Id);
    const read = await readCgroupLimit(roots, info.Id, { id: command.container, file: command.file, layout: command.layout });
    if (!read.ok) return output('', missing, 1, [labNotesAtRuntime.cgroupMissing()]);
    return output(`${read.value}\n`, '', 0, read.mapped ? [labNotesAtRuntime.cgroupMapped(command.path, read.version, read.realPaths)] : []);
  }

  // ---- stop / kill / rm ----------------------------------------------------------------------

  private async stopOrKill(learnerId: string, kind: 'stop' | 'kill', refs: readonly string[]): Promise<LabOutcome> {
    return this.eachOwn(learnerId, refs, async (ref, info) => {
      const container = this.docker.getContainer(info.Id);
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

  private async rm(learnerId: string, refs: readonly string[], force: boolean): Promise<LabOutcome> {
    return this.eachOwn(learnerId, refs, async (ref, info) => {
      const name = info.Labels?.[LAB_LABEL.name] ?? ref;
      if (!force && info.State === 'running') {
        return {
          stderr:
            `Error response from daemon: cannot remove container "/${name}": container is running: ` +
            'stop the container before removing or force remove\n',
        };
      }
      await this.removeNow(info.Id);
      return { stdout: `${ref}\n` };
    });
  }

  /** Acts on each named container of this learner in turn, as docker does: errors per name, exit 1 if any. */
  private async eachOwn(
    learnerId: string,
    refs: readonly string[],
    act: (ref: string, info: Info) => Promise<{ stdout?: string; stderr?: string }>,
  ): Promise<LabOutcome> {
    let stdout = '';
    let stderr = '';
    for (const ref of refs) {
      const found = await this.resolve(learnerId, ref);
      if (!found.ok) {
        stderr += found.message;
        continue;
      }
      const done = await act(ref, found.info);
      stdout += done.stdout ?? '';
      stderr += done.stderr ?? '';
    }
    return output(stdout, stderr, stderr === '' ? 0 : 1);
  }
}

/** The Engine's words when a container's command could not be executed (runc's "exec: ..."), else undefined. */
function startFailure(err: unknown): string | undefined {
  const status = statusOf(err);
  if (status !== 400 && status !== 500) return undefined;
  const json = (err as { json?: { message?: unknown } }).json;
  const message = typeof json?.message === 'string' ? json.message : describeError(err).replace(/^\(HTTP code \d+\) [a-z ]+ - /, '');
  return /exec: "/.test(message) ? message.trim() : undefined;
}

function unique(infos: Info[]): Info | 'ambiguous' | undefined {
  if (infos.length > 1) return 'ambiguous';
  return infos[0];
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

/**
 * A real subset of the Engine's inspect answer, as the learner would see it for their own container:
 * their name and image, their variables only, and the real state and limits.
 */
export function curateInspect(raw: Docker.ContainerInspectInfo): Record<string, unknown> {
  const labels = raw.Config.Labels ?? {};
  const envKeys = new Set((labels[LAB_LABEL.envKeys] ?? '').split(',').filter(Boolean));
  return {
    Id: raw.Id,
    Created: raw.Created,
    Path: raw.Path,
    Args: raw.Args,
    State: {
      Status: raw.State.Status,
      Running: raw.State.Running,
      Paused: raw.State.Paused,
      Restarting: raw.State.Restarting,
      OOMKilled: raw.State.OOMKilled,
      Dead: raw.State.Dead,
      Pid: raw.State.Pid,
      ExitCode: raw.State.ExitCode,
      Error: raw.State.Error,
      StartedAt: raw.State.StartedAt,
      FinishedAt: raw.State.FinishedAt,
    },
    Name: `/${labels[LAB_LABEL.name] ?? raw.Name.replace(/^\//, '')}`,
    RestartCount: raw.RestartCount,
    HostConfig: {
      Memory: raw.HostConfig.Memory,
      MemorySwap: raw.HostConfig.MemorySwap,
      NanoCpus: raw.HostConfig.NanoCpus,
      PidsLimit: raw.HostConfig.PidsLimit,
      NetworkMode: raw.HostConfig.NetworkMode,
      ReadonlyRootfs: raw.HostConfig.ReadonlyRootfs,
      CapDrop: raw.HostConfig.CapDrop,
      AutoRemove: raw.HostConfig.AutoRemove,
    },
    Config: {
      Hostname: raw.Config.Hostname,
      User: raw.Config.User,
      Env: (raw.Config.Env ?? []).filter((entry) => envKeys.has(entry.slice(0, entry.indexOf('=')))),
      Cmd: raw.Config.Cmd,
      Image: labels[LAB_LABEL.image] ?? raw.Config.Image,
      WorkingDir: raw.Config.WorkingDir,
    },
  };
}

/** docker stats' CPU %, MEM USAGE / LIMIT, MEM % and PIDS cells, computed as the CLI computes them. */
export function statsCells(s: Docker.ContainerStats | undefined): string[] {
  if (!s) return ['0.00%', '0B / 0B', '0.00%', '0'];
  const cpuDelta = (s.cpu_stats?.cpu_usage?.total_usage ?? 0) - (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (s.cpu_stats?.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
  const online = s.cpu_stats?.online_cpus || s.cpu_stats?.cpu_usage?.percpu_usage?.length || 1;
  const cpu = cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * online * 100 : 0;
  const mem = s.memory_stats ?? {};
  const memStats = (mem.stats ?? {}) as Record<string, number | undefined>;
  const usage = mem.usage ?? 0;
  // cgroup v1 subtracts total_inactive_file, v2 inactive_file: the page cache docker does not count.
  const cache = memStats.total_inactive_file ?? memStats.inactive_file ?? 0;
  const used = cache < usage ? usage - cache : usage;
  const limit = mem.limit ?? 0;
  const memPercent = limit > 0 ? (used / limit) * 100 : 0;
  return [`${cpu.toFixed(2)}%`, `${bytesSize(used)} / ${bytesSize(limit)}`, `${memPercent.toFixed(2)}%`, String(s.pids_stats?.current ?? 0)];
}

function drain(stream: Duplex, captured: CappedOutput): Promise<void> {
  const demux = new FrameDemuxer((which, payload) => captured.push(which, payload));
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => demux.push(chunk));
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
}

export interface ReapLabsOptions {
  docker: Docker;
  redis: Redis;
  prefix: string;
  log: Logger;
  /** How young a container may be and keep a missing idle key (it is set just after create). */
  graceMs?: number;
}

/**
 * Removes this app's lab containers past their hard lifetime (`sensei.expires`) or whose idle key has
 * expired. Call it from the sandbox reaper's pass. Returns how many it removed.
 */
export async function reapLabs(opts: ReapLabsOptions): Promise<number> {
  const list = await opts.docker.listContainers({
    all: true,
    filters: { label: [`${LABEL.app}=${opts.prefix}`, `${LABEL.kind}=${LAB_KIND}`] },
  });
  let removed = 0;
  const now = Date.now();
  for (const info of list) {
    const expires = Number(info.Labels?.[LABEL.expires] ?? 0);
    let reason: string | undefined;
    if (!expires || expires < now) reason = 'past its lifetime';
    else if (info.Created * 1000 < now - (opts.graceMs ?? LAB_REAP_GRACE_MS) && !(await opts.redis.exists(labIdleKey(opts.prefix, info.Id)))) {
      reason = 'idle past its TTL';
    }
    if (!reason) continue;
    opts.log.debug(`reaping lab ${info.Id.slice(0, 12)}: ${reason}`);
    try {
      await opts.docker.getContainer(info.Id).remove({ force: true, v: true });
      removed += 1;
    } catch (err) {
      const status = statusOf(err);
      if (status !== 404 && status !== 409) opts.log.warn('could not remove a lab container', describeError(err));
    }
    await opts.redis.del(labIdleKey(opts.prefix, info.Id));
  }
  return removed;
}
