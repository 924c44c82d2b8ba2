// "The host's view" of a learner's own lab containers: `ps aux | grep`, their processes' namespace links
// under /proc and their cgroup limit files under /sys/fs/cgroup, read for real on the worker's host. The
// path helpers at the top are pure (the parser uses them); the readers take their roots, so tests can use
// a fake tree; the answers at the bottom first check that the pid or id is the learner's own.
import { lstat, readFile, readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { formatTable, labelledCommand, listingRows } from './cli-format.js';
import type { LabHostCommand } from './command.js';
import { labNote } from './notes.js';
import { labOutcome, type LabOutcome } from './outcome.js';
import type { LearnerContainers } from './own-containers.js';
import { answerPlaceholder, fillPlaceholder, ownValues } from './placeholder.js';

export interface HostRoots {
  /** Where the host's procfs is mounted: `/proc`. */
  proc: string;
  /** Where the host's cgroup tree is mounted: `/sys/fs/cgroup`. */
  cgroup: string;
  /** The namespace types this process shares with the host; undefined: all (it runs on the host itself). */
  sharedNs?: readonly string[];
}
export const HOST_ROOTS: HostRoots = { proc: '/proc', cgroup: '/sys/fs/cgroup' };

/** The namespace types a process has under /proc/PID/ns (the learner may readlink these). */
export const NS_TYPES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'pid_for_children', 'time', 'time_for_children', 'user', 'uts'] as const;
export type NsType = (typeof NS_TYPES)[number];

/** The cgroup limit files the lab reads, in both versions' spellings. */
export const CGROUP_FILES = ['memory.max', 'memory.limit_in_bytes', 'pids.max', 'cpu.max', 'cpu.cfs_quota_us', 'cpu.cfs_period_us'] as const;
export type CgroupFile = (typeof CGROUP_FILES)[number];
export type CgroupVersion = 1 | 2;
/** How the path was laid out: v1 (`memory/docker/ID`), v2 with the systemd driver (`system.slice/docker-ID.scope`), v2 cgroupfs (`docker/ID`). */
export type CgroupLayout = 'v1' | 'v1-systemd' | 'v2-systemd' | 'v2-cgroupfs';

export interface CgroupPath {
  /** The container id or id prefix in the path. */
  id: string;
  file: CgroupFile;
  layout: CgroupLayout;
}

const ID = '([0-9a-f]{1,64})';
// memory.kmem.usage_in_bytes has two dots: it is a file of the container's cgroup all the same.
const FILE = '([a-z_]+(?:\\.[a-z_]+)+)';
const CONTROLLER = '(memory|pids|cpu|cpuacct|cpu,cpuacct|cpuacct,cpu)';
const LAYOUTS: readonly { layout: CgroupLayout; re: RegExp }[] = [
  { layout: 'v2-systemd', re: new RegExp(`^/sys/fs/cgroup/()system\\.slice/docker-${ID}\\.scope/${FILE}$`) },
  { layout: 'v2-cgroupfs', re: new RegExp(`^/sys/fs/cgroup/()docker/${ID}/${FILE}$`) },
  { layout: 'v1', re: new RegExp(`^/sys/fs/cgroup/${CONTROLLER}/docker/${ID}/${FILE}$`) },
  { layout: 'v1-systemd', re: new RegExp(`^/sys/fs/cgroup/${CONTROLLER}/system\\.slice/docker-${ID}\\.scope/${FILE}$`) },
];

/**
 * A docker container's cgroup limit file, in any of the usual layouts. `undefined` when the path is not
 * under a docker container's cgroup at all; `{ unsupported }` when it is, but names a file the lab does not read.
 */
export function parseCgroupPath(path: string): CgroupPath | { unsupported: string } | undefined {
  const clean = path.replace(/\/{2,}/g, '/');
  for (const { layout, re } of LAYOUTS) {
    const m = re.exec(clean);
    if (!m) continue;
    const [, , id = '', file = ''] = m;
    if (!(CGROUP_FILES as readonly string[]).includes(file)) return { unsupported: file };
    return { id, file: file as CgroupFile, layout };
  }
  return undefined;
}

/** `/proc/PID/ns` or `/proc/PID/ns/` → the pid; `/proc/PID/ns/TYPE` → pid and type. */
export function parseProcNsPath(path: string): { pid: number; type?: string } | undefined {
  const m = /^\/proc\/([1-9][0-9]{0,9})\/ns(?:\/([a-z_]*))?\/?$/.exec(path.replace(/\/{2,}/g, '/'));
  if (!m) return undefined;
  const pid = Number(m[1]);
  return m[2] ? { pid, type: m[2] } : { pid };
}

// ---- cgroups -----------------------------------------------------------------------------------

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** v2 when the unified hierarchy's root file is there, as the kernel documents it. */
export async function detectCgroupVersion(root: string): Promise<CgroupVersion> {
  return (await exists(join(root, 'cgroup.controllers'))) ? 2 : 1;
}

/** Where a container's cgroup directory for one controller may be on a host of this version (driver order: cgroupfs, systemd). */
export function cgroupDirs(version: CgroupVersion, fullId: string, controller: 'memory' | 'pids' | 'cpu'): string[] {
  return version === 1
    ? [`${controller}/docker/${fullId}`, `${controller}/system.slice/docker-${fullId}.scope`]
    : [`system.slice/docker-${fullId}.scope`, `docker/${fullId}`];
}

/** The file(s) holding what the learner asked for, in this host's version. */
export function realFilesFor(file: CgroupFile, version: CgroupVersion): { controller: 'memory' | 'pids' | 'cpu'; files: string[] } {
  switch (file) {
    case 'memory.max':
    case 'memory.limit_in_bytes':
      return { controller: 'memory', files: [version === 1 ? 'memory.limit_in_bytes' : 'memory.max'] };
    case 'pids.max':
      return { controller: 'pids', files: ['pids.max'] };
    case 'cpu.max':
      return { controller: 'cpu', files: version === 1 ? ['cpu.cfs_quota_us', 'cpu.cfs_period_us'] : ['cpu.max'] };
    case 'cpu.cfs_quota_us':
    case 'cpu.cfs_period_us':
      return { controller: 'cpu', files: version === 1 ? [file] : ['cpu.max'] };
  }
}

/** v1 writes "no memory limit" as the largest page-aligned number; v2 as `max`. */
const V1_UNLIMITED_MEMORY = '9223372036854771712';

/** The value in the asked file's own format, from the real file contents of this host's version. */
export function translateCgroupValue(file: CgroupFile, version: CgroupVersion, contents: readonly string[]): string {
  const [first = '', second = ''] = contents.map((c) => c.trim());
  if (version === 1) {
    if (file === 'memory.max') return BigInt(first) >= BigInt(V1_UNLIMITED_MEMORY) ? 'max' : first;
    if (file === 'cpu.max') return `${first === '-1' ? 'max' : first} ${second}`;
    return first;
  }
  const [quota = 'max', period = '100000'] = first.split(/\s+/);
  if (file === 'memory.limit_in_bytes') return first === 'max' ? V1_UNLIMITED_MEMORY : first;
  if (file === 'cpu.cfs_quota_us') return quota === 'max' ? '-1' : quota;
  if (file === 'cpu.cfs_period_us') return period;
  return first;
}

/** Whether the path the learner typed is how this host lays it out (then no mapping note is needed). */
export function sameLayout(asked: CgroupPath, version: CgroupVersion, realRelative: string, realFiles: readonly string[]): boolean {
  if (realFiles.length !== 1 || realFiles[0] !== asked.file) return false;
  const askedVersion: CgroupVersion = asked.layout.startsWith('v1') ? 1 : 2;
  if (askedVersion !== version) return false;
  const systemd = realRelative.includes('system.slice');
  return asked.layout.endsWith('systemd') === systemd;
}

/** Where the host mounts its cgroup tree, as the learner types it and reads it in the notes. */
const HOST_CGROUP_MOUNT = '/sys/fs/cgroup';

export type CgroupRead =
  | { ok: true; version: CgroupVersion; value: string; /** As on the host (/sys/fs/cgroup/…), whatever the worker's mount. */ realPaths: string[]; mapped: boolean }
  | { ok: false; version: CgroupVersion; tried: string[] };

/** Reads the limit a container's cgroup holds, from this host's real file(s). */
export async function readCgroupLimit(roots: HostRoots, fullId: string, asked: CgroupPath): Promise<CgroupRead> {
  const version = await detectCgroupVersion(roots.cgroup);
  const { controller, files } = realFilesFor(asked.file, version);
  const tried: string[] = [];
  for (const dir of cgroupDirs(version, fullId, controller)) {
    const paths = files.map((f) => join(roots.cgroup, dir, f));
    tried.push(...paths);
    let contents: string[];
    try {
      contents = await Promise.all(paths.map((p) => readFile(p, 'utf8')));
    } catch {
      continue;
    }
    const value = translateCgroupValue(asked.file, version, contents);
    // The learner's host calls it /sys/fs/cgroup/…: not where this worker mounts it (HOST_CGROUP_ROOT, /host/… in compose).
    const realPaths = files.map((f) => join(HOST_CGROUP_MOUNT, dir, f));
    return { ok: true, version, value, realPaths, mapped: !sameLayout(asked, version, dir, files) };
  }
  return { ok: false, version, tried };
}

// ---- namespaces --------------------------------------------------------------------------------

export interface NsLink {
  name: string;
  /** What the link points to, e.g. `pid:[4026532183]`. */
  target: string;
  /** The host's own link of that type (from /proc/1/ns, else the worker's own), when readable. */
  host?: string;
  uid: number;
  gid: number;
  mtime: Date;
}

/**
 * Whether `<proc>/<pid>` is the container's process as the host sees it: its cgroup file names the
 * container. False when the worker's /proc is another PID namespace (the pid means something else there).
 */
export async function procShowsContainer(roots: HostRoots, pid: number, fullId: string): Promise<boolean> {
  try {
    const cgroup = await readFile(join(roots.proc, String(pid), 'cgroup'), 'utf8');
    return cgroup.includes(fullId);
  } catch {
    return false;
  }
}

/** The host's own namespace link of a type: /proc/1/ns/TYPE, or the worker's own when it shares that namespace with the host. */
export async function hostNamespace(roots: HostRoots, type: string): Promise<string | undefined> {
  for (const who of ['1', 'self']) {
    // A containerised worker's own net or mnt namespace is not the host's: better no comparison than a wrong one.
    if (who === 'self' && roots.sharedNs && !roots.sharedNs.includes(type)) break;
    try {
      return await readlink(join(roots.proc, who, 'ns', type));
    } catch {
      // not readable here; try the next
    }
  }
  return undefined;
}

/** Where the host's own namespace links come from here: PID 1's, the worker's own, or nowhere readable. */
export async function hostNamespaceSource(roots: HostRoots): Promise<'init' | 'worker' | 'none'> {
  for (const [who, source] of [['1', 'init'], ['self', 'worker']] as const) {
    try {
      await readlink(join(roots.proc, who, 'ns', 'pid'));
      return source;
    } catch {
      // next
    }
  }
  return 'none';
}

/** Every link under `<proc>/<pid>/ns`, sorted as ls sorts them, with the host's own next to each. */
export async function readNamespaces(roots: HostRoots, pid: number): Promise<NsLink[]> {
  const dir = join(roots.proc, String(pid), 'ns');
  const names = (await readdir(dir)).sort();
  const links: NsLink[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const [target, info, host] = await Promise.all([readlink(path), lstat(path), hostNamespace(roots, name)]);
    links.push({ name, target, ...(host === undefined ? {} : { host }), uid: info.uid, gid: info.gid, mtime: info.mtime });
  }
  return links;
}

/** One link of `<proc>/<pid>/ns`, with the host's own; undefined when there is no such type. */
export async function readNamespace(roots: HostRoots, pid: number, type: string): Promise<{ target: string; host?: string } | undefined> {
  try {
    const target = await readlink(join(roots.proc, String(pid), 'ns', type));
    const host = await hostNamespace(roots, type);
    return host === undefined ? { target } : { target, host };
  } catch {
    return undefined;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const owner = (id: number) => (id === 0 ? 'root' : String(id));

/** `ls -l` (or plain `ls`) of the ns directory, with the host's link after each, marked same or differs. */
export function formatNsListing(links: readonly NsLink[], long: boolean): string {
  if (!long) return links.map((l) => `${l.name}\n`).join('');
  const users = links.map((l) => owner(l.uid));
  const groups = links.map((l) => owner(l.gid));
  const uw = Math.max(0, ...users.map((u) => u.length));
  const gw = Math.max(0, ...groups.map((g) => g.length));
  const nw = Math.max(0, ...links.map((l) => `${l.name} -> ${l.target}`.length));
  const lines = links.map((l, i) => {
    const d = l.mtime;
    const date = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    const link = `${l.name} -> ${l.target}`;
    const host = l.host === undefined ? '' : `   # host: ${l.host} (${l.host === l.target ? 'same' : 'differs'})`;
    return `lrwxrwxrwx 1 ${(users[i] as string).padEnd(uw)} ${(groups[i] as string).padEnd(gw)} 0 ${date} ${host ? link.padEnd(nw) : link}${host}`;
  });
  return `total 0\n${lines.join('\n')}\n`;
}

/** The types whose link differs from the host's (the container's own namespaces). */
export function differingTypes(links: readonly NsLink[]): string[] {
  return links.filter((l) => l.host !== undefined && l.host !== l.target).map((l) => l.name);
}

// ---- the answers ----------------------------------------------------------------------------------

type Top = { Titles?: string[]; Processes?: string[][] };

/** Answers one host-view command for a learner, about their own lab containers only. */
export function answerHostCommand(own: LearnerContainers, command: LabHostCommand): Promise<LabOutcome> {
  switch (command.command) {
    case 'ps':
      return hostPs(own, command.grep);
    case 'ns':
    case 'readlink':
      return hostNs(own, command);
    case 'cgroup':
      return hostCgroup(own, command);
    case 'placeholder':
      return answerPlaceholder(own, command);
  }
}

/** `ps aux | grep WORD` on the "host": the learner's own lab processes as the host sees them (host PIDs). */
async function hostPs(own: LearnerContainers, grep: string | undefined): Promise<LabOutcome> {
  let titles: string[] = ['USER', 'PID', '%CPU', '%MEM', 'VSZ', 'RSS', 'TTY', 'STAT', 'START', 'TIME', 'COMMAND'];
  const rows: string[][] = [];
  for (const info of await own.list(false)) {
    // `n`: numeric uids, named as the sandbox image names them, never with the host's /etc/passwd.
    const top = (await own.docker
      .getContainer(info.Id)
      .top({ ps_args: 'auxn' })
      .catch(() => undefined)) as Top | undefined;
    if (top?.Titles) titles = top.Titles;
    rows.push(...listingRows(top?.Processes ?? [], labelledCommand(info.Labels)));
  }
  const shown = grep === undefined ? rows : rows.filter((row) => row.join(' ').includes(grep));
  const notes = [labNote('host-view')];
  if (grep !== undefined && shown.length === 0) return labOutcome('', '', 1, notes);
  return labOutcome(grep === undefined ? formatTable([titles, ...shown]) : formatTable(shown), '', 0, notes);
}

/** Host PID → full container id, for every process of the learner's running lab containers. */
async function ownPids(own: LearnerContainers): Promise<Map<number, string>> {
  const pids = new Map<number, string>();
  for (const info of await own.list(false)) {
    const container = own.docker.getContainer(info.Id);
    const top = (await container.top().catch(() => undefined)) as Top | undefined;
    const column = top?.Titles?.indexOf('PID') ?? -1;
    for (const row of top?.Processes ?? []) {
      const pid = Number(row[column]);
      if (column >= 0 && Number.isInteger(pid) && pid > 0) pids.set(pid, info.Id);
    }
    const main = await container.inspect().catch(() => undefined);
    if (main && main.State.Pid > 0) pids.set(main.State.Pid, info.Id);
  }
  return pids;
}

/** `ls [-l] /proc/PID/ns` and `readlink /proc/PID/ns/TYPE`, for the learner's own processes only. */
async function hostNs(own: LearnerContainers, command: Extract<LabHostCommand, { command: 'ns' | 'readlink' }>): Promise<LabOutcome> {
  const roots = own.ctx.hostRoots;
  const { pid } = command;
  const path = command.command === 'ns' ? `/proc/${pid}/ns` : `/proc/${pid}/ns/${command.ns}`;
  const program = command.command === 'ns' ? 'ls' : 'readlink';
  const exitCode = command.command === 'ns' ? 2 : 1;
  const containerId = (await ownPids(own)).get(pid);
  if (containerId === undefined) {
    // A number from the text (12345) rather than the learner's own: offer theirs in its place.
    const yours = (await ownValues(own, 'pid')).map(({ name, value }) => ({ name, line: fillPlaceholder({ line: `${program}${command.command === 'ns' && command.long ? ' -l' : ''} ${path}`, token: String(pid) }, value) }));
    return labOutcome('', `${program}: ${path}: not one of your lab containers' processes\n`, exitCode, [labNote('not-your-process', { pid, yours })]);
  }
  await own.touch(containerId);
  if (!(await procShowsContainer(roots, pid, containerId))) {
    return labOutcome('', `${program}: ${path}: the host's /proc is not visible from the lab's worker\n`, exitCode, [labNote('proc-not-visible', { pid })]);
  }
  const hostFrom = await hostNamespaceSource(roots);
  if (command.command === 'readlink') {
    const link = await readNamespace(roots, pid, command.ns);
    if (!link) return labOutcome('', `readlink: ${path}: No such file or directory\n`, 1);
    const differs = link.host !== undefined && link.host !== link.target;
    const same = link.host !== undefined && link.host === link.target;
    return labOutcome(`${link.target}\n`, '', 0, [labNote('host-ns', { differing: differs ? [command.ns] : [], shared: same ? [command.ns] : [], hostFrom })]);
  }
  let links;
  try {
    links = await readNamespaces(roots, pid);
  } catch {
    return labOutcome('', `ls: cannot access '${path}': No such file or directory\n`, 2);
  }
  const main = links.filter((l) => !l.name.endsWith('_for_children') && l.host !== undefined);
  const shared = main.filter((l) => l.host === l.target).map((l) => l.name);
  return labOutcome(formatNsListing(links, command.long), '', 0, [labNote('host-ns', { differing: differingTypes(main), shared, hostFrom })]);
}

/** `cat` of a cgroup limit file of one of the learner's containers, read from this host's real file. */
async function hostCgroup(own: LearnerContainers, command: Extract<LabHostCommand, { command: 'cgroup' }>): Promise<LabOutcome> {
  const all = await own.list();
  const exact = all.find((c) => c.Id === command.container);
  const matches = exact ? [exact] : all.filter((c) => c.Id.startsWith(command.container));
  const missing = `cat: ${command.path}: No such file or directory\n`;
  const info = matches.length === 1 ? matches[0] : undefined;
  if (!info) return labOutcome('', missing, 1, [labNote('not-your-container', { id: command.container })]);
  await own.touch(info.Id);
  const read = await readCgroupLimit(own.ctx.hostRoots, info.Id, { id: command.container, file: command.file, layout: command.layout });
  if (!read.ok) return labOutcome('', missing, 1, [labNote('cgroup-missing')]);
  const notes = read.mapped ? [labNote('cgroup-mapped', { typed: command.path, version: read.version, real: read.realPaths })] : [];
  return labOutcome(`${read.value}\n`, '', 0, notes);
}
