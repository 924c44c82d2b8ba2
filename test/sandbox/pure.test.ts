import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, sandboxLimits } from '../../src/config.js';
import { commandSchema } from '../../src/queue/jobs.js';
import { CappedOutput, FrameDemuxer } from '../../src/sandbox/output.js';
import { hardenedContainerSpec, KEEPER_USER, LEARNER_USER } from '../../src/sandbox/spec.js';
import { splitTrailer, wrapCommand } from '../../src/sandbox/wrapper.js';

const frame = (type: 1 | 2, text: string | Buffer) => {
  const payload = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe('FrameDemuxer', () => {
  it('splits frames that arrive cut at any byte', () => {
    const got: string[] = [];
    const demux = new FrameDemuxer((s, p) => got.push(`${s}:${p.toString()}`));
    const all = Buffer.concat([frame(1, 'hello '), frame(2, 'oops'), frame(1, 'world')]);
    for (let i = 0; i < all.length; i += 3) demux.push(all.subarray(i, i + 3));
    expect(got).toEqual(['stdout:hello ', 'stderr:oops', 'stdout:world']);
  });
});

describe('CappedOutput', () => {
  it('keeps at most the limit across both streams and signals overflow once', () => {
    let overflows = 0;
    const out = new CappedOutput(10, () => overflows++);
    out.push('stdout', Buffer.from('12345678'));
    out.push('stderr', Buffer.from('abcdef'));
    for (let i = 0; i < 100; i++) out.push('stdout', Buffer.alloc(1000, 'x'));
    expect(out.text()).toEqual({ stdout: '12345678', stderr: 'ab' });
    expect(out.truncated()).toBe(true);
    expect(overflows).toBe(1);
  });

  it('remembers the end of stderr even past the limit, and strips the trailer', () => {
    const out = new CappedOutput(1024);
    out.push('stderr', Buffer.from('real error\n'));
    out.push('stderr', Buffer.from('\x1eSENSEI:abc:3:0\n'));
    const { trailer, trailerBytes } = splitTrailer(out.tail(), 'abc');
    expect(trailer).toEqual({ exitCode: 3, oomKills: 0 });
    expect(out.text(trailerBytes).stderr).toBe('real error\n');
    expect(out.truncated(trailerBytes)).toBe(false);
  });

  it('decodes invalid UTF-8 as U+FFFD and keeps NUL', () => {
    const out = new CappedOutput(100);
    out.push('stdout', Buffer.from([0x61, 0x00, 0x62, 0xff, 0x63]));
    expect(out.text().stdout).toBe('a\u0000b\ufffdc');
  });
});

describe('the wrapper trailer', () => {
  it('is accepted only with this run\'s nonce and only at the very end', () => {
    const { nonce, argv } = wrapCommand('ps aux');
    expect(argv).toEqual(['/bin/sh', '-c', '. /usr/local/bin/sensei-run', 'sh', 'ps aux', nonce]);
    expect(splitTrailer(Buffer.from(`\x1eSENSEI:${nonce}:0:1\n`), nonce).trailer).toEqual({ exitCode: 0, oomKills: 1 });
    expect(splitTrailer(Buffer.from('\x1eSENSEI:forged:0:0\n'), nonce).trailer).toBeUndefined();
    expect(splitTrailer(Buffer.from(`\x1eSENSEI:${nonce}:0:0\nmore`), nonce).trailer).toBeUndefined();
    expect(splitTrailer(Buffer.from(`SENSEI:${nonce}:0:0\n`), nonce).trailer).toBeUndefined();
  });
});

describe('the hardened container spec', () => {
  const config = loadConfig({});
  const spec = hardenedContainerSpec({
    image: 'img',
    limits: sandboxLimits(config),
    cmd: ['true'],
    user: LEARNER_USER,
    labels: { app: 'sensei', workerId: 'w1', learnerId: 'alice', kind: 'oneshot', expiresAt: 123 },
  });
  const host = spec.HostConfig!;

  it('isolates: no network, no capabilities, no privilege gain, read-only root, nothing from the host', () => {
    expect(host.NetworkMode).toBe('none');
    expect(spec.NetworkDisabled).toBe(true);
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd).toEqual([]);
    expect(host.SecurityOpt).toContain('no-new-privileges:true');
    expect(host.Privileged).toBe(false);
    expect(host.ReadonlyRootfs).toBe(true);
    expect(host.Binds).toEqual([]);
    expect(host.Mounts).toEqual([]);
    expect(host.Devices).toEqual([]);
    expect(host.Init).toBe(true);
    expect(spec.User).toBe('1000:1000');
    expect(KEEPER_USER).not.toBe(LEARNER_USER);
  });

  it('limits: memory equals memory+swap, pids, CPU, open files, small nosuid tmpfs', () => {
    expect(host.Memory).toBe(256 * 1024 * 1024);
    expect(host.MemorySwap).toBe(host.Memory);
    expect(host.PidsLimit).toBe(64);
    expect(host.NanoCpus).toBe(1e9);
    // Below a default container's 1024: under contention learners' commands yield the CPU to the bot.
    expect(host.CpuShares).toBe(128);
    expect(host.Ulimits).toContainEqual({ Name: 'nofile', Soft: 256, Hard: 256 });
    expect(host.Tmpfs?.['/tmp']).toMatch(/nosuid,nodev,size=16777216/);
  });

  it('labels the owner, learner and expiry', () => {
    expect(spec.Labels).toEqual({
      'sensei.app': 'sensei',
      'sensei.worker': 'w1',
      'sensei.learner': 'alice',
      'sensei.kind': 'oneshot',
      'sensei.expires': '123',
    });
  });
});

describe('configuration', () => {
  it('has laptop defaults', () => {
    const c = loadConfig({});
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.SANDBOX_IMAGE).toMatch(/^container-sensei\/sandbox:\d+$/);
    expect(c.POOL_SIZE).toBe(2);
  });

  it('names every bad value', () => {
    expect(() => loadConfig({ SANDBOX_MEMORY_MB: 'lots', POOL_SIZE: '-1' })).toThrow(ConfigError);
    try {
      loadConfig({ SANDBOX_MEMORY_MB: 'lots', POOL_SIZE: '-1' });
    } catch (err) {
      expect((err as Error).message).toMatch(/SANDBOX_MEMORY_MB="lots"/);
      expect((err as Error).message).toMatch(/POOL_SIZE="-1"/);
    }
  });
});

describe('command validation', () => {
  it('accepts unicode, tabs and newlines; refuses empty, over-long and control characters', () => {
    expect(commandSchema.safeParse('echo "🐳\tコンテナ"\nls').success).toBe(true);
    expect(commandSchema.safeParse(' ').success).toBe(false);
    expect(commandSchema.safeParse('x'.repeat(2001)).success).toBe(false);
    expect(commandSchema.safeParse('echo \u001b[31m').success).toBe(false);
  });
});
