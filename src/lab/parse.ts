// The pure front of the lab: one chat line in, a validated command (or a kind refusal) out.
// Nothing here touches Docker; the runner decides how to carry the command out on the learner's lab.
import { z } from 'zod';
import { labCommandSchema, labImages, type LabCommand, type LabImage, type LabImageName } from './command.js';
import {
  LAB_LIMITS,
  MIN_MEMORY_BYTES,
  clampLimit,
  parseCpus,
  parseMemoryBytes,
  parsePidsLimit,
  type Clamp,
  type ClampedField,
  type LabLimits,
} from './limits.js';
import { notes as labNotes, type LabNote } from './notes.js';
import {
  combineRefusals,
  flagRefusal,
  helpRefusal,
  operatorRefusal,
  refusedFlagFor,
  refusedFlagTakesValue,
  refusedFlags,
  shellProblemRefusal,
  simpleRefusals,
  subcommandRefusal,
  unknownFlagRefusal,
  type LabRefusal,
  type RefusedFlag,
} from './refusals.js';
import { parseCgroupPath, parseProcNsPath, NS_TYPES } from './host-view.js';
import { splitShellWords, type ShellToken } from './shell.js';
import { parseInspectTemplate } from './template.js';

export { LAB_LIMITS, type Clamp, type LabLimits } from './limits.js';
export type { LabCommand, LabImage } from './command.js';
export type { LabNote } from './notes.js';
export type { LabRefusal } from './refusals.js';

export type LabParse =
  | { ok: true; command: LabCommand; notes: LabNote[]; clamped: Clamp[] }
  | { ok: false; refusal: LabRefusal };

export interface LabParseOptions {
  /** Ceilings for this lab; unset fields keep LAB_LIMITS. */
  limits?: Partial<LabLimits>;
}

const TYPOGRAPHIC_PLAIN: Record<string, string> = {
  '\u201c': '"',
  '\u201d': '"',
  '\u2018': "'",
  '\u2019': "'",
  '\u3000': ' ',
};
const TYPOGRAPHIC = /[\u201c\u201d\u2018\u2019\u3000]/g;

/** A chat line longer than this is not one command a learner typed. */
export const MAX_LINE_LENGTH = 2000;

const limitsSchema = z.object({
  memoryBytes: z.number().int().min(MIN_MEMORY_BYTES),
  cpus: z.number().positive(),
  pids: z.number().int().positive(),
});

interface FlagSpec {
  key: string;
  short?: string;
  long?: string;
  /** What the value looks like in help text; absent for a switch. */
  value?: string;
}

type Failure = { ok: false; refusal: LabRefusal };
const refuse = (refusal: LabRefusal): Failure => ({ ok: false, refusal });

interface ParsedFlags {
  ok: true;
  /** Every value given to each value flag, in order (docker uses the last one for single values). */
  values: Map<string, string[]>;
  switches: Map<string, boolean>;
  positionals: string[];
}

function describeFlag(spec: FlagSpec): string {
  const names = [spec.short && `-${spec.short}`, spec.long && `--${spec.long}`].filter(Boolean).join(', ');
  return spec.value ? `${names} ${spec.value}` : names;
}

interface FlagRules {
  sub: string;
  specs: readonly FlagSpec[];
  /** Whether flags may follow positional arguments (docker rm NAME -f); false for run/exec. */
  interspersed: boolean;
  /** Dangerous flags this subcommand really has, refused with their explanation. */
  refusable: readonly RefusedFlag[];
}

/** docker's (pflag's) flag syntax: `--name x`, `--name=x`, `-it`, `-m128m`, `-m=128m`, `--`. */
function parseFlags(args: readonly string[], rules: FlagRules): ParsedFlags | Failure {
  const values = new Map<string, string[]>();
  const switches = new Map<string, boolean>();
  const positionals: string[] = [];
  const dangers: LabRefusal[] = [];
  const supported = rules.specs.map(describeFlag);
  const stop = (refusal: LabRefusal): Failure => refuse(dangers.length > 0 ? combineRefusals(dangers) : refusal);
  const addValue = (key: string, value: string): void => {
    values.set(key, [...(values.get(key) ?? []), value]);
  };
  const findRefusable = (flag: string): RefusedFlag | undefined => {
    const entry = refusedFlagFor(flag);
    return entry && rules.refusable.includes(entry) ? entry : undefined;
  };

  let i = 0;
  while (i < args.length) {
    const arg = args[i] as string;
    i += 1;
    if (arg === '--') {
      positionals.push(...args.slice(i));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (!rules.interspersed) {
        positionals.push(arg, ...args.slice(i));
        break;
      }
      positionals.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const flag = eq < 0 ? arg : arg.slice(0, eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      if (flag === '--help') return stop(helpRefusal(rules.sub, supported));
      const spec = rules.specs.find((s) => s.long !== undefined && `--${s.long}` === flag);
      if (!spec) {
        const danger = findRefusable(flag);
        if (!danger) return stop(unknownFlagRefusal(flag, rules.sub, supported));
        dangers.push(flagRefusal(danger, arg));
        if (inline === undefined && refusedFlagTakesValue(danger, flag)) i += 1;
        continue;
      }
      if (spec.value) {
        const value = inline ?? args[i];
        if (value === undefined) return stop(simpleRefusals.missingFlagValue(flag));
        if (inline === undefined) i += 1;
        addValue(spec.key, value);
      } else if (inline === undefined || inline === 'true' || inline === 'false') {
        switches.set(spec.key, inline !== 'false');
      } else {
        return stop(simpleRefusals.badBoolean(flag, inline));
      }
      continue;
    }
    // A cluster of short flags: each letter is a switch until one takes a value, which is the rest.
    for (let j = 1; j < arg.length; j += 1) {
      const flag = `-${arg[j]}`;
      const spec = rules.specs.find((s) => s.short !== undefined && `-${s.short}` === flag);
      const danger = spec ? undefined : findRefusable(flag);
      if (!spec && !danger) return stop(unknownFlagRefusal(flag, rules.sub, supported));
      const takesValue = spec ? spec.value !== undefined : refusedFlagTakesValue(danger as RefusedFlag, flag);
      if (spec && !takesValue && arg[j + 1] === '=') {
        // pflag's `-d=false`: the rest of the cluster is the switch's value.
        const inline = arg.slice(j + 2);
        if (inline !== 'true' && inline !== 'false') return stop(simpleRefusals.badBoolean(flag, inline));
        switches.set(spec.key, inline === 'true');
        break;
      }
      let value: string | undefined;
      if (takesValue) {
        const rest = arg.slice(j + 1).replace(/^=/, '');
        value = rest !== '' ? rest : args[i];
        if (value === undefined && danger) {
          dangers.push(flagRefusal(danger, flag));
          break;
        }
        if (value === undefined) return stop(simpleRefusals.missingFlagValue(flag));
        if (rest === '') i += 1;
      }
      if (danger) dangers.push(flagRefusal(danger, value === undefined ? flag : `${flag} ${value}`));
      else if (spec && value !== undefined) addValue(spec.key, value);
      else if (spec) switches.set(spec.key, true);
      if (takesValue) break;
    }
  }
  if (dangers.length > 0) return refuse(combineRefusals(dangers));
  return { ok: true, values, switches, positionals };
}

const RUN_FLAGS: readonly FlagSpec[] = [
  { key: 'detach', short: 'd', long: 'detach' },
  { key: 'name', long: 'name', value: 'NAME' },
  { key: 'memory', short: 'm', long: 'memory', value: 'SIZE' },
  { key: 'cpus', long: 'cpus', value: 'N' },
  { key: 'pids', long: 'pids-limit', value: 'N' },
  { key: 'env', short: 'e', long: 'env', value: 'KEY=VALUE' },
  { key: 'rm', long: 'rm' },
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
const HOST_PS_ARGS = new Set(['aux', '-aux', 'ax', '-ef', '-e', '-A']);

const USAGE = {
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
} as const;
type Subcommand = keyof typeof USAGE;

const CONTAINER = { ja: 'コンテナ名', en: 'a container name' };

interface Built {
  ok: true;
  candidate: unknown;
  notes: LabNote[];
  clamped: Clamp[];
}
const built = (candidate: unknown, notes: LabNote[] = [], clamped: Clamp[] = []): Built => ({
  ok: true,
  candidate,
  notes,
  clamped,
});

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
      return refuse(/^[A-Za-z_][A-Za-z0-9_]*$/.test(entry) ? simpleRefusals.envNeedsValue(entry) : simpleRefusals.badEnv(entry));
    }
    env.push({ key: entry.slice(0, eq), value: entry.slice(eq + 1) });
  }
  return env;
}

function buildRun(args: readonly string[], limits: LabLimits): Built | Failure {
  const flags = parseFlags(args, { sub: 'run', specs: RUN_FLAGS, interspersed: false, refusable: refusedFlags });
  if (!flags.ok) return flags;
  const { values, switches, positionals } = flags;
  const [asked, ...commandArgs] = positionals;
  if (asked === undefined) return refuse(simpleRefusals.missingArgument('run', { ja: 'イメージ名', en: 'an image' }, USAGE.run));
  const image = resolveLabImage(asked);
  if (!image) return refuse(simpleRefusals.imageNotAvailable(asked, labImages));

  const clamped: Clamp[] = [];
  const resources: { memoryBytes?: number; cpus?: number; pidsLimit?: number } = {};
  const applyLimit = (field: ClampedField, askedValue: number, max: number): number => {
    const { used, clamp } = clampLimit(field, askedValue, max);
    if (clamp) clamped.push(clamp);
    return used;
  };
  const memory = last(values, 'memory');
  if (memory !== undefined) {
    const bytes = parseMemoryBytes(memory);
    if (bytes === undefined) return refuse(simpleRefusals.badMemory(memory));
    if (bytes > 0 && bytes < MIN_MEMORY_BYTES) return refuse(simpleRefusals.memoryTooSmall(memory));
    resources.memoryBytes = applyLimit('memory', bytes, limits.memoryBytes);
  }
  const cpusText = last(values, 'cpus');
  if (cpusText !== undefined) {
    const cpus = parseCpus(cpusText);
    // docker's own floor: "Range of CPUs is from 0.01 to N".
    if (cpus === undefined || (cpus > 0 && cpus < 0.01)) return refuse(simpleRefusals.badCpus(cpusText));
    resources.cpus = applyLimit('cpus', cpus, limits.cpus);
  }
  const pidsText = last(values, 'pids');
  if (pidsText !== undefined) {
    const pids = parsePidsLimit(pidsText);
    if (pids === undefined) return refuse(simpleRefusals.badPids(pidsText));
    resources.pidsLimit = applyLimit('pids-limit', pids, limits.pids);
  }
  const env = parseEnv(values.get('env') ?? []);
  if (!Array.isArray(env)) return env;

  const interactive = switches.get('interactive') ?? false;
  const tty = switches.get('tty') ?? false;
  const notes = [labNotes.imageMapped(asked), ...(interactive || tty ? [labNotes.interactive()] : [])];
  notes.push(...clamped.map(labNotes.clamped));
  const candidate = {
    kind: 'run',
    detach: switches.get('detach') ?? false,
    remove: switches.get('rm') ?? false,
    interactive,
    tty,
    name: last(values, 'name'),
    hostname: last(values, 'hostname'),
    user: last(values, 'user'),
    env,
    resources,
    image,
    args: commandArgs,
  };
  return built(candidate, notes, clamped);
}

function buildExec(args: readonly string[]): Built | Failure {
  const flags = parseFlags(args, { sub: 'exec', specs: EXEC_FLAGS, interspersed: false, refusable: EXEC_REFUSABLE });
  if (!flags.ok) return flags;
  const [container, ...commandArgs] = flags.positionals;
  if (container === undefined) return refuse(simpleRefusals.missingArgument('exec', CONTAINER, USAGE.exec));
  if (commandArgs.length === 0) {
    return refuse(simpleRefusals.missingArgument('exec', { ja: '実行するコマンド（例: sh, ps aux）', en: 'a command to run (e.g. sh, ps aux)' }, USAGE.exec));
  }
  const env = parseEnv(flags.values.get('env') ?? []);
  if (!Array.isArray(env)) return env;
  const interactive = flags.switches.get('interactive') ?? false;
  const tty = flags.switches.get('tty') ?? false;
  const program = (commandArgs[0] as string).split('/').at(-1) ?? '';
  return built(
    {
      kind: 'exec',
      interactive,
      tty,
      env,
      container,
      args: commandArgs,
      opensShell: commandArgs.length === 1 && SHELLS.has(program),
    },
    interactive || tty ? [labNotes.interactive()] : [],
  );
}

/** Subcommands that take only flags and container names. */
function buildSimple(sub: Exclude<Subcommand, 'run' | 'exec'>, args: readonly string[]): Built | Failure {
  const specs = { ps: PS_FLAGS, inspect: INSPECT_FLAGS, stats: STATS_FLAGS, rm: RM_FLAGS, top: [], logs: [], stop: [], kill: [] }[sub];
  const flags = parseFlags(args, { sub, specs, interspersed: true, refusable: [] });
  if (!flags.ok) return flags;
  const names = flags.positionals;
  const exactlyOne = (): string | Failure => {
    const [name, extra] = names;
    if (name === undefined) return refuse(simpleRefusals.missingArgument(sub, CONTAINER, USAGE[sub]));
    if (extra !== undefined) return refuse(simpleRefusals.tooManyArguments(sub, extra, USAGE[sub]));
    return name;
  };
  switch (sub) {
    case 'ps':
      if (names[0] !== undefined) return refuse(simpleRefusals.tooManyArguments(sub, names[0], USAGE.ps));
      return built({ kind: 'ps', all: flags.switches.get('all') ?? false });
    case 'inspect': {
      const format = last(flags.values, 'format');
      if (format !== undefined) {
        const template = parseInspectTemplate(format);
        if (!template.ok) return refuse(simpleRefusals.badTemplate(format, template.error));
      }
      return built(format === undefined ? { kind: 'inspect', containers: names } : { kind: 'inspect', format, containers: names });
    }
    case 'top':
    case 'logs': {
      const name = exactlyOne();
      return typeof name === 'string' ? built({ kind: sub, container: name }) : name;
    }
    case 'stats':
      return built(
        { kind: 'stats', containers: names },
        flags.switches.get('noStream') === true ? [] : [labNotes.statsNoStream()],
      );
    case 'stop':
    case 'kill':
      return built({ kind: sub, containers: names });
    case 'rm':
      return built({ kind: 'rm', force: flags.switches.get('force') ?? false, containers: names });
  }
}

function valueAt(candidate: unknown, path: readonly PropertyKey[]): unknown {
  let current = candidate;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** zod decides; its messages are refusal codes, turned back into words with the offending value. */
function validate(sub: Subcommand | 'host', result: Built): LabParse {
  const parsed = labCommandSchema.safeParse(result.candidate);
  if (parsed.success) return { ok: true, command: parsed.data, notes: result.notes, clamped: result.clamped };
  const issue = parsed.error.issues[0];
  const value = String(valueAt(result.candidate, issue?.path ?? []) ?? '');
  switch (issue?.message) {
    case 'bad-container-name':
      return refuse(simpleRefusals.badContainerName(value));
    case 'bad-env':
      return refuse(simpleRefusals.badEnv(value));
    case 'bad-hostname':
      return refuse(simpleRefusals.badHostname(value));
    case 'bad-user':
      return refuse(simpleRefusals.badUser(value));
    case 'missing-argument':
      if (sub !== 'host') return refuse(simpleRefusals.missingArgument(sub, CONTAINER, USAGE[sub]));
  }
  return refuse(simpleRefusals.invalid(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`));
}

const CONTAINER_SUBCOMMANDS: Record<string, Subcommand> = {
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

function parseDocker(words: readonly string[], limits: LabLimits, notes: LabNote[]): LabParse {
  let [sub, ...args] = words.slice(1);
  if (sub === undefined) return refuse(simpleRefusals.missingSubcommand());
  if (sub.startsWith('-')) return refuse(simpleRefusals.globalFlag(sub));
  let typed = sub;
  if (sub === 'container') {
    const [inner, ...rest] = args;
    if (inner === undefined) return refuse(simpleRefusals.missingSubcommand());
    const mapped = CONTAINER_SUBCOMMANDS[inner];
    if (!mapped) return refuse(subcommandRefusal(`container ${inner}`));
    typed = `container ${inner}`;
    sub = mapped;
    args = rest;
  }
  if (!Object.hasOwn(USAGE, sub)) return refuse(subcommandRefusal(typed));
  const known = sub as Subcommand;
  const result = known === 'run' ? buildRun(args, limits) : known === 'exec' ? buildExec(args) : buildSimple(known, args);
  if (!result.ok) return result;
  return validate(known, { ...result, notes: [...notes, ...result.notes] });
}

/** `ps aux` and `ps aux | grep WORD`: the host's view of the processes, which the seed lessons use. */
function parseHostPs(segments: readonly string[][], notes: LabNote[]): LabParse {
  const [left = [], right, ...more] = segments;
  const [, psArg, ...psExtra] = left;
  if (psArg === undefined || !HOST_PS_ARGS.has(psArg) || psExtra.length > 0) {
    return refuse(simpleRefusals.hostPsOnly(left.join(' ')));
  }
  if (right === undefined) return validate('host', built({ kind: 'host', command: 'ps' }, notes));
  const [grep, pattern, ...grepExtra] = right;
  if (more.length > 0 || grep !== 'grep' || pattern === undefined || pattern === '' || pattern.startsWith('-') || grepExtra.length > 0) {
    return refuse(simpleRefusals.hostPsOnly(right.join(' ')));
  }
  return validate('host', built({ kind: 'host', command: 'ps', grep: pattern }, notes));
}

const HOST_VIEW_PROGRAMS = new Set(['ls', 'readlink', 'cat']);

/**
 * The host's view of the learner's own lab containers: `ls [-l] /proc/PID/ns`, `readlink /proc/PID/ns/TYPE`
 * and `cat` of a container's cgroup limit file. Undefined when the line is not one of these (nor close to
 * one), so the caller refuses it as any host command. Whether the pid or id is the learner's is the runtime's call.
 */
export function parseHostCommand(words: readonly string[], notes: LabNote[] = []): LabParse | undefined {
  const [program, ...args] = words;
  if (program === undefined || !HOST_VIEW_PROGRAMS.has(program)) return undefined;
  const flags = args.filter((a) => a.startsWith('-'));
  const paths = args.filter((a) => !a.startsWith('-'));
  const [path, extra] = paths;
  if (path === undefined) return undefined;
  const aboutHostView = (p: string) => p.startsWith('/proc/') || p.startsWith('/sys/fs/cgroup/');
  const near = (detail: string) => (aboutHostView(path) ? refuse(simpleRefusals.hostViewOnly(detail)) : undefined);
  if (extra !== undefined) return near(words.join(' '));
  if (program === 'ls') {
    const ns = parseProcNsPath(path);
    if (!ns || ns.type !== undefined || !flags.every((f) => /^-[la]+$/.test(f))) return near(words.join(' '));
    return validate('host', built({ kind: 'host', command: 'ns', pid: ns.pid, long: flags.some((f) => f.includes('l')) }, notes));
  }
  if (flags.length > 0) return near(words.join(' '));
  if (program === 'readlink') {
    const ns = parseProcNsPath(path);
    if (!ns?.type || !(NS_TYPES as readonly string[]).includes(ns.type)) return near(words.join(' '));
    return validate('host', built({ kind: 'host', command: 'readlink', pid: ns.pid, ns: ns.type }, notes));
  }
  const cgroup = parseCgroupPath(path);
  if (cgroup === undefined) return near(words.join(' '));
  if ('unsupported' in cgroup) return refuse(simpleRefusals.hostViewOnly(cgroup.unsupported));
  return validate(
    'host',
    built({ kind: 'host', command: 'cgroup', path, container: cgroup.id, file: cgroup.file, layout: cgroup.layout }, notes),
  );
}

function wordsOf(tokens: readonly ShellToken[]): string[] {
  return tokens.flatMap((token) => (token.type === 'word' ? [token.value] : []));
}

/** Splits at pipes; undefined when any other operator is present. */
function pipeSegments(tokens: readonly ShellToken[]): string[][] | undefined {
  const segments: string[][] = [[]];
  for (const token of tokens) {
    if (token.type === 'word') (segments[segments.length - 1] as string[]).push(token.value);
    else if (token.op === '|') segments.push([]);
    else return undefined;
  }
  return segments;
}

/**
 * Parses one chat line as a lab command. Whatever the line, it does not throw: anything the lab will not
 * run comes back as a refusal explaining why, in Japanese and English. (Invalid `opts.limits` do throw:
 * that is a configuration mistake, not a learner's.)
 */
export function parseLabCommand(line: string, opts: LabParseOptions = {}): LabParse {
  const limits = limitsSchema.parse({ ...LAB_LIMITS, ...opts.limits });
  const notes: LabNote[] = [];
  // Chat apps and Japanese input methods turn quotes and spaces into look-alikes a shell would not accept.
  const typed = line.replace(TYPOGRAPHIC, (c) => TYPOGRAPHIC_PLAIN[c] ?? c);
  if (typed !== line) notes.push(labNotes.typography());
  const text = typed.trim();
  if (text === '') return refuse(simpleRefusals.empty());
  if (text.length > MAX_LINE_LENGTH) return refuse(simpleRefusals.tooLong(MAX_LINE_LENGTH));
  // The lessons write commands typed inside a container after its shell prompt, `/ # ps aux`.
  const prompt = /^\/ #\s*(.*)$/s.exec(text);
  if (prompt) return refuse(simpleRefusals.containerPrompt(prompt[1] ?? ''));
  const split = splitShellWords(text);
  if (!split.ok) return refuse(shellProblemRefusal(split.problem));
  let tokens = split.tokens;
  const first = tokens[0];
  if (first?.type === 'word' && first.value === 'sudo' && tokens[1]?.type === 'word') {
    tokens = tokens.slice(1);
    notes.push(labNotes.sudoIgnored());
  }
  if (tokens.length === 0) return refuse(simpleRefusals.empty());
  const operator = tokens.find((token) => token.type === 'operator');
  const head = tokens[0];
  if (head?.type === 'word' && head.value === 'ps') {
    const segments = pipeSegments(tokens);
    if (segments) return parseHostPs(segments, notes);
    if (operator?.type === 'operator') return refuse(operatorRefusal(operator.op, operator.column));
  }
  if (head?.type === 'word' && !operator) {
    const hostView = parseHostCommand(wordsOf(tokens), notes);
    if (hostView) return hostView;
  }
  // A host command is refused for being one, before any operator in it (e.g. a pasted `<LONG-ID>`).
  if (head?.type === 'word' && head.value !== 'docker') return refuse(simpleRefusals.notDocker(head.value));
  if (operator?.type === 'operator') return refuse(operatorRefusal(operator.op, operator.column));
  return parseDocker(wordsOf(tokens), limits, notes);
}
