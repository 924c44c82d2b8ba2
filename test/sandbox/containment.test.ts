import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionMode } from '../../src/sandbox/types.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { appContainers, assertServices, eventually, integrationGate } from '../helpers/services.js';

const gate = await integrationGate();

/**
 * Hostile commands through the whole queue -> worker -> sandbox path. Each case checks that the
 * harm is contained and that the learner gets a clear result. Both container paths are covered:
 * cold one-shot (a container per command), warm one-shot (pooled container + exec) and sessions.
 */
const paths: { name: string; pool: string; mode: ExecutionMode }[] = [
  { name: 'cold one-shot', pool: '0', mode: 'oneshot' },
  { name: 'warm one-shot', pool: '2', mode: 'oneshot' },
  { name: 'session', pool: '1', mode: 'session' },
];

describe.runIf(gate.run).each(paths)('containment: $name', ({ pool, mode }) => {
  let p: Pipeline;
  let n = 0;
  // A fresh learner per case, so single flight and sessions never couple two cases.
  const run = (command: string) => p.run(command, { mode, learner: `learner-${mode}-${pool}-${++n}` });

  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startPipeline({ POOL_SIZE: pool, SANDBOX_TIMEOUT_MS: '3000', SANDBOX_OUTPUT_BYTES: '65536' });
    await p.worker.sandbox.whenPoolFull(20_000);
  });
  afterAll(async () => {
    await p?.close();
    if (p) expect(await appContainers(p.config)).toHaveLength(0);
  });

  it('runs a plain command as the non-root learner and reports its exit code', async () => {
    const { result } = await run('id -u; id -un; echo to-stderr >&2; exit 3');
    expect(result.stdout).toBe('1000\nlearner\n');
    expect(result.stderr).toBe('to-stderr\n');
    expect(result.exitCode).toBe(3);
    expect(result).toMatchObject({ timedOut: false, oomKilled: false, truncated: false });
  });

  it('contains a fork bomb with the pids limit and still answers', async () => {
    const { result } = await run('b(){ b | b & }; b; sleep 1; echo still-here');
    expect(result.exitCode).not.toBeNull();
    expect(result.durationMs).toBeLessThan(3000 + 6000);
    // The next command for a new learner runs normally: the bomb did not leak out of its container.
    const after = await run('echo fine');
    expect(after.result.stdout).toBe('fine\n');
  });

  it('stops spawning at the pids limit with a clear fork error', async () => {
    // Counting through /proc with a glob needs no fork, so it works with the pids limit exhausted.
    const { result } = await run('(for i in $(seq 1 200); do sleep 5 & done); set -- /proc/[0-9]*; echo $#');
    expect(result.stderr).toMatch(/fork|Resource temporarily unavailable|retry/i);
    const count = Number(result.stdout.trim().split('\n').pop());
    expect(count).toBeGreaterThan(10);
    expect(count).toBeLessThanOrEqual(64);
  });

  it('reports out-of-memory for a memory bomb', async () => {
    const { result } = await run('dd if=/dev/zero of=/dev/null bs=600M count=1');
    expect(result.oomKilled).toBe(true);
    expect(result.exitCode).toBe(137);
    expect(result.timedOut).toBe(false);
  });

  it('times out a CPU spin and reports it', async () => {
    const { result } = await run('while :; do :; done');
    expect(result.timedOut).toBe(true);
    expect(result.durationMs).toBeGreaterThanOrEqual(2900);
    expect(result.durationMs).toBeLessThan(3000 + 6000);
  });

  it('times out sleep 999 and reports it', async () => {
    const { result } = await run('echo before; sleep 999');
    expect(result.timedOut).toBe(true);
    expect(result.stdout).toBe('before\n');
  });

  it('caps a stdout flood while streaming, marks truncation, and stops the flood early', async () => {
    const rssBefore = process.memoryUsage().rss;
    const { result } = await run('yes flood');
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBeLessThanOrEqual(65536);
    expect(result.stdout.startsWith('flood\nflood\n')).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.durationMs).toBeLessThan(2500);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('caps one huge line with no newline', async () => {
    const { result } = await run("head -c 300000000 /dev/zero | tr '\\0' 'a'");
    expect(result.truncated).toBe(true);
    expect(result.stdout).toMatch(/^a+$/);
    expect(result.stdout.length).toBe(65536);
  });

  it('returns stderr-only output', async () => {
    const { result } = await run('echo only-errors >&2; ls /does-not-exist');
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^only-errors\nls: cannot access '\/does-not-exist': No such file or directory\n$/);
    expect(result.exitCode).toBe(2);
  });

  it('keeps NUL bytes and replaces invalid UTF-8', async () => {
    const { result } = await run("printf 'a\\000b\\377c\\n'; printf '\\342\\202' >&2");
    expect(result.stdout).toBe('a\u0000b\ufffdc\n');
    expect(result.stderr).toBe('\ufffd');
  });

  it('has only the loopback interface; DNS and TCP fail', async () => {
    const links = await run('ls /sys/class/net');
    expect(links.result.stdout.trim()).toBe('lo');
    const dns = await run('getent hosts deb.debian.org; echo "rc=$?"');
    expect(dns.result.stdout).toMatch(/rc=2/);
    // 192.0.2.1 is TEST-NET-1; with no route nothing leaves the container.
    const tcp = await run('timeout 2 bash -c "echo > /dev/tcp/192.0.2.1/80"; echo "rc=$?"');
    expect(tcp.result.stderr).toMatch(/unreachable|Network|refused/i);
    expect(tcp.result.stdout).toMatch(/rc=1/);
  });

  it('has a read-only root and a small /tmp that fills up without harm', async () => {
    const root = await run('touch /evil');
    expect(root.result.stderr).toMatch(/Read-only file system/);
    const fill = await run('head -c 64M /dev/zero > /tmp/big; echo "rc=$?"; df -k /tmp | tail -1');
    expect(fill.result.stderr).toMatch(/No space left on device/);
    expect(fill.result.stdout).toMatch(/rc=1/);
  });

  it('has no Docker socket, no host paths, and setuid gains nothing', async () => {
    const { result } = await run(
      'ls -l /var/run/docker.sock /run/docker.sock 2>&1; cat /etc/shadow 2>&1; mount -t tmpfs none /tmp 2>&1; grep -E "^(CapEff|NoNewPrivs)" /proc/self/status',
    );
    expect(result.stdout).toMatch(/docker\.sock'?: No such file or directory/);
    expect(result.stdout).toMatch(/shadow: Permission denied/);
    expect(result.stdout).toMatch(/must be superuser|permission denied|not permitted/i);
    expect(result.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(result.stdout).toMatch(/NoNewPrivs:\s+1/);
  });

  it('refuses unshare -Ur under the default seccomp profile', async () => {
    const { result } = await run('unshare -Ur id');
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/Operation not permitted/);
  });
});

describe.runIf(gate.run)('one-shot runs leave nothing behind', () => {
  let p: Pipeline;
  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startPipeline({ POOL_SIZE: '1' });
  });
  afterAll(async () => p?.close());

  it('does not keep files from one run to the next', async () => {
    await p.run('echo secret > /tmp/note; echo secret > ~/note', { learner: 'forgetful' });
    const { result } = await p.run('cat /tmp/note ~/note', { learner: 'forgetful' });
    expect(result.stderr).toMatch(/\/tmp\/note: No such file or directory/);
    expect(result.stderr).toMatch(/home\/learner\/note: No such file or directory/);
  });

  it('removes the container after a timeout', async () => {
    const { result } = await p.run('sleep 999', { learner: 'sleepy' });
    expect(result.timedOut).toBe(true);
    await eventually(async () => (await appContainers(p.config, 'sensei.kind=oneshot')).length === 0 || undefined);
    // Only the refilled warm container remains.
    await eventually(async () => (await appContainers(p.config)).length <= 1 || undefined);
  });
});

describe.runIf(gate.run)('sessions', () => {
  let p: Pipeline;
  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startPipeline({ POOL_SIZE: '1' });
  });
  afterAll(async () => p?.close());

  it('keeps files between commands of one learner, and kills what a command left in the background', async () => {
    const first = await p.run('echo kept > ~/note; sleep 300 & echo started', { learner: 'sess-a', mode: 'session' });
    expect(first.newSession).toBe(true);
    expect(first.result.stdout).toBe('started\n');
    const second = await p.run('cat ~/note; ps -e -o user=,args=', { learner: 'sess-a', mode: 'session' });
    expect(second.newSession).toBe(false);
    expect(second.result.stdout).toMatch(/^kept\n/);
    expect(second.result.stdout).not.toMatch(/sleep 300/);
  });

  it('gives each learner a separate container', async () => {
    await p.run('echo mine > ~/note', { learner: 'sess-b', mode: 'session' });
    const other = await p.run('cat ~/note', { learner: 'sess-c', mode: 'session' });
    expect(other.result.stderr).toMatch(/No such file or directory/);
  });

  it('survives a timeout inside the session', async () => {
    const t = await p.run('echo x > ~/f; sleep 999', { learner: 'sess-d', mode: 'session' });
    expect(t.result.timedOut).toBe(true);
    const after = await p.run('cat ~/f', { learner: 'sess-d', mode: 'session' });
    expect(after.result.stdout).toBe('x\n');
  });

  it('ends a session on request and removes its container', async () => {
    await p.run('true', { learner: 'sess-e', mode: 'session' });
    expect(await p.worker.sandbox.endSession('sess-e')).toBe(true);
    const next = await p.run('true', { learner: 'sess-e', mode: 'session' });
    expect(next.newSession).toBe(true);
  });
});

describe.runIf(gate.run)('the opt-in userns profile', () => {
  let p: Pipeline;
  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startPipeline({ POOL_SIZE: '1' });
  });
  afterAll(async () => p?.close());

  it('lets unshare build namespaces, while the container keeps every other limit', async () => {
    for (const mode of ['oneshot', 'session'] as const) {
      const { result } = await p.queue.submit(
        `userns-${mode}`,
        'unshare -Ur id -u; unshare -Urn ls /sys/class/net; grep CapEff /proc/self/status; ls /sys/class/net; touch /evil 2>&1; (for i in $(seq 1 200); do sleep 5 & done) 2>/dev/null; set -- /proc/[0-9]*; echo "procs=$#"',
        mode,
        { profile: 'userns' },
      );
      expect(result.stdout).toMatch(/^0\nlo\nCapEff:\s+0000000000000000\nlo\n/);
      expect(result.stdout).toMatch(/Read-only file system/);
      expect(Number(/procs=(\d+)/.exec(result.stdout)?.[1])).toBeLessThanOrEqual(64);
    }
  });

  it('still refuses what the kernel keeps for real root, and the default profile still refuses unshare', async () => {
    const inside = await p.queue.submit('userns-limits', 'unshare -Ur sh -c "mount -t proc proc /proc; echo 1 > /proc/sys/kernel/hostname" 2>&1; unshare -Ur sh -c "ip link add dummy0 type dummy" 2>&1', 'oneshot', { profile: 'userns' });
    expect(inside.result.stdout).toMatch(/Operation not permitted|Permission denied|Read-only/);
    const plain = await p.queue.submit('userns-default', 'unshare -Ur id', 'oneshot');
    expect(plain.result.stderr).toMatch(/Operation not permitted/);
  });

  it('keeps a learner\'s userns session apart from the default one', async () => {
    await p.queue.submit('two-sessions', 'echo plain > ~/which', 'session');
    await p.queue.submit('two-sessions', 'echo userns > ~/which', 'session', { profile: 'userns' });
    expect((await p.queue.submit('two-sessions', 'cat ~/which', 'session')).result.stdout).toBe('plain\n');
    expect(await p.worker.sandbox.endSession('two-sessions')).toBe(true);
    // Both sessions ended: each profile starts afresh.
    expect((await p.queue.submit('two-sessions', 'true', 'session')).newSession).toBe(true);
    expect((await p.queue.submit('two-sessions', 'true', 'session', { profile: 'userns' })).newSession).toBe(true);
  });
});

describe.runIf(gate.run)('the cap on live sessions', () => {
  let p: Pipeline;
  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startPipeline({ POOL_SIZE: '0', MAX_SESSIONS: '1' });
  });
  afterAll(async () => p?.close());

  it('refuses a new session while all places are taken, and frees the place when a session ends', async () => {
    await p.run('echo first', { learner: 'cap-a', mode: 'session' });
    // The holder keeps using its session.
    expect((await p.run('echo again', { learner: 'cap-a', mode: 'session' })).result.stdout).toBe('again\n');
    await expect(p.run('echo second', { learner: 'cap-b', mode: 'session' })).rejects.toMatchObject({
      refusal: { code: 'unavailable' },
    });
    // One-shot commands do not need a place.
    expect((await p.run('echo oneshot', { learner: 'cap-b' })).result.stdout).toBe('oneshot\n');
    expect(await p.worker.sandbox.endSession('cap-a')).toBe(true);
    expect((await p.run('echo now', { learner: 'cap-b', mode: 'session' })).result.stdout).toBe('now\n');
  });
});
