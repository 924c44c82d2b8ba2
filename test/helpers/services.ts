import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import Docker from 'dockerode';
import { loadConfig, type Config } from '../../src/config.js';

export interface ServiceProbe {
  ok: boolean;
  problems: string[];
}

/**
 * Whether Redis, the Docker engine and the sandbox image are here. Outside CI a missing service
 * skips the integration tests (vitest reports them as skipped); under CI=true they run and fail.
 */
export async function probeServices(): Promise<ServiceProbe> {
  const config = loadConfig();
  const problems: string[] = [];
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, enableOfflineQueue: false });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    problems.push(`Redis at ${config.REDIS_URL}: ${(err as Error).message}`);
  } finally {
    redis.disconnect();
  }
  const docker = new Docker({ socketPath: config.DOCKER_SOCKET });
  try {
    await docker.ping();
    await docker.getImage(config.SANDBOX_IMAGE).inspect();
  } catch (err) {
    problems.push(`Docker/sandbox image ${config.SANDBOX_IMAGE}: ${(err as Error).message}`);
  }
  return { ok: problems.length === 0, problems };
}

export const inCI = process.env.CI === 'true' || process.env.CI === '1';

/** Run the suite when the services are here, or always under CI (where a missing service must fail). */
export async function integrationGate(): Promise<{ run: boolean; probe: ServiceProbe }> {
  const probe = await probeServices();
  if (!probe.ok && !inCI) {
    process.stderr.write(`[integration tests skipped: ${probe.problems.join('; ')}]\n`);
  }
  return { run: probe.ok || inCI, probe };
}

export function assertServices(probe: ServiceProbe): void {
  if (!probe.ok) throw new Error(`integration services are not reachable: ${probe.problems.join('; ')}`);
}

/** A config with its own Redis prefix, so tests never see each other's queues or containers. */
export function testConfig(overrides: Partial<Record<keyof Config, string>> = {}): Config {
  return loadConfig(process.env, {
    SENSEI_PREFIX: `t-${randomBytes(4).toString('hex')}`,
    SANDBOX_TIMEOUT_MS: '3000',
    LEARNER_COOLDOWN_MS: '0',
    POOL_SIZE: '0',
    REAP_INTERVAL_MS: '60000',
    WORKER_LOCK_MS: '4000',
    SENSEI_LOG: 'error',
    ...overrides,
  });
}

export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 10_000, stepMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined | false;
  while (Date.now() < until) {
    last = await fn();
    if (last !== undefined && last !== false) return last;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}

/** Containers of one test's install (by the app label), optionally only running ones. */
export async function appContainers(config: Config, extraLabel?: string): Promise<Docker.ContainerInfo[]> {
  const docker = new Docker({ socketPath: config.DOCKER_SOCKET });
  const label = [`sensei.app=${config.SENSEI_PREFIX}`];
  if (extraLabel) label.push(extraLabel);
  return docker.listContainers({ all: true, filters: { label } });
}

/** Removes every container of one test install (its prefix), whatever its kind. */
export async function removeAppContainers(config: Config): Promise<void> {
  const docker = new Docker({ socketPath: config.DOCKER_SOCKET });
  const all = await appContainers(config);
  await Promise.allSettled(all.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })));
}
