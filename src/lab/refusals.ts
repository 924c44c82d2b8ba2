// Why the lab will not run a command, as facts: a code, its parameters and what it is about. Each code is
// a teaching moment the tutor words (src/tutor/phrases/lab-*.ts): what the thing would really do and why
// a shared lab keeps it away. This module holds only which flags and subcommands are refused, and why-codes.
import type { ShellOperator } from './shell.js';

/** Flags that weaken isolation, one code per reason. */
export const flagRefusalCodes = [
  'flag-privileged',
  'flag-volume',
  'flag-pid',
  'flag-network',
  'flag-cap-add',
  'flag-device',
  'flag-security-opt',
  'flag-ipc',
  'flag-userns',
  'flag-publish',
  'flag-uts',
  'flag-cgroup',
  'flag-sysctl',
  'flag-oom',
  'flag-runtime',
  'flag-restart',
] as const;
export type FlagRefusalCode = (typeof flagRefusalCodes)[number];

/** Subcommands the lab will not run, grouped by the reason. */
export const subcommandRefusalCodes = ['subcommand-registry', 'subcommand-image', 'subcommand-engine', 'subcommand-cp'] as const;
export type SubcommandRefusalCode = (typeof subcommandRefusalCodes)[number];

/** What a `docker SUB` needs and did not get. */
export type MissingWhat = 'image' | 'container' | 'command';

type NoParams = Record<string, never>;

/** The parameters of every refusal, by code. */
export interface LabRefusalParamMap extends Record<FlagRefusalCode, NoParams>, Record<SubcommandRefusalCode, { sub: string }> {
  'subcommand-unsupported': { sub: string };
  /** `supported` describes each flag the lab takes for this subcommand, e.g. `-d, --detach`. */
  'flag-unsupported': { flag: string; sub: string; supported: string[] };
  help: { sub: string; supported: string[] };
  'shell-operator': { op: Exclude<ShellOperator, 'newline'>; column: number };
  'shell-multiple-commands': { column: number };
  'quote-unclosed': { quote: "'" | '"'; column: number };
  'trailing-backslash': NoParams;
  'shell-substitution': { text: string; column: number };
  'shell-variable': { text: string; column: number };
  empty: NoParams;
  'too-long': { max: number };
  'not-docker': { word: string };
  /** `example` is the command typed after the prompt, or `ps aux` when there was none. */
  'container-prompt': { example: string };
  'flag-global': { flag: string };
  'missing-subcommand': NoParams;
  'flag-missing-value': { flag: string };
  'flag-bad-boolean': { flag: string; value: string };
  'missing-argument': { sub: string; what: MissingWhat; usage: string };
  invalid: { detail: string };
  'too-many-arguments': { sub: string; extra: string; usage: string };
  'bad-container-name': { name: string };
  /** One command named more containers than the lab answers for at once. */
  'too-many-containers': { sub: string; max: number; given: number };
  'env-needs-value': { key: string };
  'bad-env': { entry: string };
  'bad-hostname': { value: string };
  'bad-user': { value: string };
  'bad-memory': { value: string };
  'memory-too-small': { value: string };
  'bad-cpus': { value: string };
  'bad-pids-limit': { value: string };
  /** `error` is the template parser's own message, as docker's would be. */
  'bad-template': { template: string; error: string };
  'image-not-available': { image: string; available: string[] };
  'host-ps-only': { detail: string };
  'host-view-only': { detail: string };
  /** `sudo su`, `sudo -i`, `sudo bash`: a shell on the host, which the lab never opens. */
  'host-shell': { word: string };
  /** A cgroup file of the learner's own container that is not one of the limit files the host's view reads. */
  'cgroup-file-not-offered': { file: string };
}

export type LabRefusalCode = keyof LabRefusalParamMap;

export type LabRefusal = {
  [C in LabRefusalCode]: {
    code: C;
    params: LabRefusalParamMap[C];
    /** The flag, subcommand, operator or value the refusal is about, as the learner typed it. */
    subject?: string;
    /** Further dangerous flags of the same command, each explained after the first. */
    also?: LabRefusal[];
  };
}[LabRefusalCode];

/** A refusal with its parameters checked against its code at compile time. */
export function labRefusal<C extends LabRefusalCode>(code: C, params: LabRefusalParamMap[C], subject?: string): LabRefusal {
  return (subject === undefined ? { code, params } : { code, params, subject }) as LabRefusal;
}

export interface RefusedFlag {
  code: FlagRefusalCode;
  /** Every spelling docker accepts, e.g. `-v` and `--volume`. */
  flags: readonly string[];
  /** Whether the flags consume a value, so parsing can skip it and find further problems... */
  takesValue: boolean;
  /** ...except these spellings, which are plain switches. */
  switches?: readonly string[];
}

/** Flags that weaken isolation. Listed for `run` (and `exec` where docker has them). */
export const refusedFlags: readonly RefusedFlag[] = [
  { code: 'flag-privileged', flags: ['--privileged'], takesValue: false },
  { code: 'flag-volume', flags: ['-v', '--volume', '--mount', '--volumes-from'], takesValue: true },
  { code: 'flag-pid', flags: ['--pid'], takesValue: true },
  { code: 'flag-network', flags: ['--network', '--net', '--link', '--add-host', '--dns'], takesValue: true },
  { code: 'flag-cap-add', flags: ['--cap-add'], takesValue: true },
  { code: 'flag-device', flags: ['--device', '--gpus', '--device-cgroup-rule'], takesValue: true },
  { code: 'flag-security-opt', flags: ['--security-opt'], takesValue: true },
  { code: 'flag-ipc', flags: ['--ipc'], takesValue: true },
  { code: 'flag-userns', flags: ['--userns'], takesValue: true },
  { code: 'flag-publish', flags: ['-p', '--publish', '-P', '--publish-all', '--expose'], takesValue: true, switches: ['-P', '--publish-all'] },
  { code: 'flag-uts', flags: ['--uts'], takesValue: true },
  { code: 'flag-cgroup', flags: ['--cgroupns', '--cgroup-parent'], takesValue: true },
  { code: 'flag-sysctl', flags: ['--sysctl'], takesValue: true },
  { code: 'flag-oom', flags: ['--oom-kill-disable', '--oom-score-adj'], takesValue: true, switches: ['--oom-kill-disable'] },
  { code: 'flag-runtime', flags: ['--runtime', '--isolation'], takesValue: true },
  { code: 'flag-restart', flags: ['--restart'], takesValue: true },
];

export interface RefusedSubcommand {
  code: SubcommandRefusalCode;
  subcommands: readonly string[];
}

export const refusedSubcommands: readonly RefusedSubcommand[] = [
  { code: 'subcommand-registry', subcommands: ['pull', 'push', 'login', 'logout', 'search', 'manifest', 'trust'] },
  {
    code: 'subcommand-image',
    subcommands: ['build', 'buildx', 'builder', 'commit', 'image', 'images', 'rmi', 'tag', 'save', 'load', 'import', 'export', 'history'],
  },
  {
    code: 'subcommand-engine',
    subcommands: ['system', 'info', 'version', 'events', 'network', 'volume', 'plugin', 'context', 'swarm', 'service', 'stack', 'node', 'secret', 'config', 'compose', 'checkpoint'],
  },
  { code: 'subcommand-cp', subcommands: ['cp'] },
];

export function refusedFlagFor(flag: string): RefusedFlag | undefined {
  return refusedFlags.find((entry) => entry.flags.includes(flag));
}

export function refusedFlagTakesValue(entry: RefusedFlag, flag: string): boolean {
  return entry.takesValue && !(entry.switches ?? []).includes(flag);
}

export function flagRefusal(entry: RefusedFlag, typed: string): LabRefusal {
  return labRefusal(entry.code, {}, typed);
}

/** Several dangerous flags in one command: one refusal that explains each of them. */
export function combineRefusals(refusals: LabRefusal[]): LabRefusal {
  const [first, ...rest] = refusals as [LabRefusal, ...LabRefusal[]];
  if (rest.length === 0) return first;
  return { ...first, also: rest, subject: refusals.map((r) => r.subject ?? r.code).join(' ') };
}

export function subcommandRefusal(sub: string): LabRefusal {
  const entry = refusedSubcommands.find((e) => e.subcommands.includes(sub));
  return labRefusal(entry?.code ?? 'subcommand-unsupported', { sub }, sub);
}
