import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import type { SandboxLimits } from '../config.js';
import type { Logger } from '../log.js';
import { isNoSuchImage, removeQuietly } from './docker-client.js';
import { looksLikeEngineFailure, type EngineWatch } from './engine-watch.js';
import { CappedOutput, drainFrames } from './output.js';
import { hardenedContainerSpec, KEEPER_USER, LABEL, LEARNER_HOME, LEARNER_USER, SANDBOX_ENV, type ContainerKind } from './spec.js';
import { SandboxImageMissingError, SandboxUnavailableError, type RunResult, type SandboxProfile } from './types.js';
import { splitTrailer, wrapCommand } from './wrapper.js';

/**
 * The wall-clock limit is enforced from here, not in the sandbox: at the limit a one-shot's container is killed,
 * a session's learner processes are (an exec of KILL_LEARNER_PROCESSES). If a session's command still has not
 * ended this long after that, its container is killed too.
 */
export const OUTSIDE_KILL_GRACE_MS = 2_500;

/**
 * How long work that costs the engine (a session's clean-up exec, a pool refill, a used container's removal) waits
 * after a command's output ended: by then its answer is on its way (a few ms), and runc starting a process no longer
 * takes the same two cores from it. A session's clean-up may wait: the wrapper has already killed what the line left
 * unless the line killed the wrapper, and the next command waits for the clean-up.
 */
export const AFTER_ANSWER_MS = 30;
const afterTheReply = () => new Promise<void>((resolve) => setTimeout(resolve, AFTER_ANSWER_MS));

export interface RunnerContext {
  docker: Docker;
  image: string;
  limits: SandboxLimits;
  app: string;
  workerId: string;
  /** Seccomp profile JSON per sandbox profile; undefined means Docker's default. */
  seccomp: Partial<Record<SandboxProfile, string>>;
  log: Logger;
  /** Tells an engine restart from the learner's own result; without it, every result is the learner's. */
  watch?: EngineWatch;
}

export interface ExecOutcome {
  result: RunResult;
  /** The container had to be killed from outside; a session living in it is gone. */
  containerKilled: boolean;
  /**
   * For a kept container: the clean-up after the command, still running when the result is ready (it is off the
   * reply's path). Never rejects: a clean-up that fails kills the container.
   */
  cleanedUp: Promise<void>;
}

/** Creates (does not start) a container of our own with the hardened spec. */
export async function createSandboxContainer(
  ctx: RunnerContext,
  opts: { kind: ContainerKind; learnerId: string; cmd: string[]; user: string; lifetimeMs: number; profile?: SandboxProfile; autoRemove?: boolean },
): Promise<Docker.Container> {
  const seccompProfile = ctx.seccomp[opts.profile ?? 'default'];
  return createOrSayImageMissing(ctx.docker, ctx.image, 
    hardenedContainerSpec({
      image: ctx.image,
      limits: ctx.limits,
      cmd: opts.cmd,
      user: opts.user,
      ...(seccompProfile ? { seccompProfile } : {}),
      autoRemove: opts.autoRemove ?? false,
      labels: {
        app: ctx.app,
        workerId: ctx.workerId,
        learnerId: opts.learnerId,
        kind: opts.kind,
        expiresAt: Date.now() + opts.lifetimeMs,
      },
    }),
  );
}

/** Creates a container; an image that went missing is said plainly, once, with how to build it. */
export async function createOrSayImageMissing(docker: Docker, image: string, spec: Docker.ContainerCreateOptions): Promise<Docker.Container> {
  try {
    return await docker.createContainer(spec);
  } catch (err) {
    if (isNoSuchImage(err)) throw new SandboxImageMissingError(image);
    throw err;
  }
}

/** A container that idles under the keeper uid until commands are exec'd into it (pool and sessions). */
export async function startKeeperContainer(ctx: RunnerContext, lifetimeMs: number, profile: SandboxProfile = 'default'): Promise<Docker.Container> {
  const container = await createSandboxContainer(ctx, {
    kind: 'pool',
    learnerId: '',
    cmd: ['sleep', 'infinity'],
    user: KEEPER_USER,
    lifetimeMs,
    profile,
  });
  try {
    await container.start();
  } catch (err) {
    await removeQuietly(container).catch(() => {});
    throw err;
  }
  return container;
}

/** A container's output, attached to and capped; `kill()` (also called on overflow) kills the container. */
export interface AttachedOutput {
  stream: Duplex;
  output: CappedOutput;
  kill(): void;
  /** Whether kill() was called, by the caller or by an overflow. */
  readonly killed: boolean;
}

/** Attaches to a created container's output; do it before start, or a fast command's output can be missed. */
export async function attachCapped(container: Docker.Container, outputBytes: number): Promise<AttachedOutput> {
  const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as unknown as Duplex;
  let killed = false;
  const kill = () => {
    killed = true;
    container.kill().catch(() => {});
  };
  return {
    stream,
    output: new CappedOutput(outputBytes, kill),
    kill,
    get killed() {
      return killed;
    },
  };
}

/**
 * One-shot without the pool: a brand-new container whose main process is the wrapped command. The engine
 * removes it once it has exited (AutoRemove), so the run costs create, attach and start, and nothing after.
 */
export async function runInNewContainer(
  ctx: RunnerContext,
  learnerId: string,
  command: string,
  profile: SandboxProfile = 'default',
  /** Told the container's id before it starts (a re-run of the job removes it first). */
  created: (containerId: string) => Promise<void> = async () => {},
): Promise<ExecOutcome> {
  const { limits } = ctx;
  const wrapped = wrapCommand(command);
  const container = await createSandboxContainer(ctx, {
    kind: 'oneshot',
    learnerId,
    cmd: wrapped.argv,
    user: LEARNER_USER,
    lifetimeMs: limits.timeoutMs + 60_000,
    profile,
    // Removed by us once its exit status is read: with AutoRemove a fork bomb that starves the wrapper of its
    // trailer left no status to read (the container was gone).
    autoRemove: false,
  });
  try {
    // Attach before start, or a fast command's output can be missed.
    await created(container.id);
    const attached = await attachCapped(container, limits.outputBytes);
    const { stream, output, kill } = attached;
    const started = Date.now();
    const epoch = ctx.watch?.epoch;
    await container.start();
    let timeUp = false;
    const timer = setTimeout(() => {
      timeUp = true;
      kill();
    }, limits.timeoutMs);
    try {
      await drainFrames(stream, output);
      const durationMs = Date.now() - started;
      // An engine restart is told apart first: the exit status of a container it killed is not the learner's.
      await failIfEngineRestarted(ctx, epoch, output, wrapped.nonce, attached.killed);
      // The wrapper's trailer carries the exit status; only without it (the wrapper itself was killed) ask the engine.
      const hasTrailer = splitTrailer(output.tail(), wrapped.nonce).trailer !== undefined;
      const StatusCode = hasTrailer ? null : await exitStatusOf(container);
      const result = finish(output, wrapped.nonce, StatusCode, durationMs, timeUp);
      if (!result.oomKilled && result.exitCode === 137 && !result.timedOut) {
        const state = await container.inspect().then((info) => info.State, () => undefined);
        result.oomKilled = Boolean(state?.OOMKilled);
      }
      // Off the reply's path: the engine removes it while the learner reads the answer.
      return { result, containerKilled: attached.killed, cleanedUp: removeQuietly(container).catch(() => {}) };
    } finally {
      clearTimeout(timer);
    }
  } catch (err) {
    await removeQuietly(container).catch(() => {});
    throw err;
  }
}

/**
 * Runs a command in a running container through exec, as the learner. An exec cannot be killed through the
 * API: at the limit (or an output overflow) a `discard`ed container is killed, and in one we `keep` every process
 * of the learner is, with the container killed as the backstop. `afterwards` says what happens to the container
 * then: a `discard`ed one is removed by the caller; in one we `keep` (a session), every process of the learner is
 * killed after each command, because the learner can kill the wrapper before it cleans up. That clean-up runs
 * after the result is ready (`cleanedUp`); the session's next command must wait for it.
 */
export async function execInContainer(
  ctx: RunnerContext,
  container: Docker.Container,
  command: string,
  afterwards: 'discard' | 'keep',
  /** Must have settled before the command starts (made while the exec is created, to save a round trip). */
  beforeStart?: Promise<unknown>,
): Promise<ExecOutcome> {
  const { limits } = ctx;
  beforeStart?.catch(() => {}); // Awaited once the exec is created: a rejection before that is handled there.
  const wrapped = wrapCommand(command);
  const exec = await container.exec({
    Cmd: wrapped.argv,
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    User: LEARNER_USER,
    Env: SANDBOX_ENV,
    WorkingDir: LEARNER_HOME,
  });
  let containerKilled = false;
  const killContainer = () => {
    containerKilled = true;
    container.kill().catch(() => {});
  };
  const stopCommand = () => {
    if (afterwards === 'discard') killContainer();
    else killLearnerProcesses(container).catch(killContainer);
  };
  await beforeStart;
  const output = new CappedOutput(limits.outputBytes, stopCommand);
  const started = Date.now();
  const epoch = ctx.watch?.epoch;
  const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Duplex;
  // Set when the limit stopped the command: the result says "timed out" from this, never from an exit code.
  let timeUp = false;
  const limit = setTimeout(() => {
    timeUp = true;
    stopCommand();
  }, limits.timeoutMs);
  const backstop = setTimeout(killContainer, limits.timeoutMs + OUTSIDE_KILL_GRACE_MS);
  try {
    await drainFrames(stream, output);
  } catch (err) {
    clearTimeout(backstop);
    throw err;
  } finally {
    clearTimeout(limit);
  }
  const durationMs = Date.now() - started;
  // The backstop stays armed until the clean-up is done; a clean-up that fails ends the container.
  const cleanedUp = (afterwards === 'keep' && !containerKilled ? afterTheReply().then(() => killLearnerProcesses(container)).catch(killContainer) : Promise.resolve()).finally(
    () => clearTimeout(backstop),
  );
  // An overflow or the limit stopped the command from here (its processes killed): that cut is ours too.
  await failIfEngineRestarted(ctx, epoch, output, wrapped.nonce, containerKilled || output.overflowed || timeUp);
  const { trailer } = splitTrailer(output.tail(), wrapped.nonce);
  let exitCode: number | null = trailer?.exitCode ?? null;
  if (!trailer) {
    const info = await exec.inspect().catch(() => undefined);
    exitCode = typeof info?.ExitCode === 'number' ? info.ExitCode : null;
  }
  const result = finish(output, wrapped.nonce, exitCode, durationMs, timeUp);
  return { result, containerKilled, cleanedUp };
}

/**
 * The wrapper always ends with its trailer, unless something outside killed it. When that was not us and
 * the engine restarted meanwhile (or no longer answers), the cut output and its 137/143 are the engine's
 * doing: an infrastructure fault to retry, never the learner's result.
 */
async function failIfEngineRestarted(ctx: RunnerContext, epoch: number | undefined, output: CappedOutput, nonce: string, killedByUs: boolean): Promise<void> {
  if (!ctx.watch || epoch === undefined || killedByUs) return;
  if (splitTrailer(output.tail(), nonce).trailer) return;
  const { stdout, stderr } = output.text();
  // The engine's own grpc words mean it is going down: wait longer for the stream to say so.
  const engineWords = looksLikeEngineFailure(`${stdout}\n${stderr}`);
  if (await ctx.watch.restartedSince(epoch, engineWords ? 8_000 : undefined)) {
    throw new SandboxUnavailableError('the Docker engine restarted while the command ran');
  }
}

/**
 * Resolves once the engine has removed this worker's exited one-shot containers (AutoRemove does it
 * shortly after each exit); whatever is still there after `timeoutMs` is removed here.
 */
export async function oneShotsRemoved(ctx: RunnerContext, timeoutMs = 10_000): Promise<void> {
  const filters = { label: [`${LABEL.app}=${ctx.app}`, `${LABEL.worker}=${ctx.workerId}`, `${LABEL.kind}=oneshot`] };
  const until = Date.now() + timeoutMs;
  let left = await ctx.docker.listContainers({ all: true, filters });
  while (left.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = await ctx.docker.listContainers({ all: true, filters });
  }
  await Promise.all(left.map((info) => removeQuietly(ctx.docker.getContainer(info.Id)).catch(() => {})));
}

/**
 * The exit status of a container whose output has ended (it has exited, or is about to); null when it is
 * unknown, e.g. because the engine has already removed the container.
 */
async function exitStatusOf(container: Docker.Container): Promise<number | null> {
  const waited = (container.wait({ condition: 'not-running' }) as Promise<{ StatusCode: number }>).then(
    (r) => r.StatusCode,
    () => null,
  );
  const late = new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000).unref());
  const status = await Promise.race([waited, late]);
  if (status !== null) return status;
  const state = await container.inspect().then((info) => info.State, () => undefined);
  return state?.Running ? null : (state?.ExitCode ?? null);
}

/**
 * Every process of the learner's uid in the container (the keeper runs under another uid), ended by absolute
 * paths in an emptied environment: nothing the learner put on a PATH, or in the container's environment, runs.
 */
export const KILL_LEARNER_PROCESSES = ['/usr/bin/env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', '/bin/kill', '-KILL', '-1'];

export async function killLearnerProcesses(container: Docker.Container): Promise<void> {
  const exec = await container.exec({ Cmd: KILL_LEARNER_PROCESSES, User: LEARNER_USER, WorkingDir: '/', AttachStdout: true, AttachStderr: true });
  const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Duplex;
  await drainFrames(stream, new CappedOutput(1024));
}

function finish(
  output: CappedOutput,
  nonce: string,
  fallbackExit: number | null,
  durationMs: number,
  /** The worker's limit fired while the command ran. */
  timeUp: boolean,
): RunResult {
  const { trailer, trailerBytes } = splitTrailer(output.tail(), nonce);
  const exitCode = trailer?.exitCode ?? fallbackExit;
  const { stdout, stderr } = output.text(trailerBytes);
  return {
    stdout,
    stderr,
    exitCode,
    // With the trailer the command ended by itself, before the kill reached it.
    timedOut: timeUp && !trailer,
    oomKilled: (trailer?.oomKills ?? 0) > 0,
    truncated: output.truncated(trailerBytes),
    durationMs,
  };
}
