import type { ContainerCreateOptions } from 'dockerode';
import type { SandboxLimits } from '../config.js';

export const LEARNER_USER = '1000:1000';
/** Pooled containers idle under a different uid, so a learner's `kill -1` cannot end the keeper. */
export const KEEPER_USER = '1001:1001';
export const LEARNER_HOME = '/home/learner';
export const SANDBOX_ENV = [
  'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'LANG=C.UTF-8',
  `HOME=${LEARNER_HOME}`,
  'TERM=dumb',
];

export type ContainerKind = 'oneshot' | 'pool';

export interface ContainerLabels {
  app: string;
  workerId: string;
  learnerId: string;
  kind: ContainerKind;
  expiresAt: number;
}

export const LABEL = {
  app: 'sensei.app',
  worker: 'sensei.worker',
  learner: 'sensei.learner',
  kind: 'sensei.kind',
  expires: 'sensei.expires',
} as const;

export function labelsFor(l: ContainerLabels): Record<string, string> {
  return {
    [LABEL.app]: l.app,
    [LABEL.worker]: l.workerId,
    [LABEL.learner]: l.learnerId,
    [LABEL.kind]: l.kind,
    [LABEL.expires]: String(l.expiresAt),
  };
}

export interface SpecInput {
  image: string;
  limits: SandboxLimits;
  labels: ContainerLabels;
  /** The container's main process: the learner's wrapped command, or the pool keeper. */
  cmd: string[];
  user: string;
  /** A seccomp profile's JSON text (the Engine API takes the profile itself, not a path). */
  seccompProfile?: string;
  /** The engine removes the container once it exits (one-shot containers: no remove request of our own). */
  autoRemove?: boolean;
}

/**
 * The one place where a sandbox container's isolation is decided. Learners are strangers: no network,
 * no capabilities, no privilege gain, read-only root, small tmpfs, hard memory/pids/CPU/file limits,
 * nothing from the host mounted, never privileged.
 */
export function hardenedContainerSpec(input: SpecInput): ContainerCreateOptions {
  const { limits } = input;
  const securityOpt = ['no-new-privileges:true'];
  if (input.seccompProfile) securityOpt.push(`seccomp=${input.seccompProfile}`);
  return {
    Image: input.image,
    Cmd: input.cmd,
    User: input.user,
    Env: SANDBOX_ENV,
    WorkingDir: LEARNER_HOME,
    Hostname: 'sensei',
    Labels: labelsFor(input.labels),
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: false,
    Tty: false,
    NetworkDisabled: true,
    StopTimeout: 1,
    HostConfig: {
      NetworkMode: 'none',
      Privileged: false,
      ReadonlyRootfs: true,
      Tmpfs: {
        '/tmp': `rw,nosuid,nodev,size=${limits.tmpBytes},mode=1777`,
        [LEARNER_HOME]: `rw,nosuid,nodev,size=${limits.tmpBytes},uid=1000,gid=1000,mode=0755`,
      },
      CapDrop: ['ALL'],
      CapAdd: [],
      SecurityOpt: securityOpt,
      Memory: limits.memoryBytes,
      MemorySwap: limits.memoryBytes,
      MemoryReservation: 0,
      OomKillDisable: false,
      PidsLimit: limits.pids,
      NanoCpus: limits.nanoCpus,
      CpuShares: limits.cpuShares,
      ...(limits.cpuset ? { CpusetCpus: limits.cpuset } : {}),
      Ulimits: [
        { Name: 'nofile', Soft: limits.nofile, Hard: limits.nofile },
        { Name: 'core', Soft: 0, Hard: 0 },
      ],
      Init: true,
      Binds: [],
      Mounts: [],
      Devices: [],
      IpcMode: 'private',
      PidMode: '',
      UsernsMode: '',
      AutoRemove: input.autoRemove ?? false,
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'none', Config: {} },
    },
  };
}
