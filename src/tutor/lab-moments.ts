// What the seed's host-side commands show, read from the lab's facts (the parsed command and its real
// output): a host PID that is not 1, namespace inodes, the ID that names a cgroup, and a memory limit in bytes.
import type { Lang } from '../lessons/index.js';
import type { LabCommand } from '../lab/command.js';
import type { RunResult } from '../sandbox/types.js';
import { explainWords } from './explain-text.js';
import { editDistance } from '../text/edit-distance.js';
import { SANDBOX_COMMANDS } from './sandbox-commands.js';
import { talkWords } from './persona-talk.js';

const MIB = 1024 * 1024;
/** What cgroup v1 reports for "no limit" (the largest page-aligned value). */
const V1_UNLIMITED = 9223372036854771712n;

/** The explanation of a lab command's real output, when it is one the seed teaches with. */
export function explainLabFacts(lang: Lang, command: LabCommand, result: RunResult, opts: { exitedAtOnce?: boolean } = {}): string | undefined {
  const missing = command.kind === 'run' && result.exitCode === 127 ? /exec: "([^"]{1,64})": executable file not found/.exec(result.stderr)?.[1] : undefined;
  if (missing && command.kind === 'run') {
    const near = nearestInImage(missing);
    return explainWords(lang).notInImage({ program: missing, ...(near ? { near } : {}), ...(command.name ? { name: command.name } : {}) });
  }
  if (result.exitCode !== 0) return undefined;
  const w = talkWords(lang).host;
  const out = result.stdout.trim();
  // A container whose command already ended is not "running in the background": its note says what happened.
  if (command.kind === 'run' && command.detach && /^[0-9a-f]{64}$/.test(out)) return opts.exitedAtOnce ? undefined : explainWords(lang).started(command.name ? { name: command.name } : {});
  if (command.kind === 'rm' && out !== '') return explainWords(lang).removed({ names: out.split('\n').map((n) => `\`${n.trim()}\``).join(', ') });
  if (command.kind === 'host' && command.command === 'ps') {
    const pids = out
      .split('\n')
      .filter((line) => !/\bgrep\b/.test(line))
      .map((line) => line.trim().split(/\s+/)[1])
      .filter((pid): pid is string => pid !== undefined && /^\d+$/.test(pid) && pid !== '1');
    return pids.length > 0 ? w.psFound({ pids: pids.slice(0, 3).join(', ') }) : undefined;
  }
  if (command.kind === 'host' && command.command === 'ns') return /\w+:\[\d+\]/.test(out) ? w.nsLinks : undefined;
  if (command.kind === 'inspect' && /\.Id\b/.test(command.format ?? '') && /^[0-9a-f]{64}$/m.test(out)) return w.inspectId;
  if (command.kind === 'host' && command.command === 'cgroup' && (command.file === 'memory.max' || command.file === 'memory.limit_in_bytes')) {
    if (out === 'max' || (/^\d+$/.test(out) && BigInt(out) >= V1_UNLIMITED)) return w.cgroupNoLimit;
    if (!/^\d+$/.test(out)) return undefined;
    const bytes = Number(out);
    if (bytes > 0 && bytes % MIB === 0) {
      const mib = String(bytes / MIB);
      return w.cgroupFromFlag({ flag: `--memory=${mib}m`, bytes: out, mib });
    }
    return w.cgroupBytes({ bytes: out, mib: (bytes / MIB).toFixed(1) });
  }
  return undefined;
}

/** The image's program a name not found in it is one slip away from (the run already said it is not there). */
function nearestInImage(program: string): string | undefined {
  if (program.length < 3 || program.includes('/')) return undefined;
  let best: string | undefined;
  let bestDistance = program.length >= 6 ? 2 : 1;
  for (const name of SANDBOX_COMMANDS) {
    if (name === program) continue;
    const d = editDistance(program, name, { max: bestDistance, transpositions: true });
    if (d <= bestDistance && (best === undefined || d < bestDistance)) [best, bestDistance] = [name, d];
  }
  return best;
}

/**
 * `ps … | grep X` whose every output line is grep itself (or the shell that started it): nothing but the
 * search was found, which in the sandbox means the process lives in another PID namespace.
 */
export function grepFoundOnlyItself(command: string, result: RunResult): boolean {
  if (!/\|\s*grep\b/.test(command) || result.exitCode !== 0) return false;
  const lines = result.stdout.split('\n').filter((line) => line.trim() !== '');
  return lines.length > 0 && lines.every((line) => /\bgrep\b/.test(line));
}

/** The seed's way into Docker Desktop's VM, where a Linux host's commands work. */
export const ENTER_DESKTOP_VM = 'docker run -it --rm --privileged --pid=host alpine nsenter -t 1 -m -u -n -i sh';

/** A recipe with lines only a Linux host runs: `sudo`, or a host path under /proc/N or /sys/fs/cgroup outside docker. */
export function linuxHostOnly(recipe: string): boolean {
  return recipe.split('\n').some((line) => /^\s*sudo\s/.test(line) || (/^\s*(?!docker\s)\S/.test(line) && /\/proc\/\d+\/|\/sys\/fs\/cgroup\//.test(line)));
}
