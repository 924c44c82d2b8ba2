// The typed shape of a lab command once parsed. The zod schemas are the last word on what is valid:
// the parser builds a candidate and these decide; their messages are refusal codes.
import { z } from 'zod';
import { CGROUP_FILES, NS_TYPES } from './host-view.js';

/** The docker subcommands the lab runs, in the order the tutor lists them. */
export const labSubcommands = ['run', 'exec', 'ps', 'inspect', 'top', 'stats', 'logs', 'stop', 'kill', 'rm'] as const;
export type LabSubcommand = (typeof labSubcommands)[number];

/** The images the seed lessons use; every one of them runs as the lab's sandbox image. */
export const labImages = ['alpine', 'ubuntu', 'busybox', 'debian'] as const;
export type LabImageName = (typeof labImages)[number];

/** docker's own rule for container names; a full 64-hex-digit id fits too. */
export const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
export const MAX_CONTAINER_NAME = 64;
/** Containers one command may name: every name costs the shared engine a call, and its answer output. */
export const MAX_NAMED_CONTAINERS = 10;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const USER_PART = '(?:[a-z_][a-z0-9_-]{0,31}|\\d{1,10})';
const USER = new RegExp(`^${USER_PART}(?::${USER_PART})?$`);

export const containerNameSchema = z
  .string()
  .max(MAX_CONTAINER_NAME, 'bad-container-name')
  .regex(CONTAINER_NAME, 'bad-container-name');

const containers = z.array(containerNameSchema).min(1, 'missing-argument').max(MAX_NAMED_CONTAINERS, 'too-many-containers');
const envSchema = z.object({ key: z.string().regex(ENV_KEY, 'bad-env'), value: z.string() });

export const labImageSchema = z.object({
  /** As the learner typed it, e.g. `docker.io/library/alpine:3.19`. */
  asked: z.string(),
  name: z.enum(labImages),
  tag: z.string().optional(),
  /** Always true: the lab runs its sandbox image in place of the one asked for, and says so. */
  mapped: z.literal(true),
});

const hostPs = z.object({
  kind: z.literal('host'),
  command: z.literal('ps'),
  /** The word of `ps aux | grep WORD`, quotes removed. */
  grep: z.string().min(1).optional(),
});

/** `ls [-l] /proc/PID/ns`: the namespace links of one of the learner's lab processes, by host PID. */
const hostNs = z.object({
  kind: z.literal('host'),
  command: z.literal('ns'),
  pid: z.number().int().positive(),
  /** `ls -l` (links shown with their targets) rather than plain `ls`. */
  long: z.boolean(),
});

/** `readlink /proc/PID/ns/TYPE`. */
const hostReadlink = z.object({
  kind: z.literal('host'),
  command: z.literal('readlink'),
  pid: z.number().int().positive(),
  ns: z.enum(NS_TYPES),
});

/** `cat /sys/fs/cgroup/.../docker-ID.scope/memory.max` and the other layouts' limit files. */
const hostCgroup = z.object({
  kind: z.literal('host'),
  command: z.literal('cgroup'),
  /** The path as the learner typed it. */
  path: z.string(),
  /** The full container id or a prefix of it, from the path. */
  container: z.string().regex(/^[0-9a-f]{1,64}$/),
  file: z.enum(CGROUP_FILES),
  layout: z.enum(['v1', 'v1-systemd', 'v2-systemd', 'v2-cgroupfs']),
});

/** A host-view line with the text's placeholder still in it (`/proc/PID/ns`): the lab offers the learner's own value. */
const hostPlaceholder = z.object({
  kind: z.literal('host'),
  command: z.literal('placeholder'),
  want: z.enum(['pid', 'id']),
  token: z.string().min(1).max(200),
  line: z.string().min(1).max(1000),
});

const hostCommand = z.discriminatedUnion('command', [hostPs, hostNs, hostReadlink, hostCgroup, hostPlaceholder]);

const runCommand = z.object({
  kind: z.literal('run'),
  detach: z.boolean(),
  /** --rm */
  remove: z.boolean(),
  /** --init: a tiny init (docker-init) as PID 1; detached lab containers always get one. */
  init: z.boolean().optional(),
  interactive: z.boolean(),
  tty: z.boolean(),
  name: containerNameSchema.optional(),
  hostname: z.string().max(63, 'bad-hostname').regex(HOSTNAME, 'bad-hostname').optional(),
  user: z.string().regex(USER, 'bad-user').optional(),
  env: z.array(envSchema),
  /** What the lab will apply: only the limits the learner asked for, after clamping. */
  resources: z.object({
    memoryBytes: z.number().int().positive().optional(),
    cpus: z.number().positive().optional(),
    pidsLimit: z.number().int().positive().optional(),
  }),
  image: labImageSchema,
  /** The command and its arguments after the image; empty means the image's default command. */
  args: z.array(z.string()),
  /** `docker run -it IMAGE sh` (or the image's default shell): the learner wants to be inside the new container. */
  opensShell: z.boolean().optional(),
});

const execCommand = z.object({
  kind: z.literal('exec'),
  interactive: z.boolean(),
  tty: z.boolean(),
  env: z.array(envSchema),
  container: containerNameSchema,
  args: z.array(z.string()).min(1, 'missing-argument'),
  /** `docker exec -it NAME sh`: the learner wants to be inside the container for the next commands. */
  opensShell: z.boolean(),
});

export const labCommandSchema = z.discriminatedUnion('kind', [
  hostCommand,
  runCommand,
  execCommand,
  z.object({ kind: z.literal('ps'), all: z.boolean() }),
  z.object({
    kind: z.literal('inspect'),
    format: z.string().optional(),
    containers,
  }),
  z.object({ kind: z.literal('top'), container: containerNameSchema }),
  z.object({ kind: z.literal('stats'), containers: z.array(containerNameSchema).max(MAX_NAMED_CONTAINERS, 'too-many-containers') }),
  z.object({ kind: z.literal('logs'), container: containerNameSchema }),
  /** `leaving`: the chat's `exit` from a shell `docker run -it` started, which ends it as typing exit would. */
  z.object({ kind: z.literal('stop'), containers, leaving: z.boolean().optional() }),
  z.object({ kind: z.literal('kill'), containers }),
  z.object({ kind: z.literal('rm'), force: z.boolean(), containers }),
]);

export type LabCommand = z.infer<typeof labCommandSchema>;
export type LabCommandKind = LabCommand['kind'];
export type LabImage = z.infer<typeof labImageSchema>;
export type LabRunCommand = Extract<LabCommand, { kind: 'run' }>;
export type LabExecCommand = Extract<LabCommand, { kind: 'exec' }>;
export type LabHostCommand = Extract<LabCommand, { kind: 'host' }>;
