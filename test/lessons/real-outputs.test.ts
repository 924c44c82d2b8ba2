import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { judgeStepRun, lessonLanguages, loadCurriculum, matchExpectations, type Curriculum } from '../../src/lessons/index.js';
import { result } from './fixtures.js';

/**
 * Outputs of the real sandbox commands. "v1" ones were recorded in container-sensei/sandbox:1 on a
 * cgroup v1 (hybrid) host with the sandbox's flags; "v2" ones are what the same commands print on a
 * cgroup v2 host (private cgroup namespace, same limits); "opt-in" ones come from a seccomp profile that
 * allows user namespaces. Each must land on the expectation named, in both languages.
 */
const samples: { name: string; step: string; expect: string; stdout?: string; stderr?: string; exitCode?: number; oomKilled?: boolean }[] = [
  { name: 'v1', step: 'container-is-a-process/cgroup-controllers', expect: 'cgroup-v1', stdout: 'blkio\ncpu\ncpuacct\ncpuset\ndevices\nfreezer\nmemory\npids\nsystemd\n' },
  { name: 'v2', step: 'container-is-a-process/cgroup-controllers', expect: 'cgroup-v2', stdout: 'cpuset cpu io memory hugetlb pids rdma misc\n' },
  {
    name: 'v1',
    step: 'host-view/shared-or-not',
    expect: 'host-user-namespace',
    stdout: 'user user:[4026531837]\npid pid:[4026535539]\nnet net:[4026535540]\nuts uts:[4026535537]\ncgroup cgroup:[4026531835]\n',
  },
  {
    name: 'v2',
    step: 'host-view/shared-or-not',
    expect: 'host-user-namespace',
    stdout: 'user user:[4026531837]\npid pid:[4026532301]\nnet net:[4026532303]\nuts uts:[4026532299]\ncgroup cgroup:[4026532304]\n',
  },
  {
    name: 'rootless',
    step: 'host-view/shared-or-not',
    expect: 'own-user-namespace',
    stdout: 'user user:[4026532190]\npid pid:[4026532301]\nnet net:[4026532303]\nuts uts:[4026532299]\ncgroup cgroup:[4026532304]\n',
  },
  { name: 'v1 and v2', step: 'host-view/host-pid', expect: 'one-level-inside', stdout: '/proc/self/status:NSpid:\t11\n/proc/1/status:NSpid:\t1\n' },
  { name: 'v1 and v2', step: 'host-view/memory-limit-file', expect: 'limit-256m', stdout: '268435456\n' },
  { name: '128m', step: 'host-view/memory-limit-file', expect: 'other-limit', stdout: '134217728\n' },
  { name: 'v2 unlimited', step: 'host-view/memory-limit-file', expect: 'no-limit', stdout: 'max\n' },
  {
    name: 'v1',
    step: 'host-view/oom-kill',
    expect: 'oom-killed',
    stdout: 'exit=137\noom_kill_disable 0\nunder_oom 0\noom_kill 1\n',
    stderr: 'Killed\n',
    oomKilled: true,
  },
  {
    name: 'v2',
    step: 'host-view/oom-kill',
    expect: 'oom-killed',
    stdout: 'exit=137\nlow 0\nhigh 0\nmax 1523\noom 1\noom_kill 1\noom_group_kill 0\n',
    stderr: 'Killed\n',
    oomKilled: true,
  },
  { name: 'v1', step: 'cgroup-versions/filesystem-type', expect: 'v1', stdout: 'tmpfs\n' },
  { name: 'v2', step: 'cgroup-versions/filesystem-type', expect: 'v2', stdout: 'cgroup2fs\n' },
  {
    name: 'v1 hybrid',
    step: 'cgroup-versions/my-cgroup',
    expect: 'v1-lines',
    stdout: '4:memory:/docker/20a623d68c16\n1:cpu:/docker/20a623d68c16\n0::/docker/20a623d68c16\n',
  },
  { name: 'v2', step: 'cgroup-versions/my-cgroup', expect: 'v2-own-namespace', stdout: '0::/\n' },
  { name: 'v2 host cgroupns', step: 'cgroup-versions/my-cgroup', expect: 'v2-host-namespace', stdout: '0::/system.slice/docker-20a623d68c16.scope\n' },
  {
    name: 'v1',
    step: 'cgroup-versions/limit-files',
    expect: 'v1-limits',
    stdout: 'memory/memory.limit_in_bytes = 268435456\npids/pids.max = 64\ncpu/cpu.cfs_quota_us = 100000\n',
  },
  { name: 'v2', step: 'cgroup-versions/limit-files', expect: 'v2-limits', stdout: 'memory.max = 268435456\npids.max = 64\ncpu.max = 100000 100000\n' },
  {
    name: 'v2',
    step: 'memory-and-oom/free-vs-limit',
    expect: 'host-total-vs-limit',
    stdout: '               total        used        free      shared  buff/cache   available\nMem:            7951        1204        5112          12        1634        6458\n268435456\n',
  },
  { name: 'v2', step: 'memory-and-oom/peak-usage', expect: 'peak-recorded', stdout: '104857600\n107458560\n' },
  { name: 'v2 old kernel', step: 'memory-and-oom/peak-usage', expect: 'no-peak-counter', stdout: '104857600\nno peak counter\n' },
  { name: 'v1', step: 'memory-and-oom/oom-counters', expect: 'oom-recorded', stdout: 'exit=137\noom_kill 1\n', stderr: 'Killed\n', oomKilled: true },
  { name: 'v2', step: 'memory-and-oom/oom-counters', expect: 'oom-recorded', stdout: 'exit=137\nmax 1523\noom 1\noom_kill 1\n', stderr: 'Killed\n', oomKilled: true },
  { name: 'v1', step: 'memory-and-oom/swap-limit', expect: 'memsw-equals-memory', stdout: '268435456\n' },
  { name: 'v2', step: 'memory-and-oom/swap-limit', expect: 'no-swap-v2', stdout: '0\n' },
  { name: 'v1 and v2', step: 'cpu-and-pids/cpu-quota', expect: 'one-cpu-quota', stdout: '100000 100000\nnproc: 2\n' },
  { name: 'v2 unlimited', step: 'cpu-and-pids/cpu-quota', expect: 'no-quota', stdout: 'max 100000\nnproc: 8\n' },
  { name: 'v1', step: 'cpu-and-pids/throttling', expect: 'throttled', stdout: 'nr_throttled 10\nthrottled_time 971376319\n' },
  { name: 'v2', step: 'cpu-and-pids/throttling', expect: 'throttled', stdout: 'nr_throttled 9\nthrottled_usec 893012\n' },
  { name: 'one cpu', step: 'cpu-and-pids/throttling', expect: 'not-throttled', stdout: 'nr_throttled 0\nthrottled_usec 0\n' },
  { name: 'v1 and v2', step: 'cpu-and-pids/pids-limit', expect: 'limit-64', stdout: '64\n5\n' },
  { name: 'dash', step: 'cpu-and-pids/fork-flood', expect: 'fork-failed', stdout: 'inner shell exit: 2\n', stderr: 'sh: 0: Cannot fork\n' },
  {
    name: 'v2',
    step: 'mount-namespace/mount-table',
    expect: 'mounts-listed',
    stdout: '/                         overlay\n/proc                     proc\n/dev                      tmpfs\n/sys/fs/cgroup            cgroup2\n/tmp                      tmpfs\n',
  },
  { name: 'default seccomp', step: 'overlayfs/build-an-overlay', expect: 'userns-refused', stderr: 'unshare: unshare failed: Operation not permitted\n', exitCode: 1 },
  {
    name: 'opt-in seccomp',
    step: 'overlayfs/build-an-overlay',
    expect: 'copy-up-and-whiteout',
    stdout: 'total 4\n-rw-r--r-- 1 root root   25 Nov 29 02:33 a.txt\nc--------- 2 root root 0, 0 Nov 29 02:33 b.txt\nfrom the image\n',
  },
  { name: 'default seccomp', step: 'unshare-by-hand/root-in-userns', expect: 'userns-refused', stdout: '1000\n', stderr: 'unshare: unshare failed: Operation not permitted\n', exitCode: 1 },
  {
    name: 'opt-in seccomp',
    step: 'unshare-by-hand/root-in-userns',
    expect: 'became-root',
    stdout: '1000\nuid=0(root) gid=0(root) groups=0(root)\n         0       1000          1\n',
  },
  { name: 'opt-in seccomp', step: 'unshare-by-hand/own-hostname', expect: 'hostname-changed-inside', stdout: 'inside: my-first-container\noutside: sensei\n' },
  {
    name: 'default seccomp',
    step: 'unshare-by-hand/own-hostname',
    expect: 'uts-refused',
    stdout: 'outside: sensei\n',
    stderr: 'unshare: unshare failed: Operation not permitted\n',
  },
  {
    name: 'opt-in seccomp',
    step: 'unshare-by-hand/own-pid-one',
    expect: 'pid-one',
    stdout: 'my PID: 1\n',
    stderr: 'fatal library error, lookup self\n',
    exitCode: 1,
  },
  { name: 'opt-in seccomp', step: 'seccomp/userns-syscall', expect: 'userns-allowed', stdout: 'exit=0\n' },
  {
    name: 'default seccomp',
    step: 'seccomp/userns-syscall',
    expect: 'userns-blocked',
    stdout: 'exit=1\n',
    stderr: 'unshare: unshare failed: Operation not permitted\n',
  },
];

let curriculum: Curriculum;
beforeAll(async () => {
  curriculum = await loadCurriculum(fileURLToPath(new URL('../../lessons', import.meta.url)));
});

describe('expectations against real sandbox outputs', () => {
  it.each(samples)('$step ($name) -> $expect', (sample) => {
    const [lessonId = '', stepId = ''] = sample.step.split('/');
    for (const lang of lessonLanguages) {
      const step = curriculum.step(lang, lessonId, stepId);
      if (!step) throw new Error(`no step ${sample.step} in ${lang}`);
      const run = result({
        stdout: sample.stdout ?? '',
        stderr: sample.stderr ?? '',
        exitCode: sample.exitCode ?? 0,
        oomKilled: sample.oomKilled ?? false,
      });
      expect(matchExpectations(step, run, lang)).toMatchObject({ kind: 'expected', id: sample.expect });
    }
  });
});

describe('outputs that mean the demonstration did not happen', () => {
  const failures: { step: string; id: string; stdout?: string; stderr?: string; exitCode?: number }[] = [
    { step: 'uts-and-ipc/ipc-same-container', id: 'segment-gone', stdout: '\n------ Shared Memory Segments --------\nkey        shmid      owner      perms      bytes      nattch     status      \n\n' },
    { step: 'mount-namespace/read-the-note', id: 'note-gone', stderr: 'cat: /tmp/note: No such file or directory\n', exitCode: 1 },
    { step: 'pid-namespace/zombie', id: 'no-zombie', stdout: '    PID    PPID STAT COMMAND\n      1       0 Ss   docker-init\n     12      10 R    ps\n' },
    { step: 'host-view/oom-kill', id: 'not-killed', stdout: 'exit=0\noom_kill 0\n' },
    { step: 'cpu-and-pids/fork-flood', id: 'all-started', stdout: 'all started\ninner shell exit: 0\n' },
  ];
  it.each(failures)('$step -> $id fails the lesson check but is explained', (sample) => {
    const [lessonId = '', stepId = ''] = sample.step.split('/');
    for (const lang of lessonLanguages) {
      const step = curriculum.step(lang, lessonId, stepId);
      if (!step) throw new Error(`no step ${sample.step}`);
      const run = result({ stdout: sample.stdout ?? '', stderr: sample.stderr ?? '', exitCode: sample.exitCode ?? 0 });
      const judged = judgeStepRun(step, run, lang);
      expect(judged.ok).toBe(false);
      expect(judged.outcome).toMatchObject({ kind: 'unexpected', source: 'step', id: sample.id });
    }
  });
});
