import type Docker from 'dockerode';
import { Redis } from 'ioredis';
import { sandboxLimits, type Config } from '../../src/config.js';
import { parseLabLine } from '../../src/lab/parse.js';
import { LabManager, type LabManagerOptions, type LabOutcome } from '../../src/lab/runtime.js';
import { silentLogger } from '../../src/log.js';
import { createDocker } from '../../src/sandbox/docker-client.js';
import { removeAppContainers, testConfig } from './services.js';

/** A LabManager on the real engine and Redis, under a prefix of its own, for the lab's integration tests. */
export interface LabFixture {
  config: Config;
  docker: Docker;
  redis: Redis;
  base: LabManagerOptions;
  lab: LabManager;
  /** What the tutor does with a chat line: parse it, then let the lab carry it out. */
  type(learner: string, line: string, manager?: LabManager): Promise<LabOutcome>;
  /** Removes every container and Redis key the fixture's prefix made. */
  close(): Promise<void>;
}

export function startLabFixture(): LabFixture {
  const config = testConfig();
  const docker = createDocker(config);
  const redis = new Redis(config.REDIS_URL);
  const base: LabManagerOptions = {
    docker,
    redis,
    prefix: config.SENSEI_PREFIX,
    image: config.SANDBOX_IMAGE,
    workerId: 'lab-test',
    limits: sandboxLimits(config),
    log: silentLogger,
  };
  const lab = new LabManager(base);
  return {
    config,
    docker,
    redis,
    base,
    lab,
    type: async (learner, line, manager = lab) => {
      const parsed = parseLabLine(line);
      if (!parsed.ok) throw new Error(`refused: ${parsed.refusal.code}`);
      return manager.execute(learner, parsed.command);
    },
    close: async () => {
      await removeAppContainers(config);
      const keys = await redis.keys(`${config.SENSEI_PREFIX}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
