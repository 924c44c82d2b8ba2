// A detached lab container's output must not flow through the shared engine unbounded: three `yes`
// containers kept dockerd at 165-180% CPU while their own cgroups showed 0.2% (the `none` log driver does
// not help: dockerd and the shim still copy every byte). So the output never reaches docker: the command's
// stdout and stderr are FIFOs in the container's own tmpfs, each opened read-write by the command itself,
// so no reader process is needed. A FIFO holds 64 KiB; past that a writer waits, on no one's CPU, until
// `docker logs` drains a little more into the kept copy (at most LAB_LOG_BYTES per stream). No process of
// ours stays in the container: after one `exec` the learner's command is PID 1 (or the init's only child
// with --init), as on a laptop.
import { posix } from 'node:path';
import type Docker from 'dockerode';
import { drainFrames } from '../sandbox/output.js';
import { attachCapped } from '../sandbox/runner.js';
import { SANDBOX_ENV } from '../sandbox/spec.js';
import { LAB_LOG_DIR } from './cli-format.js';

export { LAB_LOG_DIR };

/** What `docker logs` keeps of a detached container per stream, in bytes: both streams and their notes fit one answer (SANDBOX_OUTPUT_BYTES, 64 KiB by default). */
export const LAB_LOG_BYTES = 32 * 1024 - 64;
/** The FIFOs and the kept copies (two streams of LAB_LOG_BYTES), owned by the keeper uid, out of the learner's reach. */
export const LAB_LOG_TMPFS = `rw,nosuid,nodev,noexec,size=160k,uid=1001,gid=1001,mode=0700`;
/** The line `docker logs` ends with once a stream's kept copy is full. */
export const LAB_LOG_FULL = `[sensei: the lab keeps the first ${Math.round(LAB_LOG_BYTES / 1024)} KiB of each output stream]`;

/**
 * How a detached container's command is started so its output stays inside it: a shell makes the two FIFOs
 * and `exec`s the learner's command onto them, so the shell is gone before anyone can look. A shell the
 * learner entered with `docker run -it` also reads its stdin from a FIFO nobody writes to, so it waits as an
 * interactive shell waits for typing, until `exit` is written there (SHELL_EXIT).
 */
export function cappedLogCommand(cmd: readonly string[], opts: { heldShell?: boolean } = {}): string[] {
  const stdin = opts.heldShell ? ` 0<>$d/i` : '';
  return ['/bin/sh', '-c', `d=${LAB_LOG_DIR};mkfifo -m 600 $d/o $d/e${opts.heldShell ? ' $d/i' : ''}||exit 125;exec "$@"${stdin} 1<>$d/o 2<>$d/e`, 'sh', ...cmd];
}

/** Typed into a held shell's stdin (as the keeper): the shell exits 0, as when the learner types `exit`. */
export const SHELL_EXIT = ['/bin/sh', '-c', `echo exit >${LAB_LOG_DIR}/i`];

/**
 * What `docker logs` reads from a running capped container, run as the keeper: each stream's kept copy is
 * topped up from its FIFO (what it holds now, without waiting for more) up to the cap, then printed.
 */
export function readLogsCommand(bytes = LAB_LOG_BYTES): string[] {
  // One non-blocking read takes what the FIFO holds (up to what is still kept); an empty FIFO answers at once.
  const topUp = (s: string) => `n=$(stat -c %s $d/${s}.kept 2>/dev/null||echo 0);[ "$n" -lt ${bytes} ]&&dd if=$d/${s} iflag=nonblock bs=$((${bytes}-n)) count=1 status=none >>$d/${s}.kept 2>/dev/null`;
  // The note goes on a line of its own, even when the kept bytes end mid-line.
  const print = (s: string, to: string) =>
    `cat $d/${s}.kept ${to} 2>/dev/null;[ "$(stat -c %s $d/${s}.kept 2>/dev/null||echo 0)" -ge ${bytes} ]&&{ [ -n "$(tail -c 1 $d/${s}.kept)" ]&&echo ${to};echo '${LAB_LOG_FULL}' ${to};}`;
  return ['/bin/sh', '-c', `d=${LAB_LOG_DIR};(${topUp('o')})& (${topUp('e')})& wait;${print('o', '')};${print('e', '>&2')};exit 0`];
}

/**
 * The executables on the sandbox image's PATH, read once. A command that is not there is started as it is,
 * so docker itself refuses it at start ("executable file not found in $PATH"), exactly as on a laptop.
 */
export class ImageExecutables {
  private static readonly shared = new WeakMap<Docker, Map<string, ImageExecutables>>();
  private names: Promise<Set<string>> | undefined;

  private constructor(
    private readonly docker: Docker,
    private readonly image: string,
  ) {}

  /** One list per engine client and image: reading it costs a container run. */
  static of(docker: Docker, image: string): ImageExecutables {
    let byImage = ImageExecutables.shared.get(docker);
    if (!byImage) ImageExecutables.shared.set(docker, (byImage = new Map()));
    let found = byImage.get(image);
    if (!found) byImage.set(image, (found = new ImageExecutables(docker, image)));
    return found;
  }

  /** Whether docker would find `program` (a name looked up on PATH, or a path) in the image. */
  async has(program: string): Promise<boolean> {
    const known = await (this.names ??= this.read().catch((err: unknown) => {
      this.names = undefined;
      throw err;
    }));
    // A path is checked as the kernel would resolve it lexically; one outside PATH's directories is assumed to exist.
    if (program.includes('/')) return known.has(posix.normalize(program)) || !PATH_DIRS.some((dir) => posix.normalize(program).startsWith(`${dir}/`));
    return known.has(program);
  }

  private async read(): Promise<Set<string>> {
    const container = await this.docker.createContainer({
      Image: this.image,
      Cmd: ['/bin/sh', '-c', 'for d in $(echo "$PATH" | tr : " "); do for f in "$d"/*; do [ -x "$f" ] && echo "$f"; done; done'],
      Env: SANDBOX_ENV,
      User: '1001:1001',
      NetworkDisabled: true,
      HostConfig: { NetworkMode: 'none', ReadonlyRootfs: true, CapDrop: ['ALL'], Memory: 64 * 1024 * 1024, PidsLimit: 32, LogConfig: { Type: 'none', Config: {} } },
    });
    try {
      const attached = await attachCapped(container, 4 * 1024 * 1024);
      await container.start();
      await drainFrames(attached.stream, attached.output);
      const paths = attached.output.text().stdout.split('\n').filter(Boolean);
      return new Set([...paths, ...paths.map((p) => posix.basename(p))]);
    } finally {
      await container.remove({ force: true }).catch(() => {});
    }
  }
}

const PATH_DIRS = (SANDBOX_ENV.find((e) => e.startsWith('PATH='))?.slice(5) ?? '').split(':').filter(Boolean);
