// The pure front of the lab: one chat line in, a validated command (or a refusal) out, both as facts:
// codes and parameters the tutor words. Nothing here touches Docker; the runtime carries the command out.
import { findPlaceholder } from './placeholder.js';
import { z } from 'zod';
import { MAX_MESSAGE_CHARS } from '../text/limits.js';
import { labRefusalText } from '../tutor/lab-text.js';
import { labCommandSchema, MAX_NAMED_CONTAINERS, type LabCommand, type LabSubcommand } from './command.js';
import { refuse, type Failure } from './flags.js';
import { parseCgroupPath, parseProcNsPath, NS_TYPES } from './host-view.js';
import { LAB_LIMITS, MIN_MEMORY_BYTES, type Clamp, type LabLimits } from './limits.js';
import { labNote, type LabNote } from './notes.js';
import { built, missingArgument, parseDocker, type Built } from './parse-docker.js';
import { labRefusal, type LabRefusal } from './refusals.js';
import { splitShellWords, type ShellProblem, type ShellToken } from './shell.js';

export { LAB_LIMITS, type Clamp, type LabLimits } from './limits.js';
export type { LabCommand, LabImage } from './command.js';
export type { LabNote } from './notes.js';
export type { LabRefusal } from './refusals.js';

export type LabParse = { ok: true; command: LabCommand; notes: LabNote[]; clamped: Clamp[] } | Failure;

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
export const MAX_LINE_LENGTH = MAX_MESSAGE_CHARS;

const limitsSchema = z.object({
  memoryBytes: z.number().int().min(MIN_MEMORY_BYTES),
  cpus: z.number().positive(),
  pids: z.number().int().positive(),
});

const HOST_PS_ARGS = new Set(['aux', '-aux', 'ax', '-ef', '-e', '-A']);

function valueAt(candidate: unknown, path: readonly PropertyKey[]): unknown {
  let current = candidate;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** zod decides; its messages are refusal codes, given back with the offending value. */
function validate(sub: LabSubcommand | 'host', result: Built): LabParse {
  const parsed = labCommandSchema.safeParse(result.candidate);
  if (parsed.success) return { ok: true, command: parsed.data, notes: result.notes, clamped: result.clamped };
  const issue = parsed.error.issues[0];
  const value = String(valueAt(result.candidate, issue?.path ?? []) ?? '');
  switch (issue?.message) {
    case 'bad-container-name':
      return refuse(labRefusal('bad-container-name', { name: value }, value));
    case 'bad-env':
      return refuse(labRefusal('bad-env', { entry: value }, value));
    case 'bad-hostname':
      return refuse(labRefusal('bad-hostname', { value }, value));
    case 'bad-user':
      return refuse(labRefusal('bad-user', { value }, value));
    case 'missing-argument':
      if (sub !== 'host') return refuse(missingArgument(sub, 'container'));
      break;
    case 'too-many-containers': {
      const given = Array.isArray(valueAt(result.candidate, ['containers'])) ? (valueAt(result.candidate, ['containers']) as unknown[]).length : 0;
      return refuse(labRefusal('too-many-containers', { sub, max: MAX_NAMED_CONTAINERS, given }, sub));
    }
  }
  const detail = `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`;
  return refuse(labRefusal('invalid', { detail }, detail));
}

const hostPsOnly = (detail: string) => refuse(labRefusal('host-ps-only', { detail }, detail));
/** What `sudo` would open a shell with on a host: `sudo su`, `sudo -i`, `sudo bash`. */
const HOST_SHELLS: ReadonlySet<string> = new Set(['su', '-i', '-s', '--login', '--shell', 'sh', 'bash', 'zsh', 'ash', 'dash', 'fish', 'login']);
const hostViewOnly = (detail: string) => refuse(labRefusal('host-view-only', { detail }, detail));

/** `ps aux` and `ps aux | grep WORD`: the host's view of the processes, which the seed lessons use. */
function parseHostPs(segments: readonly string[][], notes: LabNote[]): LabParse {
  const [left = [], right, ...more] = segments;
  const [, psArg, ...psExtra] = left;
  if (psArg === undefined || !HOST_PS_ARGS.has(psArg) || psExtra.length > 0) return hostPsOnly(left.join(' '));
  if (right === undefined) return validate('host', built({ kind: 'host', command: 'ps' }, notes));
  const [grep, pattern, ...grepExtra] = right;
  if (more.length > 0 || grep !== 'grep' || pattern === undefined || pattern === '' || pattern.startsWith('-') || grepExtra.length > 0) {
    return hostPsOnly(right.join(' '));
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
  const near = (detail: string) => (aboutHostView(path) ? hostViewOnly(detail) : undefined);
  // Several files, one of them not a limit file of a container's cgroup: that rule, not the one-path form, is what to say.
  const notOffered = program === 'cat' ? paths.map(parseCgroupPath).find((c) => c !== undefined && 'unsupported' in c) : undefined;
  if (notOffered && 'unsupported' in notOffered) return refuse(labRefusal('cgroup-file-not-offered', { file: notOffered.unsupported }, notOffered.unsupported));
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
  if ('unsupported' in cgroup) return refuse(labRefusal('cgroup-file-not-offered', { file: cgroup.unsupported }, cgroup.unsupported));
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

function operatorRefusal(token: Extract<ShellToken, { type: 'operator' }>): LabRefusal {
  const { op, column } = token;
  return op === 'newline'
    ? labRefusal('shell-multiple-commands', { column }, '\\n')
    : labRefusal('shell-operator', { op, column }, op);
}

function shellProblemRefusal(problem: ShellProblem): LabRefusal {
  const { column, text } = problem;
  switch (problem.code) {
    case 'unclosed-single-quote':
      return labRefusal('quote-unclosed', { quote: "'", column }, "'");
    case 'unclosed-double-quote':
      return labRefusal('quote-unclosed', { quote: '"', column }, '"');
    case 'trailing-backslash':
      return labRefusal('trailing-backslash', {}, '\\');
    case 'command-substitution':
      return labRefusal('shell-substitution', { text, column }, text);
    case 'shell-variable':
      return labRefusal('shell-variable', { text, column }, text);
  }
}

/**
 * Parses one chat line as a lab command. Whatever the line, it does not throw: anything the lab will not
 * run comes back as a refusal saying why, in codes the tutor words. (Invalid `opts.limits` do throw:
 * that is a configuration mistake, not a learner's.)
 */
export function parseLabLine(line: string, opts: LabParseOptions = {}): LabParse {
  const limits = limitsSchema.parse({ ...LAB_LIMITS, ...opts.limits });
  const notes: LabNote[] = [];
  // Chat apps and Japanese input methods turn quotes and spaces into look-alikes a shell would not accept.
  const typed = line.replace(TYPOGRAPHIC, (c) => TYPOGRAPHIC_PLAIN[c] ?? c);
  if (typed !== line) notes.push(labNote('typography'));
  const text = typed.trim();
  if (text === '') return refuse(labRefusal('empty', {}));
  if (text.length > MAX_LINE_LENGTH) return refuse(labRefusal('too-long', { max: MAX_LINE_LENGTH }));
  // The lessons write commands typed inside a container after its shell prompt, `/ # ps aux`.
  const prompt = /^\/ #\s*(.*)$/s.exec(text);
  if (prompt) {
    const inside = (prompt[1] ?? '').trim();
    return refuse(labRefusal('container-prompt', { example: inside === '' || inside === 'exit' ? 'ps aux' : inside }, '/ #'));
  }
  // Before the shell reads the placeholder's `<` and `>` as redirections.
  const placeholder = findPlaceholder(text);
  if (placeholder) return validate('host', built({ kind: 'host', command: 'placeholder', ...placeholder }, notes));
  const split = splitShellWords(text);
  if (!split.ok) return refuse(shellProblemRefusal(split.problem));
  let tokens = split.tokens;
  const first = tokens[0];
  if (first?.type === 'word' && first.value === 'sudo' && tokens[1]?.type === 'word') {
    tokens = tokens.slice(1);
    // `sudo cat …`/`sudo ls …` is the seed's way to the host's view and says nothing; only `sudo docker` is worth a word.
    if (tokens[0]?.type === 'word' && tokens[0].value === 'docker') notes.push(labNote('sudo-ignored'));
  }
  if (tokens.length === 0) return refuse(labRefusal('empty', {}));
  const operator = tokens.find((token) => token.type === 'operator');
  const head = tokens[0];
  if (head?.type === 'word' && head.value === 'ps') {
    const segments = pipeSegments(tokens);
    if (segments) return parseHostPs(segments, notes);
    if (operator?.type === 'operator') return refuse(operatorRefusal(operator));
  }
  if (head?.type === 'word' && !operator) {
    const hostView = parseHostCommand(wordsOf(tokens), notes);
    if (hostView) return hostView;
  }
  // A host command is refused for being one, before any operator in it (e.g. a pasted `<LONG-ID>`).
  if (head?.type === 'word' && HOST_SHELLS.has(head.value)) return refuse(labRefusal('host-shell', { word: head.value }, head.value));
  if (head?.type === 'word' && head.value !== 'docker') return refuse(labRefusal('not-docker', { word: head.value }, head.value));
  if (operator?.type === 'operator') return refuse(operatorRefusal(operator));
  const docker = parseDocker(wordsOf(tokens), limits);
  if (!docker.ok) return docker;
  return validate(docker.sub, { ...docker.built, notes: [...notes, ...docker.built.notes] });
}

