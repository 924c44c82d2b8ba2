import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import {
  detectCgroupVersion,
  formatNsListing,
  parseCgroupPath,
  readCgroupLimit,
  readNamespace,
  readNamespaces,
  type CgroupPath,
  type HostRoots,
} from '../../src/lab/host-view.js';
import { parseLabLine, type LabCommand } from '../../src/lab/parse.js';
import { LabManager, type LabManagerOptions } from '../../src/lab/runtime.js';
import { labNoteText, labRefusalText } from '../../src/tutor/lab-text.js';
import { startLabFixture, type LabFixture } from '../helpers/lab.js';
import { appContainers, assertServices, integrationGate } from '../helpers/services.js';

const ID = 'a'.repeat(64);
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

function command(line: string): LabCommand {
  const result = parseLabLine(line);
  if (!result.ok) throw new Error(`expected ${line} to parse, got ${result.refusal.code}: ${labRefusalText('en', result.refusal)}`);
  return result.command;
}

function refusedCode(line: string): string {
  const result = parseLabLine(line);
  if (result.ok) throw new Error(`expected ${line} to be refused, got ${JSON.stringify(result.command)}`);
  expect(labRefusalText('ja', result.refusal)).toMatch(JAPANESE);
  return result.refusal.code;
}

describe('parsing the host view', () => {
  it('ls /proc/PID/ns and readlink /proc/PID/ns/TYPE, with or without sudo', () => {
    expect(command('sudo ls -l /proc/12345/ns')).toEqual({ kind: 'host', command: 'ns', pid: 12345, long: true });
    expect(command('ls /proc/12345/ns/')).toEqual({ kind: 'host', command: 'ns', pid: 12345, long: false });
    expect(command('ls -la /proc/7/ns')).toEqual({ kind: 'host', command: 'ns', pid: 7, long: true });
    expect(command('readlink /proc/12345/ns/pid')).toEqual({ kind: 'host', command: 'readlink', pid: 12345, ns: 'pid' });
    // sudo is the seed's way to the host's view, not a mistake to remark on.
    expect(parseLabLine('sudo readlink /proc/12345/ns/net')).toMatchObject({ ok: true, notes: [] });
  });

  it('cat of a container cgroup limit file, in every layout', () => {
    expect(command(`sudo cat /sys/fs/cgroup/system.slice/docker-${ID}.scope/memory.max`)).toEqual({
      kind: 'host',
      command: 'cgroup',
      path: `/sys/fs/cgroup/system.slice/docker-${ID}.scope/memory.max`,
      container: ID,
      file: 'memory.max',
      layout: 'v2-systemd',
    });
    expect(command(`cat /sys/fs/cgroup/memory/docker/${ID}/memory.limit_in_bytes`)).toMatchObject({ file: 'memory.limit_in_bytes', layout: 'v1' });
    expect(command('cat /sys/fs/cgroup/pids/docker/abc123/pids.max')).toMatchObject({ container: 'abc123', file: 'pids.max', layout: 'v1' });
    expect(command('cat /sys/fs/cgroup/cpu,cpuacct/docker/abc123/cpu.cfs_quota_us')).toMatchObject({ file: 'cpu.cfs_quota_us', layout: 'v1' });
    expect(command('cat /sys/fs/cgroup/docker/abc123/cpu.max')).toMatchObject({ file: 'cpu.max', layout: 'v2-cgroupfs' });
  });

  it('a placeholder typed as written is read as one, whatever its brackets', () => {
    expect(command('sudo ls -l /proc/PID/ns')).toEqual({ kind: 'host', command: 'placeholder', want: 'pid', token: 'PID', line: 'ls -l /proc/PID/ns' });
    expect(command('ls -l /proc/<pid>/ns')).toMatchObject({ want: 'pid', token: '<pid>' });
    expect(command('cat /sys/fs/cgroup/system.slice/docker-<ID>.scope/memory.max')).toMatchObject({ want: 'id', token: '<ID>' });
    expect(command('cat /sys/fs/cgroup/system.slice/docker-‹ここに長いIDを入れる>.scope/memory.max')).toMatchObject({ want: 'id', token: '‹ここに長いIDを入れる>' });
    expect(command('cat /sys/fs/cgroup/memory/docker/ID/memory.limit_in_bytes')).toMatchObject({ want: 'id', token: 'ID' });
    expect(command('ls -l /proc/12345/ns')).toMatchObject({ command: 'ns' });
  });

  it('everything else on the host stays refused, kindly', () => {
    expect(refusedCode('cat /etc/shadow')).toBe('not-docker');
    expect(refusedCode('sudo ls /')).toBe('not-docker');
    expect(refusedCode('rm -rf /proc/1')).toBe('not-docker');
    expect(refusedCode('ls -l /proc/self/ns')).toBe('host-view-only');
    expect(refusedCode('readlink /proc/1/ns/bogus')).toBe('host-view-only');
    expect(refusedCode('cat /proc/1/environ')).toBe('host-view-only');
    expect(refusedCode(`cat /sys/fs/cgroup/memory/docker/${ID}/memory.usage_in_bytes`)).toBe('cgroup-file-not-offered');
    expect(refusedCode('ls -R /proc/1/ns')).toBe('host-view-only');
    expect(refusedCode('sudo cat /etc/<ここに長いIDを入れる>.conf')).toBe('not-docker');
  });

  it('maps each layout of a path', () => {
    expect(parseCgroupPath('/sys/fs/cgroup/memory/system.slice/docker-abc.scope/memory.limit_in_bytes')).toEqual({
      id: 'abc',
      file: 'memory.limit_in_bytes',
      layout: 'v1-systemd',
    });
    expect(parseCgroupPath('/sys/fs/cgroup/docker/abc/cgroup.procs')).toEqual({ unsupported: 'cgroup.procs' });
    expect(parseCgroupPath('/etc/passwd')).toBeUndefined();
  });
});

describe('reading a fake host tree', () => {
  let dir: string;
  let v1: HostRoots;
  let v2: HostRoots;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'host-view-'));
    v1 = { proc: join(dir, 'proc'), cgroup: join(dir, 'v1') };
    v2 = { proc: join(dir, 'proc'), cgroup: join(dir, 'v2') };
    const files: Record<string, string> = {
      [`v1/memory/docker/${ID}/memory.limit_in_bytes`]: '134217728\n',
      [`v1/pids/docker/${ID}/pids.max`]: '50\n',
      [`v1/cpu/docker/${ID}/cpu.cfs_quota_us`]: '50000\n',
      [`v1/cpu/docker/${ID}/cpu.cfs_period_us`]: '100000\n',
      'v2/cgroup.controllers': 'cpu memory pids\n',
      [`v2/system.slice/docker-${ID}.scope/memory.max`]: '134217728\n',
      [`v2/system.slice/docker-${ID}.scope/pids.max`]: 'max\n',
      [`v2/system.slice/docker-${ID}.scope/cpu.max`]: '50000 100000\n',
      'proc/4242/cgroup': `0::/docker/${ID}\n`,
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    await mkdir(join(dir, 'proc/4242/ns'), { recursive: true });
    await mkdir(join(dir, 'proc/1/ns'), { recursive: true });
    for (const [type, own, host] of [
      ['pid', 4026532183, 4026531836],
      ['user', 4026531837, 4026531837],
      ['net', 4026532184, 4026531840],
    ] as const) {
      await symlink(`${type}:[${own}]`, join(dir, 'proc/4242/ns', type));
      await symlink(`${type}:[${host}]`, join(dir, 'proc/1/ns', type));
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const asked = (path: string): CgroupPath => {
    const parsed = parseCgroupPath(path);
    if (!parsed || 'unsupported' in parsed) throw new Error(path);
    return parsed;
  };

  it('tells v1 from v2 by cgroup.controllers', async () => {
    expect(await detectCgroupVersion(v1.cgroup)).toBe(1);
    expect(await detectCgroupVersion(v2.cgroup)).toBe(2);
  });

  it('maps a v2 path to the real v1 file, and back', async () => {
    const v2Path = `/sys/fs/cgroup/system.slice/docker-${ID}.scope/memory.max`;
    const v1Path = `/sys/fs/cgroup/memory/docker/${ID}/memory.limit_in_bytes`;
    expect(await readCgroupLimit(v1, ID, asked(v2Path))).toEqual({
      ok: true,
      version: 1,
      value: '134217728',
      // As on the learner's host, not under the worker's mount of it (a temporary tree here, /host/sys/fs/cgroup in compose).
      realPaths: [`/sys/fs/cgroup/memory/docker/${ID}/memory.limit_in_bytes`],
      mapped: true,
    });
    expect(await readCgroupLimit(v1, ID, asked(v1Path))).toMatchObject({ ok: true, value: '134217728', mapped: false });
    expect(await readCgroupLimit(v2, ID, asked(v2Path))).toMatchObject({ ok: true, value: '134217728', mapped: false });
    expect(await readCgroupLimit(v2, ID, asked(v1Path))).toMatchObject({
      ok: true,
      value: '134217728',
      realPaths: [`/sys/fs/cgroup/system.slice/docker-${ID}.scope/memory.max`],
      mapped: true,
    });
  });

  it('translates cpu and pids between the versions', async () => {
    expect(await readCgroupLimit(v1, ID, asked(`/sys/fs/cgroup/docker/${ID}/cpu.max`))).toMatchObject({ value: '50000 100000', mapped: true });
    expect(await readCgroupLimit(v2, ID, asked(`/sys/fs/cgroup/cpu/docker/${ID}/cpu.cfs_quota_us`))).toMatchObject({ value: '50000' });
    expect(await readCgroupLimit(v2, ID, asked(`/sys/fs/cgroup/cpu/docker/${ID}/cpu.cfs_period_us`))).toMatchObject({ value: '100000' });
    expect(await readCgroupLimit(v1, ID, asked(`/sys/fs/cgroup/pids/docker/${ID}/pids.max`))).toMatchObject({ value: '50', mapped: false });
    expect(await readCgroupLimit(v2, ID, asked(`/sys/fs/cgroup/pids/docker/${ID}/pids.max`))).toMatchObject({ value: 'max', mapped: true });
    expect(await readCgroupLimit(v1, 'b'.repeat(64), asked(`/sys/fs/cgroup/pids/docker/${ID}/pids.max`))).toMatchObject({ ok: false });
  });

  it('reads namespace links with the host own next to each', async () => {
    const links = await readNamespaces(v1, 4242);
    expect(links.map((l) => [l.name, l.target, l.host])).toEqual([
      ['net', 'net:[4026532184]', 'net:[4026531840]'],
      ['pid', 'pid:[4026532183]', 'pid:[4026531836]'],
      ['user', 'user:[4026531837]', 'user:[4026531837]'],
    ]);
    const listing = formatNsListing(links, true);
    expect(listing).toMatch(/^total 0\n/);
    expect(listing).toMatch(/pid -> pid:\[4026532183\]\s+# host: pid:\[4026531836\] \(differs\)/);
    expect(listing).toMatch(/user -> user:\[4026531837\]\s+# host: user:\[4026531837\] \(same\)/);
    expect(formatNsListing(links, false)).toBe('net\npid\nuser\n');
    expect(await readNamespace(v1, 4242, 'pid')).toEqual({ target: 'pid:[4026532183]', host: 'pid:[4026531836]' });
    expect(await readNamespace(v1, 4242, 'ipc')).toBeUndefined();
  });
});

const gate = await integrationGate();

describe.runIf(gate.run)("the host's view (real Docker and Redis)", () => {
  let config: Config;
  let base: LabManagerOptions;
  let fixture: LabFixture;
  let fakeProc: string;

  beforeAll(async () => {
    assertServices(gate.probe);
    fixture = startLabFixture();
    ({ config, base } = fixture);
    fakeProc = await mkdtemp(join(tmpdir(), 'no-host-proc-'));
  });

  afterAll(async () => {
    if (fakeProc) await rm(fakeProc, { recursive: true, force: true });
    await fixture?.close();
  });

  const type = (learner: string, line: string, manager?: LabManager) => fixture.type(learner, line, manager);

  it('answers a placeholder typed as written (PID, <pid>, ‹ID>, 12345) with the learner\'s own value filled in', async () => {
    const learner = 'placeholder-learner';
    expect((await type(learner, 'ls -l /proc/PID/ns')).notes).toEqual([{ code: 'placeholder', params: { want: 'pid', token: 'PID', yours: [] } }]);
    const run = await type(learner, 'docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777');
    const id = run.stdout.trim();
    const pid = (await type(learner, `docker inspect -f '{{.State.Pid}}' deep-dive-container`)).stdout.trim();
    for (const [line, filled] of [
      ['sudo ls -l /proc/PID/ns', `sudo ls -l /proc/${pid}/ns`],
      ['sudo ls -l /proc/<pid>/ns', `sudo ls -l /proc/${pid}/ns`],
      ['sudo cat /sys/fs/cgroup/system.slice/docker-‹ここに長いIDを入れる>.scope/memory.max', `sudo cat /sys/fs/cgroup/system.slice/docker-${id}.scope/memory.max`],
      ['sudo cat /sys/fs/cgroup/system.slice/docker-<ID>.scope/memory.max', `sudo cat /sys/fs/cgroup/system.slice/docker-${id}.scope/memory.max`],
      ['cat /sys/fs/cgroup/system.slice/docker-<long ID>.scope/memory.max', `sudo cat /sys/fs/cgroup/system.slice/docker-${id}.scope/memory.max`],
    ] as const) {
      const answer = await type(learner, line);
      expect(answer.exitCode, line).toBe(2);
      const note = answer.notes.find((n) => n.code === 'placeholder');
      expect(note?.params, line).toMatchObject({ yours: [{ name: 'deep-dive-container', line: filled }] });
      expect(note && labNoteText('en', note)).toMatch(/replace it with your value/);
      expect(note && labNoteText('en', note)).toContain(filled);
      expect(note && labNoteText('ja', note)).toContain(filled);
      // The filled line really works.
      expect((await type(learner, filled)).exitCode, filled).toBe(0);
    }
    const example = await type(learner, 'sudo ls -l /proc/12345/ns');
    const notYours = example.notes.find((n) => n.code === 'not-your-process');
    // The suggestion keeps sudo, so it reaches the host's view from the sandbox too.
    expect(notYours && labNoteText('en', notYours)).toContain(`sudo ls -l /proc/${pid}/ns`);
    await type(learner, 'docker rm -f deep-dive-container');
  });

  it("plays the seed's host view word for word, and keeps it to the learner's own containers", async () => {
    const learner = 'host-view-learner';
    const run = await type(learner, 'docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777');
    expect(run.exitCode).toBe(0);

    const ps = await type(learner, 'ps aux | grep "sleep 7777"');
    expect(ps.exitCode).toBe(0);
    const row = ps.stdout.split('\n').find((line) => line.includes('sleep 7777'));
    const pid = Number(row?.trim().split(/\s+/)[1]);
    expect(pid).toBeGreaterThan(1);

    const ns = await type(learner, `sudo ls -l /proc/${pid}/ns`);
    expect(ns.stderr).toBe('');
    expect(ns.exitCode).toBe(0);
    const links = new Map(
      [...ns.stdout.matchAll(/ (\w+) -> (\w+:\[\d+\])\s+# host: (\w+:\[\d+\]) \((same|differs)\)/g)].map((m) => [m[1], { own: m[2], host: m[3], verdict: m[4] }]),
    );
    for (const type of ['pid', 'mnt', 'net', 'uts', 'ipc']) {
      expect(links.get(type)?.verdict, type).toBe('differs');
      expect(links.get(type)?.own).not.toBe(links.get(type)?.host);
    }
    expect(links.get('user')?.verdict).toBe('same');
    const note = ns.notes.find((n) => n.code === 'host-ns');
    expect(note && labNoteText('en', note)).toMatch(/pid/);
    expect(note && labNoteText('ja', note)).toMatch(JAPANESE);

    const readlink = await type(learner, `readlink /proc/${pid}/ns/pid`);
    expect(readlink.stdout).toBe(`${links.get('pid')?.own}\n`);
    expect((await type(learner, `ls /proc/${pid}/ns`)).stdout).toMatch(/^cgroup\nipc\nmnt\n/);

    const inspect = await type(learner, `docker inspect -f '{{.Id}}' deep-dive-container`);
    const id = inspect.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);

    const v2 = await type(learner, `sudo cat /sys/fs/cgroup/system.slice/docker-${id}.scope/memory.max`);
    expect(v2).toMatchObject({ stdout: '134217728\n', stderr: '', exitCode: 0 });
    const version = (await import('node:fs')).existsSync('/sys/fs/cgroup/cgroup.controllers') ? 2 : 1;
    if (version === 1) {
      expect(v2.notes.map((n) => n.code)).toEqual(['cgroup-mapped']);
      const mapped = v2.notes[0];
      expect(mapped && labNoteText('en', mapped)).toContain(`/sys/fs/cgroup/memory/docker/${id}/memory.limit_in_bytes`);
      expect(mapped && labNoteText('ja', mapped)).toMatch(/memory\.limit_in_bytes/);
    }
    const v1 = await type(learner, `cat /sys/fs/cgroup/memory/docker/${id}/memory.limit_in_bytes`);
    expect(v1).toMatchObject({ stdout: '134217728\n', exitCode: 0 });
    if (version === 1) expect(v1.notes).toEqual([]);
    expect((await type(learner, `cat /sys/fs/cgroup/memory/docker/${id.slice(0, 12)}/memory.limit_in_bytes`)).stdout).toBe('134217728\n');
    const pids = await type(learner, `cat /sys/fs/cgroup/pids/docker/${id}/pids.max`);
    expect(pids.exitCode).toBe(0);
    expect(pids.stdout).toMatch(/^(\d+|max)\n$/);
    expect((await type(learner, `cat /sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.max`)).stdout).toMatch(/^(\d+|max) \d+\n$/);

    // Another learner gets neither the process nor the cgroup.
    const other = 'host-view-other';
    const otherNs = await type(other, `sudo ls -l /proc/${pid}/ns`);
    expect(otherNs).toMatchObject({ stdout: '', exitCode: 2 });
    expect(otherNs.notes.map((n) => n.code)).toEqual(['not-your-process']);
    expect((await type(other, `readlink /proc/${pid}/ns/pid`)).notes.map((n) => n.code)).toEqual(['not-your-process']);
    const otherCgroup = await type(other, `sudo cat /sys/fs/cgroup/system.slice/docker-${id}.scope/memory.max`);
    expect(otherCgroup).toMatchObject({ stdout: '', exitCode: 1 });
    expect(otherCgroup.notes.map((n) => n.code)).toEqual(['not-your-container']);
    expect((await type(other, `cat /sys/fs/cgroup/memory/docker/${id}/memory.limit_in_bytes`)).stdout).toBe('');
    // Nor does the learner get the host's own PID 1.
    expect((await type(learner, 'ls -l /proc/1/ns')).notes.map((n) => n.code)).toEqual(['not-your-process']);

    // A worker without the host's /proc says so.
    const blind = new LabManager({ ...base, hostRoots: { proc: fakeProc, cgroup: '/sys/fs/cgroup' } });
    const hidden = await type(learner, `ls -l /proc/${pid}/ns`, blind);
    expect(hidden).toMatchObject({ stdout: '', exitCode: 2 });
    expect(hidden.notes.map((n) => n.code)).toEqual(['proc-not-visible']);

    const rm = await type(learner, 'docker rm -f deep-dive-container');
    expect(rm.exitCode).toBe(0);
    expect((await appContainers(config)).length).toBe(0);
  }, 60_000);
});
