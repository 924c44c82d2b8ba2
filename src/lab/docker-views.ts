// The docker CLI's read-only answers about a learner's own containers: ps, inspect, top, stats and logs,
// laid out as the CLI lays them out. Nothing here changes a container.
import type Docker from 'dockerode';
import { CappedOutput, FrameDemuxer } from '../sandbox/output.js';
import { KEEPER_USER } from '../sandbox/spec.js';
import { readLogsCommand } from './container-log.js';
import { execInLab } from './lab-exec.js';
import { bytesSize, formatTable, humanDuration, labelledCommand, learnerCommand, listingRows, psCommand } from './cli-format.js';
import { labNote } from './notes.js';
import { labOutcome, notRunning, outOfTime, type LabOutcome } from './outcome.js';
import { keptLogsKey, LAB_LABEL, type Info, type LearnerContainers } from './own-containers.js';
import { renderInspectTemplate } from './template.js';

type Top = { Titles?: string[]; Processes?: string[][] };

export async function dockerPs(own: LearnerContainers, all: boolean): Promise<LabOutcome> {
  // Listing is not using: only a command that names a container renews its idle time.
  const listed = (await own.list(all)).sort((a, b) => b.Created - a.Created);
  const rows = [['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES']];
  for (const c of listed) {
    rows.push([
      c.Id.slice(0, 12),
      c.Labels?.[LAB_LABEL.image] ?? '',
      psCommand(learnerCommand(c.Labels, c.Command)),
      `${humanDuration(Date.now() - c.Created * 1000)} ago`,
      c.Status,
      '',
      c.Labels?.[LAB_LABEL.name] ?? '',
    ]);
  }
  return labOutcome(formatTable(rows));
}

export async function dockerInspect(own: LearnerContainers, refs: readonly string[], format: string | undefined): Promise<LabOutcome> {
  const objects: unknown[] = [];
  let stderr = '';
  let stdout = '';
  const cap = own.ctx.limits.outputBytes;
  for (const ref of refs) {
    // Past the cap the rest would only be cut: stop asking the engine.
    if (Buffer.byteLength(stdout) > cap) break;
    if (own.outOfTime) return outOfTime(own, format === undefined ? `${JSON.stringify(objects, null, 4)}\n` : stdout, stderr);
    const found = await own.resolve(ref);
    const raw = found.ok ? await own.docker.getContainer(found.info.Id).inspect().catch(() => undefined) : undefined;
    if (!found.ok || !raw) {
      stderr += `Error: No such object: ${ref}\n`;
      continue;
    }
    const curated = curateInspect(raw);
    if (format === undefined) {
      objects.push(curated);
      continue;
    }
    const rendered = renderInspectTemplate(format, curated);
    if (!rendered.ok) return labOutcome(stdout, `${stderr}template parsing error: ${rendered.error}\n`, 1);
    stdout += `${rendered.text}\n`;
  }
  if (format === undefined) stdout = `${JSON.stringify(objects, null, 4)}\n`;
  return labOutcome(stdout, stderr, stderr === '' ? 0 : 1);
}

export async function dockerTop(own: LearnerContainers, ref: string): Promise<LabOutcome> {
  const found = await own.resolve(ref);
  if (!found.ok) return labOutcome('', found.message, 1);
  if (found.info.State !== 'running') return labOutcome('', notRunning(found.info.Id), 1);
  // Numeric uids from the host's ps, named as the sandbox image names them: never the host's account names.
  const top = (await own.docker.getContainer(found.info.Id).top({ ps_args: TOP_PS_ARGS })) as Top;
  return labOutcome(formatTable([top.Titles ?? [], ...listingRows(top.Processes ?? [], labelledCommand(found.info.Labels))]));
}

export async function dockerStats(own: LearnerContainers, refs: readonly string[]): Promise<LabOutcome> {
  let infos: Info[];
  let stderr = '';
  if (refs.length === 0) {
    infos = await own.list(false);
  } else {
    infos = [];
    for (const ref of refs) {
      const found = await own.resolve(ref);
      if (found.ok) infos.push(found.info);
      else stderr += found.message;
    }
    if (stderr !== '') return labOutcome('', stderr, 1);
  }
  const rows = [['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'PIDS']];
  // One sample each, all at once: docker stats --no-stream waits about a second per container otherwise.
  const samples = await Promise.all(
    infos.map((info) =>
      info.State === 'running' ? own.untilDeadline(own.docker.getContainer(info.Id).stats({ stream: false })).catch(() => undefined) : Promise.resolve(undefined),
    ),
  );
  infos.forEach((info, i) => rows.push([info.Id.slice(0, 12), info.Labels?.[LAB_LABEL.name] ?? '', ...statsCells(samples[i])]));
  if (own.outOfTime) return outOfTime(own, formatTable(rows), '');
  return labOutcome(formatTable(rows));
}

/** `docker top`'s columns (ps -ef's), with numeric uids. */
export const TOP_PS_ARGS = '-eo uid,pid,ppid,c,stime,tty=TTY,time,cmd';

/** A running capped container's output as `docker logs` shows it, read inside by the keeper. */
function readLogsInside(own: LearnerContainers, info: Info) {
  return execInLab(own.docker.getContainer(info.Id), readLogsCommand(), { limits: own.ctx.limits, user: KEEPER_USER });
}

/** Before the lab stops a capped container, its output is read and kept, so `docker logs` still shows it afterwards, as on a laptop. */
export async function keepLogsBeforeStop(own: LearnerContainers, info: Info): Promise<void> {
  if (!info.Labels?.[LAB_LABEL.logsInside] || info.State !== 'running') return;
  const read = await readLogsInside(own, info).catch(() => undefined);
  if (!read) return;
  // As long as the stopped container itself stays: the idle reaper removes it after the same time.
  await own.ctx.redis.set(keptLogsKey(own.ctx.prefix, info.Id), JSON.stringify({ stdout: read.stdout, stderr: read.stderr }), 'PX', own.ctx.idleTtlMs);
}

export async function dockerLogs(own: LearnerContainers, ref: string): Promise<LabOutcome> {
  const found = await own.resolve(ref);
  if (!found.ok) return labOutcome('', found.message, 1);
  const container = own.docker.getContainer(found.info.Id);
  const cap = own.ctx.limits.outputBytes;
  if (found.info.Labels?.[LAB_LABEL.logsInside]) {
    const name = found.info.Labels[LAB_LABEL.name] ?? ref;
    if (found.info.State !== 'running') {
      const kept = await own.ctx.redis.get(keptLogsKey(own.ctx.prefix, found.info.Id));
      if (kept === null) return labOutcome('', '', 0, [labNote('logs-gone', { name })]);
      const { stdout, stderr } = JSON.parse(kept) as { stdout: string; stderr: string };
      return labOutcome(stdout, stderr, 0);
    }
    const read = await readLogsInside(own, found.info);
    return labOutcome(read.stdout, read.stderr, 0, read.truncated ? [labNote('truncated', { bytes: cap })] : [], { truncated: read.truncated });
  }
  const raw = (await container.logs({ stdout: true, stderr: true, follow: false, tail: 500 })) as unknown;
  const captured = new CappedOutput(cap);
  new FrameDemuxer((which, payload) => captured.push(which, payload)).push(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw), 'binary'));
  const { stdout, stderr } = captured.text();
  const truncated = captured.truncated();
  return labOutcome(stdout, stderr, 0, truncated ? [labNote('truncated', { bytes: cap })] : [], { truncated });
}

/**
 * A real subset of the Engine's inspect answer, as the learner would see it for their own container:
 * their name and image, their variables only, and the real state and limits.
 */
export function curateInspect(raw: Docker.ContainerInspectInfo): Record<string, unknown> {
  const labels = raw.Config.Labels ?? {};
  const envKeys = new Set((labels[LAB_LABEL.envKeys] ?? '').split(',').filter(Boolean));
  return {
    Id: raw.Id,
    Created: raw.Created,
    ...learnerPathArgs(raw),
    State: {
      Status: raw.State.Status,
      Running: raw.State.Running,
      Paused: raw.State.Paused,
      Restarting: raw.State.Restarting,
      OOMKilled: raw.State.OOMKilled,
      Dead: raw.State.Dead,
      Pid: raw.State.Pid,
      ExitCode: raw.State.ExitCode,
      Error: raw.State.Error,
      StartedAt: raw.State.StartedAt,
      FinishedAt: raw.State.FinishedAt,
    },
    Name: `/${labels[LAB_LABEL.name] ?? raw.Name.replace(/^\//, '')}`,
    RestartCount: raw.RestartCount,
    HostConfig: {
      Memory: raw.HostConfig.Memory,
      MemorySwap: raw.HostConfig.MemorySwap,
      NanoCpus: raw.HostConfig.NanoCpus,
      PidsLimit: raw.HostConfig.PidsLimit,
      NetworkMode: raw.HostConfig.NetworkMode,
      ReadonlyRootfs: raw.HostConfig.ReadonlyRootfs,
      CapDrop: raw.HostConfig.CapDrop,
      AutoRemove: raw.HostConfig.AutoRemove,
    },
    Config: {
      Hostname: raw.Config.Hostname,
      User: raw.Config.User,
      Env: (raw.Config.Env ?? []).filter((entry) => envKeys.has(entry.slice(0, entry.indexOf('=')))),
      Cmd: learnerCmd(raw),
      Image: labels[LAB_LABEL.image] ?? raw.Config.Image,
      WorkingDir: raw.Config.WorkingDir,
    },
  };
}

/** docker stats' CPU %, MEM USAGE / LIMIT, MEM % and PIDS cells, computed as the CLI computes them. */
export function statsCells(s: Docker.ContainerStats | undefined): string[] {
  if (!s) return ['0.00%', '0B / 0B', '0.00%', '0'];
  const cpuDelta = (s.cpu_stats?.cpu_usage?.total_usage ?? 0) - (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (s.cpu_stats?.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
  const online = s.cpu_stats?.online_cpus || s.cpu_stats?.cpu_usage?.percpu_usage?.length || 1;
  const cpu = cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * online * 100 : 0;
  const mem = s.memory_stats ?? {};
  const memStats = (mem.stats ?? {}) as Record<string, number | undefined>;
  const usage = mem.usage ?? 0;
  // cgroup v1 subtracts total_inactive_file, v2 inactive_file: the page cache docker does not count.
  const cache = memStats.total_inactive_file ?? memStats.inactive_file ?? 0;
  const used = cache < usage ? usage - cache : usage;
  const limit = mem.limit ?? 0;
  const memPercent = limit > 0 ? (used / limit) * 100 : 0;
  return [`${cpu.toFixed(2)}%`, `${bytesSize(used)} / ${bytesSize(limit)}`, `${memPercent.toFixed(2)}%`, String(s.pids_stats?.current ?? 0)];
}

/** The learner's own command, whatever the lab wrapped around it to cap its output. */
function learnerCmd(raw: Docker.ContainerInspectInfo): string[] {
  return labelledCommand(raw.Config.Labels) ?? raw.Config.Cmd ?? [];
}

function learnerPathArgs(raw: Docker.ContainerInspectInfo): { Path: string; Args: string[] } {
  const own = labelledCommand(raw.Config.Labels);
  if (!own) return { Path: raw.Path, Args: raw.Args };
  const [path = '', ...args] = own;
  return { Path: path, Args: args };
}
