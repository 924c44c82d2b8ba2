// The one way this app talks to a Docker engine: the client, the engine check, and how errors read.
import Docker from 'dockerode';
import type { Config } from '../config.js';
import { describeError, SandboxImageMissingError, SandboxUnavailableError } from './types.js';

/** A dockerode client for DOCKER_HOST (unix:// or tcp://) or, when unset, DOCKER_SOCKET. */
export function createDocker(config: Pick<Config, 'DOCKER_HOST' | 'DOCKER_SOCKET'>): Docker {
  const host = config.DOCKER_HOST;
  if (!host) return new Docker({ socketPath: config.DOCKER_SOCKET });
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: 'http' });
}

export interface EngineFacts {
  engineId: string;
  /** The engine host's name, as `docker info` says it. */
  hostName: string;
  cgroupVersion: '1' | '2';
  serverVersion: string;
}

/** Checks the engine answers and the sandbox image exists; says exactly what is wrong when not. */
export async function checkEngine(docker: Docker, image: string): Promise<EngineFacts> {
  let info: { ID?: string; Name?: string; CgroupVersion?: string; ServerVersion?: string };
  try {
    info = (await docker.info()) as typeof info;
  } catch (err) {
    throw new SandboxUnavailableError(
      `The Docker engine does not answer (${describeError(err)}). Start it (\`sudo systemctl start docker\`, ` +
        'or run scripts/services.sh), or point DOCKER_HOST / DOCKER_SOCKET at one.',
    );
  }
  try {
    await docker.getImage(image).inspect();
  } catch (err) {
    if (statusOf(err) === 404) throw new SandboxImageMissingError(image);
    throw new SandboxUnavailableError(`Could not inspect the sandbox image ${image}: ${describeError(err)}`);
  }
  return {
    engineId: info.ID ?? 'unknown',
    hostName: info.Name ?? 'unknown',
    cgroupVersion: info.CgroupVersion === '2' ? '2' : '1',
    serverVersion: info.ServerVersion ?? 'unknown',
  };
}

export function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Removes a container and its anonymous volumes, killing it if it runs. Already gone (404) or being
 * removed (409) is what we wanted anyway; any other failure is thrown.
 */
export async function removeQuietly(container: Docker.Container): Promise<void> {
  try {
    await container.remove({ force: true, v: true });
  } catch (err) {
    const status = statusOf(err);
    if (status !== 404 && status !== 409) throw err;
  }
}

/** The engine's 404 for an image it does not have (create answers it as "no such container - No such image"). */
export function isNoSuchImage(err: unknown): boolean {
  return statusOf(err) === 404 && /No such image/i.test(describeError(err));
}

/** Connection-level failures (socket gone, refused, reset) and 5xx answers are the engine's fault. */
export function isEngineFault(err: unknown): boolean {
  if (err instanceof SandboxUnavailableError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EACCES'].includes(code)) {
    return true;
  }
  const status = statusOf(err);
  return status !== undefined && status >= 500;
}
