// CPU used by a Docker engine and everything it started outside containers (containerd, the shims), read from
// /proc: the cost a log flood puts on the shared engine, outside every container's own cgroup.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

function stat(pid: number): { ppid: number; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** The engine's process and its descendants that are not inside a container (their parent chain never leaves the engine's tools). */
function engineProcesses(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (s) parents.set(pid, s.ppid);
  }
  const tools = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (tools.has(pid) || !tools.has(ppid)) continue;
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (!/^(containerd|containerd-shim|containerd-shim-runc-v2|docker-proxy|runc)$/.test(comm)) continue;
      tools.add(pid);
      grew = true;
    }
  }
  return [...tools];
}

/** % of one core the engine used over `ms`. */
export async function daemonCpu(root: number, ms: number): Promise<number> {
  const pids = engineProcesses(root);
  const sum = () => pids.reduce((total, pid) => total + (stat(pid)?.ticks ?? 0), 0);
  const before = sum();
  await new Promise((r) => setTimeout(r, ms));
  return Math.round(((sum() - before) / TICKS_PER_SECOND / (ms / 1000)) * 100);
}
