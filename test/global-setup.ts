import Docker from 'dockerode';

/**
 * Every test install uses a random `t-…` prefix. A suite that failed half-way can leave containers
 * that no worker of that prefix will ever reap, so each run removes those older than any live test
 * (another test run may be going on at the same time; its containers are younger).
 */
const STALE_AFTER_S = 15 * 60;

async function removeTestContainers(): Promise<void> {
  const docker = new Docker({ socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock' });
  try {
    const all = await docker.listContainers({ all: true, filters: { label: ['sensei.app'] } });
    const staleBefore = Date.now() / 1000 - STALE_AFTER_S;
    const ours = all.filter((c) => /^(t|bench)-[0-9a-f]+$/.test(c.Labels?.['sensei.app'] ?? '') && c.Created < staleBefore);
    await Promise.allSettled(ours.map((c) => docker.getContainer(c.Id).remove({ force: true })));
  } catch {
    // No engine: the integration suites report that themselves.
  }
}

export async function setup(): Promise<void> {
  await removeTestContainers();
}
