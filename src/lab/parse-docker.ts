// `docker SUB ...` words into a candidate LabCommand: each subcommand's flags, arguments and limits.
// The candidate is checked by the zod schema afterwards (parse.ts), which has the last word.
import { labImages, labSubcommands, type LabImage, type LabImageName, type LabSubcommand } from './command.js';
import { parseFlags, refuse, type Failure, type FlagSpec } from './flags.js';
import {
  MIN_MEMORY_BYTES,
  clampLimit,
  parseCpus,
  parseMemoryBytes,
  parsePidsLimit,
  type Clamp,
  type ClampedField,
  type LabLimits,
} from './limits.js';
import { labNote, type LabNote } from './notes.js';
import { labRefusal, refusedFlags, subcommandRefusal, type LabRefusal, type MissingWhat } from './refusals.js';
import { parseInspectTemplate } from './template.js';

/** A command as the words gave it, before the schema checks it, with what to tell the learner. */
export interface Built {
  ok: true;
  candidate: unknown;
  notes: LabNote[];
  clamped: Clamp[];
}
export const built = (candidate: unknown, notes: LabNote[] = [], clamped: Clamp[] = []): Built => ({
  ok: true,
  candidate,
  notes,
  clamped,
});

const RUN_FLAGS: readonly FlagSpec[] = [
  { key: 'detach', short: 'd', long: 'detach' },
  { key: 'name', long: 'name', value: 'NAME' },
  { key: 'memory', short: 'm', long: 'memory', value: 'SIZE' },
  { key: 'cpus', long: 'cpus', value: 'N' },
  { key: 'pids', long: 'pids-limit', value: 'N' },
  { key: 'env', short: 'e', long: 'env', value: 'KEY=VALUE' },
  { key: 'rm', long: 'rm' },
  { key: 'init', long: 'init' },
  { key: 'hostname', short: 'h', long: 'hostname', value: 'NAME' },
  { key: 'user', short: 'u', long: 'user', value: 'USER' },
  { key: 'interactive', short: 'i', long: 'interactive' },
  { key: 'tty', short: 't', long: 'tty' },
];
const EXEC_FLAGS: readonly FlagSpec[] = [
  { key: 'interactive', short: 'i', long: 'interactive' },
  { key: 'tty', short: 't', long: 'tty' },
  { key: 'env', short: 'e', long: 'env', value: 'KEY=VALUE' },
];
const PS_FLAGS: readonly FlagSpec[] = [{ key: 'all', short: 'a', long: 'all' }];
const INSPECT_FLAGS: readonly FlagSpec[] = [{ key: 'format', short: 'f', long: 'format', value: 'TEMPLATE' }];
const STATS_FLAGS: readonly FlagSpec[] = [{ key: 'noStream', long: 'no-stream' }];
const RM_FLAGS: readonly FlagSpec[] = [{ key: 'force', short: 'f', long: 'force' }];

const EXEC_REFUSABLE = refusedFlags.filter((entry) => entry.code === 'flag-privileged');
const SHELLS = new Set(['sh', 'ash', 'bash', 'dash', 'zsh']);

export const USAGE: Record<LabSubcommand, string> = {
  run: 'docker run [OPTIONS] IMAGE [COMMAND] [ARG...]',
  exec: 'docker exec [-it] NAME COMMAND [ARG...]',
  ps: 'docker ps [-a]',
  inspect: "docker inspect [-f '{{.Id}}'] NAME [NAME...]",
  top: 'docker top NAME',
  stats: 'docker stats --no-stream [NAME...]',
  logs: 'docker logs NAME',
  stop: 'docker stop NAME [NAME...]',
  kill: 'docker kill NAME [NAME...]',
  rm: 'docker rm [-f] NAME [NAME...]',
};

export const missingArgument = (sub: LabSubcommand, what: MissingWhat): LabRefusal =>
  labRefusal('missing-argument', { sub, what, usage: USAGE[sub] }, sub);
const tooManyArguments = (sub: LabSubcommand, extra: string): LabRefusal =>
  labRefusal('too-many-arguments', { sub, extra, usage: USAGE[sub] }, extra);

const last = (values: Map<string, string[]>, key: string): string | undefined => values.get(key)?.at(-1);

const IMAGE_REF =
  /^(?:(?:index\.)?docker\.io\/)?(?:library\/)?([a-z0-9]+(?:[._-][a-z0-9]+)*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@sha256:[a-f0-9]{64})?$/;

export function resolveLabImage(asked: string): LabImage | undefined {
  const match = IMAGE_REF.exec(asked);
  const name = match?.[1];
  if (!match || !name || !(labImages as readonly string[]).includes(name)) return undefined;
  const tag = match[2];
  return tag === undefined
    ? { asked, name: name as LabImageName, mapped: true }
    : { asked, name: name as LabImageName, tag, mapped: true };
}

function parseEnv(entries: readonly string[]): { key: string; value: string }[] | Failure {
  const env: { key: string; value: string }[] = [];
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq < 0) {
      return refuse(
        /^[A-Za-z_][A-Za-z0-9_]*$/.test(entry)
          ? labRefusal('env-needs-value', { key: entry }, entry)
          : labRefusal('bad-env', { entry }, entry),
      );
    }
    env.push({ key: entry.slice(0, eq), value: entry.slice(eq + 1) });
  }
  return env;
}

/** --memory, --cpus and --pids-limit: read as docker reads them, then held to the lab's ceilings. */
function parseResources(values: Map<string, string[]>, limits: LabLimits, clamped: Clamp[]) {
  const resources: { memoryBytes?: number; cpus?: number; pidsLimit?: number } = {};
  const applyLimit = (field: ClampedField, askedValue: number, max: number): number => {
    const { used, clamp } = clampLimit(field, askedValue, max);
    if (clamp) clamped.push(clamp);
    return used;
  };
  const memory = last(values, 'memory');
  if (memory !== undefined) {
    const bytes = parseMemoryBytes(memory);
    if (bytes === undefined) return refuse(labRefusal('bad-memory', { value: memory }, memory));
    if (bytes > 0 && bytes < MIN_MEMORY_BYTES) return refuse(labRefusal('memory-too-small', { value: memory }, memory));
    resources.memoryBytes = applyLimit('memory', bytes, limits.memoryBytes);
  }
  const cpusText = last(values, 'cpus');
  if (cpusText !== undefined) {
    const cpus = parseCpus(cpusText);
    // docker's own floor: "Range of CPUs is from 0.01 to N".
    if (cpus === undefined || (cpus > 0 && cpus < 0.01)) return refuse(labRefusal('bad-cpus', { value: cpusText }, cpusText));
    resources.cpus = applyLimit('cpus', cpus, limits.cpus);
  }
  const pidsText = last(values, 'pids');
  if (pidsText !== undefined) {
    const pids = parsePidsLimit(pidsText);
    if (pids === undefined) return refuse(labRefusal('bad-pids-limit', { value: pidsText }, pidsText));
    resources.pidsLimit = applyLimit('pids-limit', pids, limits.pids);
  }
  return resources;
}

function buildRun(args: readonly string[], limits: LabLimits): Built | Failure {
  const flags = parseFlags(args, { sub: 'run', specs: RUN_FLAGS, interspersed: false, refusable: refusedFlags });
  if (!flags.ok) return flags;
  const { values, switches, positionals } = flags;
  const [asked, ...commandArgs] = positionals;
  if (asked === undefined) return refuse(missingArgument('run', 'image'));
  const image = resolveLabImage(asked);
  if (!image) return refuse(labRefusal('image-not-available', { image: asked, available: [...labImages] }, asked));

  const clamped: Clamp[] = [];
  const resources = parseResources(values, limits, clamped);
  if ('ok' in resources) return resources;
  const env = parseEnv(values.get('env') ?? []);
  if (!Array.isArray(env)) return env;

  const interactive = switches.get('interactive') ?? false;
  const tty = switches.get('tty') ?? false;
  const detach = switches.get('detach') ?? false;
  const program = (commandArgs[0] ?? '').split('/').at(-1) ?? '';
  // With no command, the lab's images (alpine, busybox, ubuntu, debian) start their shell.
  const opensShell = (interactive || tty) && !detach && (commandArgs.length === 0 || (commandArgs.length === 1 && SHELLS.has(program)));
  const notes = [labNote('image-mapped', { asked }), ...((interactive || tty) && !opensShell ? [labNote('interactive')] : [])];
  notes.push(...clamped.map((c) => labNote('clamped', { ...c })));
  const candidate = {
    kind: 'run',
    detach,
    remove: switches.get('rm') ?? false,
    ...(switches.get('init') ? { init: true } : {}),
    interactive,
    tty,
    name: last(values, 'name'),
    hostname: last(values, 'hostname'),
    user: last(values, 'user'),
    env,
    resources,
    image,
    args: commandArgs,
    ...(opensShell ? { opensShell: true } : {}),
  };
  return built(candidate, notes, clamped);
}

function buildExec(args: readonly string[]): Built | Failure {
  const flags = parseFlags(args, { sub: 'exec', specs: EXEC_FLAGS, interspersed: false, refusable: EXEC_REFUSABLE });
  if (!flags.ok) return flags;
  const [container, ...commandArgs] = flags.positionals;
  if (container === undefined) return refuse(missingArgument('exec', 'container'));
  if (commandArgs.length === 0) return refuse(missingArgument('exec', 'command'));
  const env = parseEnv(flags.values.get('env') ?? []);
  if (!Array.isArray(env)) return env;
  const interactive = flags.switches.get('interactive') ?? false;
  const tty = flags.switches.get('tty') ?? false;
  const program = (commandArgs[0] as string).split('/').at(-1) ?? '';
  const opensShell = commandArgs.length === 1 && SHELLS.has(program);
  return built(
    {
      kind: 'exec',
      interactive,
      tty,
      env,
      container,
      args: commandArgs,
      opensShell,
    },
    // `-it NAME sh` moves the chat inside, as a terminal would: only a one-off command's -i/-t need a word.
    (interactive || tty) && !opensShell ? [labNote('interactive')] : [],
  );
}

/** Subcommands that take only flags and container names. */
function buildSimple(sub: Exclude<LabSubcommand, 'run' | 'exec'>, args: readonly string[]): Built | Failure {
  const specs = { ps: PS_FLAGS, inspect: INSPECT_FLAGS, stats: STATS_FLAGS, rm: RM_FLAGS, top: [], logs: [], stop: [], kill: [] }[sub];
  const flags = parseFlags(args, { sub, specs, interspersed: true, refusable: [] });
  if (!flags.ok) return flags;
  const names = flags.positionals;
  const exactlyOne = (): string | Failure => {
    const [name, extra] = names;
    if (name === undefined) return refuse(missingArgument(sub, 'container'));
    if (extra !== undefined) return refuse(tooManyArguments(sub, extra));
    return name;
  };
  switch (sub) {
    case 'ps':
      if (names[0] !== undefined) return refuse(tooManyArguments(sub, names[0]));
      return built({ kind: 'ps', all: flags.switches.get('all') ?? false });
    case 'inspect': {
      const format = last(flags.values, 'format');
      if (format !== undefined) {
        const template = parseInspectTemplate(format);
        if (!template.ok) return refuse(labRefusal('bad-template', { template: format, error: template.error }, format));
      }
      return built(format === undefined ? { kind: 'inspect', containers: names } : { kind: 'inspect', format, containers: names });
    }
    case 'top':
    case 'logs': {
      const name = exactlyOne();
      return typeof name === 'string' ? built({ kind: sub, container: name }) : name;
    }
    case 'stats':
      return built({ kind: 'stats', containers: names }, flags.switches.get('noStream') === true ? [] : [labNote('stats-no-stream')]);
    case 'stop':
    case 'kill':
      return built({ kind: sub, containers: names });
    case 'rm':
      return built({ kind: 'rm', force: flags.switches.get('force') ?? false, containers: names });
  }
}

const CONTAINER_SUBCOMMANDS: Record<string, LabSubcommand> = {
  ls: 'ps',
  list: 'ps',
  ps: 'ps',
  run: 'run',
  exec: 'exec',
  inspect: 'inspect',
  top: 'top',
  stats: 'stats',
  logs: 'logs',
  stop: 'stop',
  kill: 'kill',
  rm: 'rm',
};

/** `docker SUB ...` (and `docker container SUB ...`): the subcommand and its candidate, or a refusal. */
export function parseDocker(words: readonly string[], limits: LabLimits): { ok: true; sub: LabSubcommand; built: Built } | Failure {
  let [sub, ...args] = words.slice(1);
  if (sub === undefined) return refuse(labRefusal('missing-subcommand', {}));
  if (sub.startsWith('-')) return refuse(labRefusal('flag-global', { flag: sub }, sub));
  let typed = sub;
  if (sub === 'container') {
    const [inner, ...rest] = args;
    if (inner === undefined) return refuse(labRefusal('missing-subcommand', {}));
    const mapped = CONTAINER_SUBCOMMANDS[inner];
    if (!mapped) return refuse(subcommandRefusal(`container ${inner}`));
    typed = `container ${inner}`;
    sub = mapped;
    args = rest;
  }
  if (!(labSubcommands as readonly string[]).includes(sub)) return refuse(subcommandRefusal(typed));
  const known = sub as LabSubcommand;
  const result = known === 'run' ? buildRun(args, limits) : known === 'exec' ? buildExec(args) : buildSimple(known, args);
  return result.ok ? { ok: true, sub: known, built: result } : result;
}
