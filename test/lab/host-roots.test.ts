// Where a containerised worker finds the host (HOST_PROC_ROOT, HOST_CGROUP_ROOT) and which of its own
// namespaces may stand in for the host's (HOST_SHARED_NS), as docker-compose.yml configures it.
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { hostNamespace, hostNamespaceSource, readNamespace, type HostRoots } from '../../src/lab/host-view.js';

describe('the host roots a containerised worker is given', () => {
  let dir: string;
  let proc: string;

  beforeAll(async () => {
    // A /proc where PID 1's links cannot be read (as for a non-root worker) and the worker's own can.
    dir = await mkdtemp(join(tmpdir(), 'sensei-host-roots-'));
    proc = join(dir, 'proc');
    await mkdir(join(proc, 'self', 'ns'), { recursive: true });
    await mkdir(join(proc, '4242', 'ns'), { recursive: true });
    for (const [type, inode] of [['pid', 4026531836], ['user', 4026531837], ['net', 4026532999]] as const) {
      await symlink(`${type}:[${inode}]`, join(proc, 'self', 'ns', type));
    }
    await symlink('net:[4026533001]', join(proc, '4242', 'ns', 'net'));
    await symlink('pid:[4026533002]', join(proc, '4242', 'ns', 'pid'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('compares with the worker\'s own namespace only for the types it shares with the host', async () => {
    const roots: HostRoots = { proc, cgroup: join(dir, 'cgroup'), sharedNs: ['pid', 'user'] };
    expect(await hostNamespaceSource(roots)).toBe('worker');
    expect(await hostNamespace(roots, 'pid')).toBe('pid:[4026531836]');
    // Its own network namespace is the container's, not the host's: no comparison at all.
    expect(await hostNamespace(roots, 'net')).toBeUndefined();
    expect(await readNamespace(roots, 4242, 'net')).toEqual({ target: 'net:[4026533001]' });
    expect(await readNamespace(roots, 4242, 'pid')).toEqual({ target: 'pid:[4026533002]', host: 'pid:[4026531836]' });
  });

  it('uses every one of its own namespaces when it runs on the host (no list given)', async () => {
    expect(await hostNamespace({ proc, cgroup: join(dir, 'cgroup') }, 'net')).toBe('net:[4026532999]');
  });

  it('reads the roots and the shared types from the environment, and names a malformed list', () => {
    const config = loadConfig({ HOST_PROC_ROOT: '/host/proc', HOST_CGROUP_ROOT: '/host/sys/fs/cgroup', HOST_SHARED_NS: 'pid, user,time' });
    expect(config).toMatchObject({ HOST_PROC_ROOT: '/host/proc', HOST_CGROUP_ROOT: '/host/sys/fs/cgroup', HOST_SHARED_NS: ['pid', 'user', 'time'] });
    expect(loadConfig({})).toMatchObject({ HOST_PROC_ROOT: '/proc', HOST_CGROUP_ROOT: '/sys/fs/cgroup', HOST_SHARED_NS: undefined });
    expect(() => loadConfig({ HOST_SHARED_NS: 'pid;user' })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST_SHARED_NS: 'PID' })).toThrow(/HOST_SHARED_NS/);
  });
});
