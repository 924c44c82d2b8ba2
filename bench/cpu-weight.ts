// CPU weights for bench/discord.ts's processes, as docker-compose.yml gives its services.
//
// Deployed with compose, the bot runs in a cgroup of its own with `cpu_shares` (8192: eight times a default
// container), beside the engine's daemons and the sandboxes (SANDBOX_CPU_SHARES, 128). The bench runs the bot as a
// host process, so it gives it the same weight the same way: a cgroup of its own, a sibling of the daemons', with the
// compose file's value read from the file (so the two cannot drift apart). The worker gets its service's weight too.
// The fake Discord, which stands in for Discord's own servers (not on this machine in real life), gets the bot's
// weight so that its own waiting for a CPU is not counted as the bot's latency.
import { mkdirSync, readFileSync, rmdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_SHARES = 1024;

/** A compose service's `cpu_shares` in docker-compose.yml (Docker's default, 1024, when it has none). */
export function composeCpuShares(service: string): number {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services?: Record<string, { cpu_shares?: number }> };
  return compose.services?.[service]?.cpu_shares ?? DEFAULT_SHARES;
}

/** Docker's mapping of CpuShares (cgroup v1) to cpu.weight (cgroup v2). */
const sharesToWeight = (shares: number) => Math.round(1 + ((shares - 2) * 9999) / 262142);

export interface Weighing {
  /** What was done, for the report: one line per process, or why nothing could be. */
  describe: string[];
  /** Moves the processes back and removes the cgroups (children that exited are gone by then). */
  undo(): void;
}

/**
 * Puts each process in a cpu cgroup of its own under the root, with the given CpuShares. Needs root and a cpu
 * controller (v1, or v2 with +cpu in the root's subtree_control); says so and does nothing when not.
 */
export function weighProcesses(tag: string, processes: { role: string; pid: number; shares: number }[]): Weighing {
  const v1 = '/sys/fs/cgroup/cpu';
  const v2 = '/sys/fs/cgroup';
  const isV1 = existsSync(join(v1, 'cpu.shares'));
  const isV2 = !isV1 && readFileSafe(join(v2, 'cgroup.subtree_control'))?.split(/\s+/).includes('cpu') === true;
  if (!isV1 && !isV2) return { describe: ['no cpu cgroup controller here: every process runs at the default weight'], undo: () => {} };
  const base = isV1 ? v1 : v2;
  const made: string[] = [];
  const describe: string[] = [];
  try {
    for (const { role, pid, shares } of processes) {
      const dir = join(base, `${tag}-${role}`);
      mkdirSync(dir, { recursive: true });
      made.push(dir);
      if (isV1) writeFileSync(join(dir, 'cpu.shares'), String(shares));
      else writeFileSync(join(dir, 'cpu.weight'), String(sharesToWeight(shares)));
      writeFileSync(join(dir, 'cgroup.procs'), String(pid));
      describe.push(`${role} ${isV1 ? `cpu.shares ${shares}` : `cpu.weight ${sharesToWeight(shares)} (shares ${shares})`}`);
    }
  } catch (err) {
    describe.push(`could not weigh the processes (${(err as Error).message}); the rest run at the default weight`);
  }
  return {
    describe,
    undo: () => {
      for (const dir of made) {
        // Whatever is still inside (this process, the fake) goes back to the root before the cgroup is removed.
        for (const pid of (readFileSafe(join(dir, 'cgroup.procs')) ?? '').split('\n').filter(Boolean)) {
          try {
            writeFileSync(join(base, 'cgroup.procs'), pid);
          } catch {
            // Exited meanwhile.
          }
        }
        try {
          rmdirSync(dir);
        } catch {
          // A process still exiting; the next run's tag differs.
        }
      }
    },
  };
}

function readFileSafe(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
