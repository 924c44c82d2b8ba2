import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import { sandboxLimits, type Config } from '../config.js';
import type { Logger } from '../log.js';
import { redisKeys, settleWithin, type RedisKeys } from '../store/redis.js';
import { checkEngine, isEngineFault, removeQuietly, statusOf, type EngineFacts } from './docker-client.js';
import type { EngineWatch } from './engine-watch.js';
import { WarmPool } from './pool.js';
import { AFTER_ANSWER_MS, execInContainer, killLearnerProcesses, oneShotsRemoved, OUTSIDE_KILL_GRACE_MS, runInNewContainer, startKeeperContainer, type ExecOutcome, type RunnerContext } from './runner.js';
import { SessionCleanups } from './session-cleanup.js';
import { SessionStore, type OpenSession } from './session-store.js';
import { readFileSync } from 'node:fs';
import { describeError, SandboxUnavailableError, sandboxProfiles, type ExecutionMode, type RunResult, type SandboxProfile } from './types.js';

export interface SandboxRun {
  result: RunResult;
  /** For session mode: whether this command started a new session container. */
  newSession?: boolean;
  /** The learner's session container had died (an engine restart): the new one starts without their files. */
  sessionLost?: boolean;
}

/** Which job a run belongs to, so a re-run after a dead worker first removes what the first run left. */
export interface RunJob {
  jobId: string;
  rerun: boolean;
  /** The queue's start check (see JobContext.started): the command starts only once it resolves. */
  started?: Promise<void>;
}

/** How long a job's container stays recorded: past any re-run of the job. */
const JOB_CONTAINER_TTL_MS = 10 * 60_000;
/** A close waits at most this long for each Redis step, so a worker told to stop while Redis is down still exits. */
const CLOSE_REDIS_MS = 2_000;

/** The session's record names another container than the one this worker last saw it in. */
class NotTheSessionsContainer extends Error {}

export interface SandboxOptions {
  config: Config;
  docker: Docker;
  redis: Redis;
  workerId: string;
  log: Logger;
  poolSize?: number;
  /** End the sessions this instance started when it closes (the CLI's in-process worker does). */
  endSessionsOnClose?: boolean;
  /** The engine's event stream: engine restarts become infrastructure faults, and dead pool containers leave at once. */
  watch?: EngineWatch;
}

/**
 * Everything about running learners' commands in containers: one-shot and session modes, the warm
 * pool and this worker's liveness mark (the reaper, src/worker/reaper.ts, reads it). Other layers only
 * call run() and endSession().
 */
export class Sandbox {
  private readonly ctx: RunnerContext;
  private readonly keys: RedisKeys;
  private readonly pool: WarmPool;
  private readonly cleanups: SessionCleanups;
  private readonly sessions: SessionStore;
  private readonly removals = new Set<Promise<unknown>>();
  /** Refills and removals that wait until the command's answer is on its way (afterAnswer). */
  private readonly housekeeping = new Map<NodeJS.Timeout, () => void>();
  private readonly mySessions = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private closing = false;
  private active = 0;

  private constructor(
    private readonly opts: SandboxOptions,
    readonly engine: EngineFacts,
  ) {
    const { config } = opts;
    this.ctx = {
      docker: opts.docker,
      image: config.SANDBOX_IMAGE,
      limits: sandboxLimits(config),
      app: config.SENSEI_PREFIX,
      workerId: opts.workerId,
      seccomp: seccompProfiles(config),
      log: opts.log,
      ...(opts.watch ? { watch: opts.watch } : {}),
    };
    this.keys = redisKeys(config.SENSEI_PREFIX);
    this.cleanups = new SessionCleanups(opts.redis, this.keys, this.ctx.limits.timeoutMs + OUTSIDE_KILL_GRACE_MS + 5_000);
    this.sessions = new SessionStore(opts.redis, this.keys, config, engine.engineId, this.ctx.limits.timeoutMs);
    const poolSize = opts.poolSize ?? config.POOL_SIZE;
    // Refills use idle time only: back to back, a cold run costs the engine less than an exec plus a replacement.
    this.pool = new WarmPool(this.ctx, poolSize, config.SESSION_MAX_LIFETIME_MS, () => this.active === 0);
  }

  /** Checks the engine and image (refusing clearly when either is missing), then starts the pool. */
  static async open(opts: SandboxOptions): Promise<Sandbox> {
    const engine = await checkEngine(opts.docker, opts.config.SANDBOX_IMAGE);
    const sandbox = new Sandbox(opts, engine);
    await sandbox.heartbeat();
    sandbox.timers.push(setInterval(() => void sandbox.heartbeat(), Math.floor(opts.config.WORKER_LOCK_MS / 3)));
    // After an engine restart every warm container is dead: drop them now rather than on the next take.
    opts.watch?.whenLost(() => sandbox.pool.dropAll());
    opts.watch?.whenDies((id) => sandbox.pool.drop(id));
    opts.watch?.whenBack(() => sandbox.pool.engineBack());
    sandbox.pool.start();
    return sandbox;
  }

  get limits() {
    return this.ctx.limits;
  }

  get warmCount(): number {
    return this.pool.readyCount;
  }

  whenPoolFull(timeoutMs?: number): Promise<void> {
    return this.pool.whenFull(timeoutMs);
  }

  /** Resolves when the pool is full and no removal or session clean-up is pending: the state between a learner's commands. */
  async whenIdle(timeoutMs?: number): Promise<void> {
    await this.cleanups.drain();
    await Promise.allSettled([...this.removals]);
    await this.pool.whenFull(timeoutMs);
  }

  async run(learnerId: string, command: string, mode: ExecutionMode, profile: SandboxProfile = 'default', job?: RunJob): Promise<SandboxRun> {
    this.active += 1;
    try {
      if (mode === 'session') return await this.runInSession(learnerId, command, profile, job);
      if (job?.rerun) await this.removeJobContainer(job.jobId);
      return { result: await this.runOneShot(learnerId, command, profile, job) };
    } catch (err) {
      if (err instanceof SandboxUnavailableError) throw err;
      if (isEngineFault(err)) throw new SandboxUnavailableError(`The Docker engine failed: ${describeError(err)}`);
      throw err;
    } finally {
      this.active -= 1;
      this.afterAnswer(() => this.pool.nudge());
    }
  }

  private async runOneShot(learnerId: string, command: string, profile: SandboxProfile, job?: RunJob): Promise<RunResult> {
    // Pooled containers run under the default profile; other profiles start their own container.
    const warm = profile === 'default' ? this.pool.take() : undefined;
    if (warm) {
      try {
        // Recorded (and the start checked) while the exec is created; the command starts only once both are done.
        const outcome = await execInContainer(this.ctx, warm.container, command, 'discard', this.recordJobContainer(job, warm.container.id));
        return outcome.result;
      } catch (err) {
        // A pooled container that died while waiting (engine restart, removed by hand): go cold instead.
        const status = statusOf(err);
        if (status !== 404 && status !== 409) throw err;
      } finally {
        this.removeAfterAnswer(warm.container);
      }
    }
    // The engine removes the container itself once it has exited (AutoRemove).
    return (await runInNewContainer(this.ctx, learnerId, command, profile, (id) => this.recordJobContainer(job, id))).result;
  }

  /** Remembers which container a job runs in, for a re-run after this worker dies; resolves once the job's start is checked too. */
  private async recordJobContainer(job: RunJob | undefined, containerId: string): Promise<void> {
    if (job) await Promise.all([this.opts.redis.set(this.keys.jobContainer(job.jobId), containerId, 'PX', JOB_CONTAINER_TTL_MS), job.started]);
  }

  /** A re-run first makes sure the first run's container is gone, so the command never runs twice at once. */
  private async removeJobContainer(jobId: string): Promise<void> {
    const id = await this.opts.redis.get(this.keys.jobContainer(jobId));
    if (!id) return;
    const container = this.ctx.docker.getContainer(id);
    await this.removeNow(container);
    // The engine may have been removing it already (AutoRemove: a 409 above); wait (10 s at most) until it is gone.
    await settleWithin(container.wait({ condition: 'removed' }).catch(() => undefined), 10_000);
  }

  private async runInSession(learnerId: string, command: string, profile: SandboxProfile, job?: RunJob): Promise<SandboxRun> {
    // A learner has one session container per profile; the default one is the learner's own id.
    const sessionId = sessionIdOf(learnerId, profile);
    // The session's record is read (and this command's clean-up marked) in one round trip...
    const marker = this.cleanups.newMarker();
    const opened = this.sessions.open(sessionId, marker, this.cleanups.markerTtlMs);
    opened.catch(() => {}); // Awaited below (or by the exec's start).
    let sessionLost = false;
    // ...while the exec is created in the container this worker last saw the session in: the record decides.
    const guess = this.sessions.lastSeenContainer(sessionId);
    if (guess) {
      const confirmed = opened.then(({ session }) => {
        if (session?.containerId !== guess) throw new NotTheSessionsContainer();
        return session;
      });
      try {
        const result = await this.execInSession(sessionId, guess, command, confirmed, opened, marker, job);
        if (result) return { result, newSession: false };
        sessionLost = (await opened).session?.containerId === guess;
        if (sessionLost) await this.forgetSession(sessionId, guess);
      } catch (err) {
        if (!(err instanceof NotTheSessionsContainer)) throw err;
      }
    }
    const { session, stale } = await opened;
    if (stale) await this.forgetSession(sessionId, stale.containerId, stale.onThisEngine);
    if (session && session.containerId !== guess) {
      const result = await this.execInSession(sessionId, session.containerId, command, Promise.resolve(session), opened, marker, job);
      if (result) return { result, newSession: false };
      await this.forgetSession(sessionId, session.containerId);
      sessionLost = true;
    }
    await job?.started; // A session is started only for a job someone still waits for.
    for (let attempt = 1; ; attempt++) {
      const { containerId, container } = await this.startSession(sessionId, profile);
      try {
        const marked = this.cleanups.mark(sessionId, marker);
        const outcome = await execInContainer(this.ctx, container, command, 'keep', Promise.all([marked, job?.started]));
        await this.afterSessionExec(sessionId, containerId, outcome, marked, marker);
        return { result: outcome.result, newSession: true, ...(sessionLost ? { sessionLost } : {}) };
      } catch (err) {
        // A pooled container that died while waiting: drop it and start the session once more.
        const status = statusOf(err);
        if ((status !== 404 && status !== 409) || attempt >= 2) throw err;
        await this.forgetSession(sessionId, containerId);
      }
    }
  }

  /**
   * A command in the session's running container, once `ready` (the session as read) resolves: what the last
   * command left running goes first. Undefined when the container is gone (404) or not running (409).
   */
  private async execInSession(
    sessionId: string,
    containerId: string,
    command: string,
    ready: Promise<OpenSession>,
    marked: Promise<unknown>,
    marker: string,
    job: RunJob | undefined,
  ): Promise<RunResult | undefined> {
    const container = this.ctx.docker.getContainer(containerId);
    const startable = ready.then(async (session) => {
      await this.cleanups.settle(sessionId, container, session.cleanupMarked);
      // A re-run after a dead worker: the first run's processes go first, so the command never runs twice at once.
      if (job?.rerun) await killLearnerProcesses(container).catch(() => {});
      await job?.started;
    });
    try {
      const outcome = await execInContainer(this.ctx, container, command, 'keep', startable);
      await this.afterSessionExec(sessionId, containerId, outcome, marked, marker);
      // A session this process used ends with it too (a console restarted after a crash picks up its old one).
      this.mySessions.add(sessionId);
      return outcome.result;
    } catch (err) {
      const status = statusOf(err);
      if (status !== 404 && status !== 409) throw err;
      return undefined;
    }
  }

  private async startSession(sessionId: string, profile: SandboxProfile): Promise<{ containerId: string; container: Docker.Container }> {
    const { config } = this.opts;
    await this.sessions.reserve(sessionId);
    const warm = profile === 'default' ? this.pool.take() : undefined;
    const container = warm?.container ?? (await startKeeperContainer(this.ctx, config.SESSION_MAX_LIFETIME_MS, profile));
    const expiresAt = warm?.expiresAt ?? Date.now() + config.SESSION_MAX_LIFETIME_MS;
    try {
      await this.sessions.save(sessionId, { containerId: container.id, engineId: this.engine.engineId, expiresAt });
    } catch (err) {
      await this.removeNow(container);
      await this.sessions.unreserve(sessionId).catch(() => {});
      throw new SandboxUnavailableError(`Redis failed while starting a session: ${describeError(err)}`);
    }
    this.mySessions.add(sessionId);
    return { containerId: container.id, container };
  }

  private async afterSessionExec(sessionId: string, containerId: string, outcome: ExecOutcome, marked: Promise<unknown>, marker: string): Promise<void> {
    if (outcome.containerKilled) {
      await this.forgetSession(sessionId, containerId);
      return;
    }
    // The clean-up runs on after the reply; its marker goes once it is done.
    this.cleanups.track(sessionId, outcome.cleanedUp, marked, marker);
    // Off the reply's path: the session's keys already outlive the command (SessionStore.open); this only shortens
    // them to the idle time again. Sent before the reply, on this connection, so it lands before a next command.
    void this.sessions.refreshIdle(sessionId, containerId).catch((err) => this.opts.log.warn("could not refresh a session's idle time", describeError(err)));
  }

  /** Ends a learner's sessions (every profile): their containers are removed and their keys deleted. */
  async endSession(learnerId: string): Promise<boolean> {
    let ended = false;
    for (const profile of sandboxProfiles) {
      const sessionId = sessionIdOf(learnerId, profile);
      const rec = await this.sessions.containerOf(sessionId);
      if (!rec) continue;
      await this.forgetSession(sessionId, rec.containerId, rec.onThisEngine);
      ended = true;
    }
    return ended;
  }

  private async forgetSession(sessionId: string, containerId: string, removeContainer = true): Promise<void> {
    await this.sessions.forget(sessionId, containerId);
    this.mySessions.delete(sessionId);
    if (removeContainer) await this.removeNow(this.ctx.docker.getContainer(containerId));
  }

  private async heartbeat(): Promise<void> {
    if (this.closing) return;
    await this.opts.redis
      .set(this.keys.workerAlive(this.ctx.workerId), String(Date.now()), 'PX', this.opts.config.WORKER_LOCK_MS)
      .catch((err) => this.opts.log.warn('could not refresh the worker liveness mark', describeError(err)));
  }

  /** Starting or removing a container costs far more than an exec: it waits until the answer is on its way. */
  private afterAnswer(task: () => void): void {
    const timer = setTimeout(() => {
      this.housekeeping.delete(timer);
      task();
    }, AFTER_ANSWER_MS);
    this.housekeeping.set(timer, task);
  }

  /** Removes a used container once its command has answered; whenIdle() and close() wait for the removal. */
  private removeAfterAnswer(container: Docker.Container): void {
    let due!: () => void;
    const p: Promise<unknown> = new Promise<void>((resolve) => (due = resolve))
      .then(() => this.removeNow(container))
      .finally(() => this.removals.delete(p));
    this.removals.add(p);
    this.afterAnswer(due);
  }

  private async removeNow(container: Docker.Container): Promise<void> {
    await removeQuietly(container).catch((err) => this.opts.log.warn('could not remove a sandbox container', describeError(err)));
  }

  /**
   * Stops the pool, finishes pending removals (and the engine's of one-shots) and (when asked) ends the sessions
   * it started. Bounded even while Redis is down: the pool's containers go whatever Redis does.
   */
  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.timers) clearInterval(t);
    await this.pool.drain();
    for (const [timer, task] of this.housekeeping) {
      clearTimeout(timer);
      task();
    }
    this.housekeeping.clear();
    await this.cleanups.drain();
    if (this.opts.endSessionsOnClose) {
      await settleWithin(Promise.allSettled([...this.mySessions].map((id) => this.endSession(id.split('#')[0]!))), CLOSE_REDIS_MS * 5);
    }
    await Promise.allSettled([...this.removals, oneShotsRemoved(this.ctx)]);
    await settleWithin(this.opts.redis.del(this.keys.workerAlive(this.ctx.workerId)), CLOSE_REDIS_MS);
  }
}

function sessionIdOf(learnerId: string, profile: SandboxProfile): string {
  return profile === 'default' ? learnerId : `${learnerId}#${profile}`;
}

/** Seccomp profile JSON per sandbox profile, read once; a file that is missing or not JSON stops start-up. */
export function seccompProfiles(config: Config): Partial<Record<SandboxProfile, string>> {
  const read = (path: string, what: string) => {
    try {
      return JSON.stringify(JSON.parse(readFileSync(path, 'utf8')));
    } catch (err) {
      throw new SandboxUnavailableError(`${what} ${path} cannot be read as JSON: ${(err as Error).message}`);
    }
  };
  const base = config.SANDBOX_SECCOMP_PROFILE ? read(config.SANDBOX_SECCOMP_PROFILE, 'SANDBOX_SECCOMP_PROFILE') : undefined;
  const userns = config.SANDBOX_USERNS_STEPS ? read(config.SANDBOX_USERNS_PROFILE, 'SANDBOX_USERNS_PROFILE') : base;
  return { ...(base ? { default: base } : {}), ...(userns ? { userns } : {}) };
}
