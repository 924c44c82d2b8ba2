// The engine's own floors, through the Engine API directly (dockerode): no queue, no Redis, no CLI, no wrapper.
// Every pipeline path in bench/bench.ts is reported as a ratio to one of these, measured in the same run.
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { sandboxLimits, type Config } from '../src/config.js';
import { hardenedContainerSpec, KEEPER_USER, LEARNER_USER } from '../src/sandbox/spec.js';

/** The hardened spec the pipeline uses, labelled so a leftover is recognisably the bench's. */
function specFor(config: Config, cmd: string[], user: string) {
  return hardenedContainerSpec({
    image: config.SANDBOX_IMAGE,
    limits: sandboxLimits(config),
    cmd,
    user,
    labels: { app: 'bench-raw', workerId: 'bench', learnerId: '', kind: user === KEEPER_USER ? 'pool' : 'oneshot', expiresAt: Date.now() + 600_000 },
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Exec `true` as the learner and read its (empty) output to the end: the least a caller can do to know it finished. */
async function execTrue(container: Docker.Container): Promise<void> {
  const exec = await container.exec({ Cmd: ['true'], User: LEARNER_USER, AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Duplex;
  await new Promise<void>((resolve, reject) => {
    stream.on('data', () => {});
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', reject);
  });
}

/** A running hardened container to take exec floor samples from, one at a time, between the pipeline's. */
export interface ExecFloor {
  /** One exec of `true`, in ms. */
  sample(): Promise<number>;
  close(): Promise<void>;
}

export async function openExecFloor(docker: Docker, config: Config): Promise<ExecFloor> {
  const container = await docker.createContainer(specFor(config, ['sleep', 'infinity'], KEEPER_USER));
  try {
    await container.start();
    await execTrue(container); // The first exec into a container pays for things later ones do not.
  } catch (err) {
    await container.remove({ force: true }).catch(() => undefined);
    throw err;
  }
  return { sample: () => timed(() => execTrue(container)), close: () => container.remove({ force: true }).then(() => undefined) };
}

/** Cold floor, one sample: create → start → wait → remove of `true`, in ms. */
export function apiColdSample(docker: Docker, config: Config): Promise<number> {
  return timed(() => createStartWaitRemove(docker, config));
}

/** One cold container running `true`: create → start → wait → remove, with the pipeline's hardened spec. */
async function createStartWaitRemove(docker: Docker, config: Config): Promise<void> {
  const container = await docker.createContainer(specFor(config, ['true'], LEARNER_USER));
  try {
    await container.start();
    await container.wait({ condition: 'not-running' });
  } finally {
    await container.remove({ force: true });
  }
}


/** The engine's capacity: `jobs` cold containers with `concurrency` in flight, no queue; jobs per second. */
export async function apiThroughput(docker: Docker, config: Config, concurrency: number, jobs: number): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs) {
        next += 1;
        await createStartWaitRemove(docker, config);
      }
    }),
  );
  return jobs / ((performance.now() - t) / 1000);
}
