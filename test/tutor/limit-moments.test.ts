// Which sandbox limit a typed command's result shows, and what the tutor says about it (pure: no services).
import { describe, expect, it } from 'vitest';
import { explainLimitMoment, limitMomentFor, shownLimits } from '../../src/tutor/limit-moments.js';
import type { RunResult } from '../../src/sandbox/types.js';

const result = (over: Partial<RunResult>): RunResult => ({ stdout: '', stderr: '', exitCode: 0, timedOut: false, oomKilled: false, truncated: false, durationMs: 10, ...over });

describe('limit moments for typed sandbox commands', () => {
  it('names each limit from what the command and its result show', () => {
    expect(limitMomentFor(`bash -c ':(){ :|:& };:'`, result({}))).toBe('fork-bomb');
    expect(limitMomentFor(`b(){ b|b& }; b`, result({}))).toBe('fork-bomb');
    // Typed as is, dash (the sandbox's sh) refuses `:` as a function name: nothing forked, and the tutor says so.
    expect(limitMomentFor(`:(){ :|:& };:`, result({ stderr: 'sh: 1: eval: Syntax error: Bad function name\n', exitCode: 2 }))).toBe('fork-bomb-not-started');
    expect(explainLimitMoment('ja', `:(){ :|:& };:`, result({ stderr: 'sh: 1: eval: Syntax error: Bad function name\n', exitCode: 2 }))).toMatch(/始まってもいない.*dash/s);
    expect(limitMomentFor('for i in $(seq 100); do sleep 9 & done', result({ stderr: 'bash: fork: retry: Resource temporarily unavailable\n', exitCode: 254 }))).toBe('fork-bomb');
    expect(limitMomentFor('curl https://example.com', result({ stderr: 'sh: 1: curl: not found\n', exitCode: 127 }))).toBe('network-tool-missing');
    expect(limitMomentFor('sudo wget http://x', result({ exitCode: 127 }))).toBe('network-tool-missing');
    expect(limitMomentFor('apt-get update', result({ stderr: 'E: List directory /var/lib/apt/lists/partial is missing. - Acquire (30: Read-only file system)\n', exitCode: 100 }))).toBe('package-install');
    expect(limitMomentFor('apt-get -y install curl', result({ exitCode: 100 }))).toBe('package-install');
    expect(limitMomentFor('getent hosts example.com', result({ stderr: 'Temporary failure in name resolution\n', exitCode: 2 }))).toBe('network-failed');
    const dd = result({ stderr: "dd: error writing '/tmp/big': No space left on device\n16+0 records out\n", exitCode: 1 });
    expect(limitMomentFor('dd if=/dev/zero of=/tmp/big bs=1M count=100', dd)).toBe('tmp-full');
    const rm = result({ stderr: "rm: cannot remove '/etc/rc2.d': Read-only file system\n".repeat(40), exitCode: 137, truncated: true });
    expect(limitMomentFor('rm -rf / --no-preserve-root', rm)).toBe('read-only-root');
    expect(limitMomentFor('cat /dev/zero', result({ stdout: '\0'.repeat(4096), exitCode: 137, truncated: true }))).toBe('nul-output');
  });

  it('leaves ordinary results to the usual explanations', () => {
    expect(limitMomentFor('echo hi', result({ stdout: 'hi\n' }))).toBeUndefined();
    // A misspelt command is not a network tool: the "not in this image, check the spelling" builtin stays.
    expect(limitMomentFor('lss', result({ stderr: 'sh: 1: lss: not found\n', exitCode: 127 }))).toBeUndefined();
    // curl that is there and worked (a lesson's own image, say) is no limit moment.
    expect(limitMomentFor('curl localhost', result({ stdout: 'ok\n' }))).toBeUndefined();
    expect(limitMomentFor('yes', result({ stdout: 'y\n'.repeat(100), exitCode: 137, truncated: true }))).toBeUndefined();
    expect(limitMomentFor('printf ""', result({ stdout: '' }))).toBeUndefined();
  });

  it('words the limits with the sandbox\'s own numbers, in both languages', () => {
    const limits = shownLimits({ pids: 32, tmpBytes: 8 * 2 ** 20, outputBytes: 32 * 1024 });
    const bomb = result({});
    expect(explainLimitMoment('en', ':(){ :|:& };:', bomb, limits)).toMatch(/32 processes \(`pids\.max`\)/);
    expect(explainLimitMoment('ja', ':(){ :|:& };:', bomb, limits)).toMatch(/32 個/);
    const full = result({ stderr: 'No space left on device\n', exitCode: 1 });
    expect(explainLimitMoment('en', 'dd', full, limits)).toMatch(/8 MiB tmpfs/);
    expect(explainLimitMoment('ja', 'dd', full, limits)).toMatch(/8 MiB の tmpfs/);
    expect(explainLimitMoment('en', 'curl x', result({ exitCode: 127 }), limits)).toMatch(/no network on purpose.*network namespace/s);
    expect(explainLimitMoment('en', 'curl x', result({ exitCode: 127 }), limits)).not.toMatch(/spelling/);
    // The defaults are the configured sandbox's: 64 PIDs, a 16 MiB /tmp, a 64 KiB output cap.
    expect(shownLimits()).toEqual({ pids: 64, tmpMiB: 16, outputKiB: 64 });
  });
});
