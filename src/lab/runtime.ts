// The lab's runtime: carries a parsed LabCommand out on the learner's own lab containers and answers the
// way the docker CLI would. This file is the containers' lifecycle (run, exec, stop, kill, rm); the
// read-only answers are in docker-views.ts and host-view.ts, the lookups in own-containers.ts.
import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import type { SandboxLimits } from '../config.js';
import type { Logger } from '../log.js';
import { isEngineFault, statusOf } from '../sandbox/docker-client.js';
import type { EngineWatch } from '../sandbox/engine-watch.js';
import { killLearnerProcesses } from '../sandbox/runner.js';
import { describeError, learnerIdSchema, SandboxUnavailableError, type RunResult } from '../sandbox/types.js';
import { takeLabNotices } from './budget.js';
import { LabCapacity, type LabCapacityLimits } from './capacity.js';
import type { LabCommand, LabExecCommand } from './command.js';
import { ImageExecutables, SHELL_EXIT } from './container-log.js';
import { KEEPER_USER } from '../sandbox/spec.js';
import { dockerInspect, dockerLogs, dockerPs, dockerStats, dockerTop, keepLogsBeforeStop } from './docker-views.js';
import { execInLab, type LabExecResult } from './lab-exec.js';
import { answerHostCommand, HOST_ROOTS, type HostRoots } from './host-view.js';
import { labNote, type LabNote } from './notes.js';
import { capLabOutcome, labOutcome, noSuchContainer, notRunning, outOfTime, type LabFlags, type LabOutcome } from './outcome.js';
import { LAB_LABEL, labContext, LearnerContainers, type Info, type LabContext } from './own-containers.js';
import { flagNotes, labRun, type LabRunDeps } from './run.js';

export type { LabOutcome } from './outcome.js';

/** `docker stop`'s default grace period between SIGTERM and SIGKILL, in seconds. */
export const STOP_GRACE_S = 10;

export { isRootUser, LAB_LOG_CONFIG } from './run.js';

/** How a lab command is carried out for one job: when it must stop, and whether it ran before. */
export interface LabExecution {
  /** Aborted at the job's deadline: the answer is what was gathered so far, marked timed out. */
  signal?: AbortSignal;
  jobId?: string;
  /** The job ran before on a worker that died: what that run left goes first. */
  rerun?: boolean;
}

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
  /** The engine's share for the lab: running containers and committed memory and CPUs. */
  capacity?: Partial<LabCapacityLimits>;
  /** Tells an engine restart from a learner's own result. */
  watch?: EngineWatch;
}

/**
 * Each learner's lab: real, hardened containers they create and poke at with the docker commands of the
 * lessons. Learners know their containers by the names they gave; the Engine knows them by a name
 * unique across learners, and every lookup is limited to the learner's own containers.
 */
export class LabManager {
  private readonly ctx: LabContext;
  private readonly runDeps: LabRunDeps;
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
    const workerId = opts.workerId ?? 'lab';
    this.runDeps = {
      image: opts.image,
      limits: opts.limits,
      workerId,
      maxRunning: opts.maxRunningPerLearner ?? 3,
      maxContainers: opts.maxContainersPerLearner ?? 10,
      maxLifetimeMs: opts.maxLifetimeMs ?? 2 * 3_600_000,
      capacity: new LabCapacity(opts.docker, opts.prefix, { maxContainers: 30, maxMemoryBytes: 0, maxCpus: 0, ...opts.capacity }),
      executables: ImageExecutables.of(opts.docker, opts.image),
      ...(opts.seccompProfile ? { seccompProfile: opts.seccompProfile } : {}),
      ...(opts.watch ? { watch: opts.watch } : {}),
    };
  }

  /** What the lab's running containers hold on this engine, against its capacity (for `sensei doctor`). */
  usage() {
    return this.runDeps.capacity.usage();
  }

  /** Runs one lab command for a learner. Docker-level failures of the learner's making are output, as docker prints them. */
  execute(learnerId: string, command: LabCommand, how: LabExecution = {}): Promise<LabOutcome> {
    learnerIdSchema.parse(learnerId);
    return this.serially(learnerId, async () => {
      try {
        const own = new LearnerContainers(this.ctx, learnerId, how.signal);
        const outcome = await this.dispatch(own, command, how);
        // What the lab did to the learner's containers meanwhile (a CPU budget spent) is said now.
        const notices = await takeLabNotices(this.ctx.redis, this.ctx.prefix, learnerId);
        return capLabOutcome(notices.length > 0 ? { ...outcome, notes: [...outcome.notes, ...notices] } : outcome, this.opts.limits.outputBytes);
      } catch (err) {
        if (err instanceof SandboxUnavailableError) throw err;
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

  private dispatch(own: LearnerContainers, command: LabCommand, how: LabExecution): Promise<LabOutcome> {
    const job = how.jobId ? { jobId: how.jobId, rerun: how.rerun ?? false } : undefined;
    switch (command.kind) {
      case 'run':
        return labRun(this.runDeps, own, command, job);
      case 'exec':
        return this.exec(own, command, how.rerun ?? false);
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
        return command.leaving ? this.leaveShell(own, command.containers) : this.stopOrKill(own, command.kind, command.containers);
      case 'kill':
        return this.stopOrKill(own, command.kind, command.containers);
      case 'rm':
        return this.rm(own, command.containers, command.force);
      case 'host':
        return answerHostCommand(own, command);
    }
  }

  // ---- exec ----------------------------------------------------------------------------------

  private async exec(own: LearnerContainers, command: LabExecCommand, rerun: boolean): Promise<LabOutcome> {
    const found = await own.resolve(command.container);
    if (!found.ok) return labOutcome('', found.message, 1);
    if (found.info.State !== 'running') return stoppedOutcome(found.info, command.container);
    // A re-run after a dead worker: the first run's processes go first, so the command never runs twice at once.
    if (rerun) await killLearnerProcesses(this.ctx.docker.getContainer(found.info.Id)).catch(() => {});
    const argv = command.env.length > 0 ? ['env', ...command.env.map((e) => `${e.key}=${e.value}`), ...command.args] : command.args;
    const notes: LabNote[] = command.opensShell ? [labNote('no-interactive-shell')] : [];
    let result: LabExecResult;
    try {
      result = await execInLab(this.ctx.docker.getContainer(found.info.Id), argv, { limits: this.opts.limits });
    } catch (err) {
      const status = statusOf(err);
      if (status === 404) return labOutcome('', noSuchContainer(command.container), 1);
      if (status === 409) return stoppedOutcome(found.info, command.container);
      throw err;
    }
    // Idle time counts from the end of the last use.
    await own.touch(found.info.Id);
    const flags: LabFlags = { timedOut: result.timedOut, oomKilled: !result.timedOut && result.oomKilled, truncated: result.truncated };
    notes.push(...flagNotes(this.opts.limits, flags), ...zombieNotes(result.stdout));
    if (result.pidsFull) notes.push(labNote('pids-full'));
    return labOutcome(result.stdout, result.stderr, result.exitCode ?? 137, notes, flags);
  }

  // ---- stop / kill / rm ----------------------------------------------------------------------

  private async stopOrKill(own: LearnerContainers, kind: 'stop' | 'kill', refs: readonly string[]): Promise<LabOutcome> {
    return eachOwn(own, refs, async (ref, info) => {
      const container = own.docker.getContainer(info.Id);
      await keepLogsBeforeStop(own, info);
      try {
        if (kind === 'kill') {
          await container.kill();
          return { stdout: `${ref}\n` };
        }
        // docker's own grace period: a PID 1 that ignores SIGTERM (a bare `sleep`) is killed after it, as on a laptop.
        const asked = Date.now();
        await container.stop({ t: STOP_GRACE_S });
        const waited = Date.now() - asked >= STOP_GRACE_S * 1000 - 500;
        const exitCode = waited ? (await container.inspect().catch(() => undefined))?.State?.ExitCode : undefined;
        const name = info.Labels?.[LAB_LABEL.name] ?? ref;
        return { stdout: `${ref}\n`, ...(exitCode === 137 ? { notes: [labNote('stop-waited', { name, seconds: STOP_GRACE_S })] } : {}) };
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

  /** The chat's `exit` from a shell `docker run -it` started: `exit` goes to the shell's stdin and it ends with code 0 (--rm removes it). */
  private async leaveShell(own: LearnerContainers, refs: readonly string[]): Promise<LabOutcome> {
    return eachOwn(own, refs, async (ref, info) => {
      const container = own.docker.getContainer(info.Id);
      if (info.State !== 'running' || !info.Labels?.[LAB_LABEL.heldShell]) return {};
      const autoRemove = Boolean((await container.inspect()).HostConfig?.AutoRemove);
      // With --rm, the next `docker ps -a` must not find it half-removed.
      const ended = container.wait({ condition: autoRemove ? 'removed' : 'not-running' }).catch(() => undefined);
      await execInLab(container, SHELL_EXIT, { limits: this.opts.limits, user: KEEPER_USER });
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((r) => (timer = setTimeout(() => r(false), 5_000)));
      const done = await Promise.race([ended.then(() => true as const), late]);
      clearTimeout(timer);
      // A shell that does not read its stdin any more (busy in a loop) is stopped as docker stop would.
      if (!done) await container.stop({ t: STOP_GRACE_S }).catch(() => {});
      return { stdout: `${ref}\n` };
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
  act: (ref: string, info: Info) => Promise<{ stdout?: string; stderr?: string; notes?: LabNote[] }>,
): Promise<LabOutcome> {
  let stdout = '';
  let stderr = '';
  const notes: LabNote[] = [];
  for (const ref of refs) {
    if (own.outOfTime) return outOfTime(own, stdout, stderr);
    const found = await own.resolve(ref);
    if (!found.ok) {
      stderr += found.message;
      continue;
    }
    const done = await act(ref, found.info);
    stdout += done.stdout ?? '';
    stderr += done.stderr ?? '';
    notes.push(...(done.notes ?? []));
  }
  return labOutcome(stdout, stderr, stderr === '' ? 0 : 1, notes);
}

/** Zombies in a listing with no init in it: PID 1 is the learner's command, which does not reap them (as on a laptop). */
function zombieNotes(stdout: string): LabNote[] {
  const count = stdout.split('\n').filter((l) => /<defunct>\s*$/.test(l)).length;
  return count > 0 && !/docker-init/.test(stdout) ? [labNote('zombies', { count })] : [];
}

/** docker's "is not running", with the tutor's note on how to get the container running again. */
function stoppedOutcome(info: Info, ref: string): LabOutcome {
  const exitCode = /\((\d+)\)/.exec(info.Status)?.[1];
  const name = info.Labels?.[LAB_LABEL.name] ?? ref;
  return labOutcome('', notRunning(info.Id), 1, [labNote('container-stopped', { name, exitCode: Number(exitCode ?? 0) })]);
}
