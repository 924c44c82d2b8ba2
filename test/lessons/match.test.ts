import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/sandbox/types.js';
import {
  builtinExplanations,
  builtinFor,
  builtinIds,
  combinedOutput,
  matchExpectations,
  parseLessonFile,
  type Step,
} from '../../src/lessons/index.js';
import { result } from './fixtures.js';

/** A step with expectations as a lesson file would give them (lists already normalised). */
function step(partial: Pick<Step, 'expect'> & Partial<Pick<Step, 'unexpected'>>): Pick<Step, 'expect' | 'unexpected'> {
  return partial;
}

const cgroupStep = step({
  expect: [
    { id: 'v2', match: { stdout: ['^(?:\\w+ )+\\w+$', '\\bmemory\\b'] }, explain: 'v2 explained' },
    { id: 'v1', match: { stdout: ['^memory$', '^pids$'] }, explain: 'v1 explained' },
  ],
});

describe('matchExpectations', () => {
  it('returns the expectation that matches, with its explanation', () => {
    const v2 = matchExpectations(cgroupStep, result({ stdout: 'cpuset cpu io memory hugetlb pids rdma misc\n' }), 'en');
    expect(v2).toMatchObject({ kind: 'expected', id: 'v2', explain: 'v2 explained' });
    const v1 = matchExpectations(cgroupStep, result({ stdout: 'blkio\ncpu\nmemory\npids\n' }), 'en');
    expect(v1).toMatchObject({ kind: 'expected', id: 'v1', explain: 'v1 explained' });
  });

  it('requires every regex of a list, and treats ^ and $ per line', () => {
    expect(matchExpectations(cgroupStep, result({ stdout: 'blkio\nmemory\n' }), 'en').kind).toBe('unmatched');
  });

  it('checks stderr, combined output and exit codes', () => {
    const s = step({
      expect: [
        { id: 'both', match: { stderr: ['denied'], exitCode: [1, 2] }, explain: 'e' },
        { id: 'combined', match: { output: ['^out\\nerr$'] }, explain: 'c' },
      ],
    });
    expect(matchExpectations(s, result({ stderr: 'access denied', exitCode: 2 }), 'en').id).toBe('both');
    expect(matchExpectations(s, result({ stderr: 'access denied', exitCode: 3 }), 'en').id).toBe('unmatched');
    expect(matchExpectations(s, result({ stdout: 'out', stderr: 'err' }), 'en').id).toBe('combined');
  });

  it('rejects an expectation whose `not` matcher matches', () => {
    const s = step({
      expect: [{ id: 'only-lo', match: { stdout: ['^lo\\s'], not: { stdout: ['^eth0'] } }, explain: 'only lo' }],
    });
    expect(matchExpectations(s, result({ stdout: 'lo UNKNOWN 127.0.0.1/8\n' }), 'en').id).toBe('only-lo');
    expect(matchExpectations(s, result({ stdout: 'lo UNKNOWN\neth0 UP\n' }), 'en').id).toBe('unmatched');
  });

  it('never takes partial output of a timed-out or killed run for success', () => {
    const s = step({ expect: [{ id: 'has-output', match: { stdout: ['hello'] }, explain: 'ok' }] });
    const timedOut = matchExpectations(s, result({ stdout: 'hello', timedOut: true, exitCode: 124 }), 'en');
    expect(timedOut).toMatchObject({ kind: 'unexpected', source: 'builtin', id: 'timeout' });
    const killed = matchExpectations(s, result({ stdout: 'hello', exitCode: 137 }), 'en');
    expect(killed).toMatchObject({ kind: 'unexpected', source: 'builtin', id: 'killed' });
    const noExit = matchExpectations(s, result({ stdout: 'hello', exitCode: null }), 'en');
    expect(noExit.kind).not.toBe('expected');
  });

  it('lets a step expect an OOM kill or a timeout when it asks for one', () => {
    const s = step({
      expect: [
        { id: 'oom', match: { exitCode: [137], oomKilled: true }, explain: 'killed as planned' },
        { id: 'slow', match: { timedOut: true }, explain: 'timed out as planned' },
      ],
    });
    expect(matchExpectations(s, result({ exitCode: 137, oomKilled: true }), 'en').id).toBe('oom');
    expect(matchExpectations(s, result({ exitCode: 124, timedOut: true }), 'en').id).toBe('slow');
  });

  it('accepts a surviving shell whose child was OOM-killed', () => {
    const s = step({ expect: [{ id: 'oom-killed', match: { stdout: ['^exit=137$', '^oom_kill [1-9]'] }, explain: 'x' }] });
    const r = result({ stdout: 'exit=137\noom_kill_disable 0\noom_kill 1\n', stderr: 'Killed\n', oomKilled: true });
    expect(matchExpectations(s, r, 'en').id).toBe('oom-killed');
  });

  it("uses the step's own unexpected results before the built-in ones", () => {
    const s = step({
      expect: [{ id: 'fine', match: { exitCode: [0] }, explain: 'fine' }],
      unexpected: [{ id: 'no-unshare', match: { stderr: ['unshare failed'] }, explain: 'seccomp said no', hint: 'try sudo' }],
    });
    const outcome = matchExpectations(s, result({ stderr: 'unshare: unshare failed: Operation not permitted', exitCode: 1 }), 'ja');
    expect(outcome).toMatchObject({ kind: 'unexpected', source: 'step', id: 'no-unshare', explain: 'seccomp said no', hint: 'try sudo' });
  });

  it('explains built-in surprises in the learner language', () => {
    const s = step({ expect: [{ id: 'never', match: { stdout: ['^never$'] }, explain: 'x' }] });
    const r = result({ stderr: 'sh: 1: nosuchcmd: not found\n', exitCode: 127 });
    expect(matchExpectations(s, r, 'en')).toMatchObject({ id: 'command-not-found', explain: builtinExplanations['command-not-found'].en });
    expect(matchExpectations(s, r, 'ja').explain).toBe(builtinExplanations['command-not-found'].ja);
    expect(matchExpectations(s, result({ stdout: 'something else' }), 'ja')).toMatchObject({
      kind: 'unmatched',
      explain: builtinExplanations.unmatched.ja,
    });
  });

  it('takes the sandbox RunResult as it is', () => {
    const run: RunResult = { stdout: 'cpuset cpu io memory pids\n', stderr: '', exitCode: 0, timedOut: false, oomKilled: false, truncated: false, durationMs: 42 };
    expect(matchExpectations(cgroupStep, run, 'en').id).toBe('v2');
  });
});

describe('builtinFor', () => {
  const cases: [string, Parameters<typeof builtinFor>[0], string | undefined][] = [
    ['timeout', result({ timedOut: true, exitCode: 124 }), 'timeout'],
    ['oom flag', result({ oomKilled: true, exitCode: 137, stderr: 'Killed' }), 'oom'],
    ['exit 137 without the flag', result({ exitCode: 137 }), 'killed'],
    [
      'v2 path on a v1 host',
      result({ stderr: 'cat: /sys/fs/cgroup/memory.max: No such file or directory\n', exitCode: 1 }),
      'cgroup-v1-host',
    ],
    [
      'cgroup.controllers on a v1 host',
      result({ stderr: 'cat: /sys/fs/cgroup/cgroup.controllers: No such file or directory\n', exitCode: 1 }),
      'cgroup-v1-host',
    ],
    [
      'v1 path on a v2 host',
      result({ stderr: 'cat: /sys/fs/cgroup/memory/memory.limit_in_bytes: No such file or directory\n', exitCode: 1 }),
      'cgroup-v2-host',
    ],
    ['pids exhausted (dash)', result({ stderr: 'sh: 0: Cannot fork\n', exitCode: 2 }), 'pids-limit'],
    ['pids exhausted (bash)', result({ stderr: 'bash: fork: retry: Resource temporarily unavailable\n', exitCode: 254 }), 'pids-limit'],
    ['read-only root', result({ stderr: 'sh: 1: cannot create /etc/x: Read-only file system\n', exitCode: 2 }), 'read-only'],
    ['EPERM', result({ stderr: 'unshare: unshare failed: Operation not permitted\n', exitCode: 1 }), 'not-permitted'],
    ['permission denied', result({ stderr: 'cat: /etc/shadow: Permission denied\n', exitCode: 1 }), 'permission-denied'],
    ['command not found (dash)', result({ stderr: 'sh: 1: python3: not found\n', exitCode: 127 }), 'command-not-found'],
    ['command not found (bash)', result({ stderr: 'bash: line 1: vim: command not found\n', exitCode: 127 }), 'command-not-found'],
    ['no network', result({ stderr: 'curl: (6) Could not resolve host: example.com\n', exitCode: 6 }), 'no-network'],
    ['other missing file', result({ stderr: 'ls: cannot access /nope: No such file or directory\n', exitCode: 2 }), 'no-such-file'],
    ['truncated output', result({ stdout: 'lots', truncated: true }), 'truncated'],
    ['nothing special', result({ stdout: 'fine' }), undefined],
  ];
  it.each(cases)('%s', (_name, r, id) => {
    expect(builtinFor(r)).toBe(id);
  });

  it('has both languages for every built-in explanation', () => {
    for (const id of builtinIds) {
      expect(builtinExplanations[id].ja, id).toMatch(/[\u3040-\u30ff]/);
      expect(builtinExplanations[id].en, id).toMatch(/^[\x20-\x7e\u2019\u00a0-\u00ff\u2000-\u2bff\u{1f300}-\u{1faff}\ufe0f]+$/u);
    }
  });
});

describe('combinedOutput', () => {
  it('joins stdout and stderr on a line boundary', () => {
    expect(combinedOutput({ stdout: 'a', stderr: 'b' })).toBe('a\nb');
    expect(combinedOutput({ stdout: 'a\n', stderr: 'b' })).toBe('a\nb');
    expect(combinedOutput({ stdout: '', stderr: 'b' })).toBe('b');
  });
});

describe('matchers from a parsed file', () => {
  it('behave the same as hand-built ones', () => {
    const text = `id: tiny
title: Tiny
phase: { number: 1, title: T }
summary: s
intro: i
outro: o
steps:
  - id: one
    title: One
    mode: oneshot
    say: { point: p }
    try: { sandbox: 'cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes' }
    expect:
      - id: limit
        match: { stdout: '^268435456$', exitCode: 0 }
        explain: the limit
    hints: { nudge: n, stronger: s, answer: a }
`;
    const parsed = parseLessonFile('en/01-tiny.yaml', text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const only = parsed.lesson.steps[0];
    if (!only) throw new Error('no step');
    expect(matchExpectations(only, result({ stdout: '268435456\n' }), 'en').id).toBe('limit');
    expect(matchExpectations(only, result({ stdout: '134217728\n' }), 'en').id).toBe('unmatched');
  });
});
