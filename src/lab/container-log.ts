// A detached lab container's output must not flow through the shared engine unbounded: three `yes`
// containers kept dockerd at 165-180% CPU while their own cgroups showed 0.2% (the `none` log driver does
// not help: dockerd and the shim still copy every byte). So the container caps its own output: its command
// writes into two FIFOs, and a small reader per stream passes the first LAB_LOG_BYTES on to docker (and so
// to `docker logs`), then drains the rest inside the container, on the container's own CPU budget.
import { posix } from 'node:path';
import type Docker from 'dockerode';
import { drainFrames } from '../sandbox/output.js';
import { attachCapped } from '../sandbox/runner.js';
import { SANDBOX_ENV } from '../sandbox/spec.js';
import { LAB_LOG_DIR, LOG_CAP_MARK, LOG_CAP_NAME, LOG_CAP_VAR } from './cli-format.js';

export { LAB_LOG_DIR };

/** What a detached container may send to docker per stream, in bytes; the rest stays inside it. */
export const LAB_LOG_BYTES = 64 * 1024;
/** The FIFOs' tmpfs, owned by the keeper uid, out of the learner's reach. */
export const LAB_LOG_TMPFS = `rw,nosuid,nodev,noexec,size=64k,uid=1001,gid=1001,mode=0700`;

/**
 * How a detached container's command is started so its output is capped: the command line (`$0` names it in
 * listings) and the variable with the script. `exec` keeps the learner's command the init's own child, so
 * signals and the exit code are its own; stdbuf -o0 makes head pass lines on as they come.
 */
export function cappedLogCommand(cmd: readonly string[], bytes = LAB_LOG_BYTES): { cmd: string[]; env: string } {
  const script =
    `unset ${LOG_CAP_VAR};${LOG_CAP_MARK} $d/o $d/e||exit 125;` +
    `c(){ stdbuf -o0 head -c ${bytes};read -r x&&{ echo "[sensei: the lab keeps the first ${Math.round(bytes / 1024)} KiB of output]";exec cat>/dev/null;};};` +
    `c<$d/o& c<$d/e>&2& exec "$@">$d/o 2>$d/e`;
  return { cmd: ['/bin/sh', '-c', `eval "$${LOG_CAP_VAR}"`, LOG_CAP_NAME, ...cmd], env: `${LOG_CAP_VAR}=${script}` };
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
