// The lab's share of one engine: how many lab containers run at once and how much memory and CPU they are
// promised in total. Per-learner quotas alone let five learners commit 3.75 GiB and 15 CPUs on a 2-CPU host.
import type Docker from 'dockerode';
import type { Config } from '../config.js';
import { LABEL } from '../sandbox/spec.js';
import { LAB_KIND } from './own-containers.js';

/** Labels with what a lab container was promised, so the total is read from one list call. */
export const CAPACITY_LABEL = { memory: 'sensei.memory', nanoCpus: 'sensei.nanocpus' } as const;

export interface LabCapacityLimits {
  /** Running lab containers per engine. */
  maxContainers: number;
  /** Committed memory per engine in bytes; 0 means three quarters of the engine's memory. */
  maxMemoryBytes: number;
  /** Committed CPUs per engine; 0 means eight times the engine's CPUs (a lab container mostly waits; the CPU budget stops spinners). */
  maxCpus: number;
}

/** The limits as the settings give them (LAB_MAX_CONTAINERS, LAB_MAX_MEMORY_MB, LAB_MAX_CPUS). */
export function capacityLimitsOf(config: Pick<Config, 'LAB_MAX_CONTAINERS' | 'LAB_MAX_MEMORY_MB' | 'LAB_MAX_CPUS'>): LabCapacityLimits {
  return { maxContainers: config.LAB_MAX_CONTAINERS, maxMemoryBytes: config.LAB_MAX_MEMORY_MB * 1024 * 1024, maxCpus: config.LAB_MAX_CPUS };
}

export interface LabUsage {
  containers: number;
  memoryBytes: number;
  nanoCpus: number;
  limits: { containers: number; memoryBytes: number; nanoCpus: number };
}

export type CapacityVerdict = { ok: true } | { ok: false; what: 'containers' | 'memory' | 'cpus'; usage: LabUsage };

export class LabCapacity {
  private engine: Promise<{ memTotal: number; ncpu: number }> | undefined;
  /** Checks and creates one at a time in this process, so two learners cannot both take the last place. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly docker: Docker,
    private readonly prefix: string,
    private readonly limits: LabCapacityLimits,
  ) {}

  /** What the lab's running containers hold now, against the limits. */
  async usage(): Promise<LabUsage> {
    const [engine, running] = await Promise.all([this.engineFacts(), this.running()]);
    let memoryBytes = 0;
    let nanoCpus = 0;
    for (const info of running) {
      memoryBytes += Number(info.Labels?.[CAPACITY_LABEL.memory] ?? 0);
      nanoCpus += Number(info.Labels?.[CAPACITY_LABEL.nanoCpus] ?? 0);
    }
    return {
      containers: running.length,
      memoryBytes,
      nanoCpus,
      limits: {
        containers: this.limits.maxContainers,
        memoryBytes: this.limits.maxMemoryBytes || Math.floor(engine.memTotal * 0.75),
        nanoCpus: Math.round((this.limits.maxCpus || engine.ncpu * 8) * 1e9),
      },
    };
  }

  /**
   * Runs `create` when one more container with these promises fits, else answers which limit is reached.
   * Checks and creations are serialized in this process; several worker processes may overshoot by one each.
   */
  withRoom<T>(request: { memoryBytes: number; nanoCpus: number }, create: () => Promise<T>): Promise<{ ok: true; value: T } | Exclude<CapacityVerdict, { ok: true }>> {
    const turn = this.chain.then(async () => {
      const usage = await this.usage();
      const { limits } = usage;
      if (usage.containers + 1 > limits.containers) return { ok: false as const, what: 'containers' as const, usage };
      if (usage.memoryBytes + request.memoryBytes > limits.memoryBytes) return { ok: false as const, what: 'memory' as const, usage };
      if (usage.nanoCpus + request.nanoCpus > limits.nanoCpus) return { ok: false as const, what: 'cpus' as const, usage };
      return { ok: true as const, value: await create() };
    });
    this.chain = turn.catch(() => {});
    return turn;
  }

  private running(): Promise<Docker.ContainerInfo[]> {
    return this.docker.listContainers({ filters: { label: [`${LABEL.app}=${this.prefix}`, `${LABEL.kind}=${LAB_KIND}`], status: ['running', 'created'] } });
  }

  private engineFacts(): Promise<{ memTotal: number; ncpu: number }> {
    this.engine ??= this.docker.info().then(
      (info: { MemTotal?: number; NCPU?: number }) => ({ memTotal: info.MemTotal ?? 0, ncpu: info.NCPU ?? 1 }),
      (err: unknown) => {
        this.engine = undefined;
        throw err;
      },
    );
    return this.engine;
  }
}
