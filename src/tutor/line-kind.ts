import { SANDBOX_COMMANDS } from './sandbox-commands.js';
import {
  CHAT_WORDS,
  CHATTY_COMMANDS,
  COMMON_COMMANDS,
  FILLER_WORDS,
  LESSON_COMMANDS,
  SENTENCE_WORDS,
  SHELL_BUILTINS,
  SHELL_KEYWORDS,
  SUBCOMMANDS,
  ARGUMENT_SHAPES,
  BARE_WORD_COMMANDS,
} from './line-words.js';
import { isPathArg, isSlipOf, plainWidth, scanForgiving, type Scan, type Token } from './line-scan.js';

/** chat: talking to the tutor; container: inside `docker exec -it X sh`; host: the host's view. */
export type LinePlace = 'chat' | 'container' | 'host';
export interface LineContext {
  place: LinePlace;
  lang: 'ja' | 'en';
  /** The tutor's last reply asked the learner a question. */
  awaitingAnswer?: boolean;
}
export type LineKind =
  /** Run it; `command` is the line without a `$ ` (or pasted prompt) in front. */
  | { kind: 'command'; command: string; signals: string[] }
  | { kind: 'chat' }
  /** Ask "Run it / I was talking". */
  | { kind: 'unsure'; command: string };

const KNOWN = new Set<string>([...SANDBOX_COMMANDS, ...SHELL_BUILTINS, ...LESSON_COMMANDS]);
const COMMON = new Set<string>(COMMON_COMMANDS);
const KEYWORDS = new Set<string>(SHELL_KEYWORDS);

/**
 * Whether a line the learner typed is a shell command or chat, from the line and where it was typed.
 * Pure: the same line in the same context always gets the same answer. Never runs prose: in doubt, 'unsure'.
 */
export function classifyLine(line: string, ctx: LineContext): LineKind {
  const framed = unframe(line.trim());
  if (framed.explicit) return { kind: 'command', command: framed.text, signals: framed.signals };
  if (framed.text === '') return { kind: 'chat' };
  const reading = readLine(framed.text);
  const verdict = decide(reading, ctx);
  if (verdict === 'chat') return { kind: 'chat' };
  if (verdict === 'unsure') return { kind: 'unsure', command: framed.text };
  const signals = [...framed.signals, ...reading.commandSignals];
  if (ctx.place !== 'chat') signals.push(`in-${ctx.place}`);
  return { kind: 'command', command: framed.text, signals };
}

// ---- framing: `$ `, pasted prompts, code spans ----

interface Framed {
  text: string;
  explicit: boolean;
  signals: string[];
}

const DOLLAR = /^\$(?:[ \u3000]+|$)/;
/** A shell prompt pasted with its command: `/ # `, `~ $ `, `/tmp # `, `root@abc:/# `, `[root@host ~]# `. */
const PROMPT = /^(?:[\w.-]+@[\w.-]+(?::[~/][\w.~/-]*)?|\[[^\]\s]+@[^\]]+\]|(?<path>[~/][\w.~/-]*)[ ]?)[#$][ \u3000]+(?=\S)/;
const CODE_SPAN = /^(?:```(?:sh|bash|shell|console|zsh)?\s*([\s\S]+?)\s*```|`([^`]+)`)$/;

function unframe(text: string): Framed {
  const code = CODE_SPAN.exec(text);
  if (code) {
    // A whole line in Discord's code formatting is copied from a command (the backticks are not substitution).
    const inner = unframe((code[1] ?? code[2] ?? '').trim());
    return { ...inner, signals: ['code-span', ...inner.signals] };
  }
  const dollar = DOLLAR.exec(text);
  if (dollar) return { text: text.slice(dollar[0].length).trim(), explicit: true, signals: ['explicit-prefix'] };
  const prompt = PROMPT.exec(text);
  // `/bin/ls # list` is a command with a comment, not a prompt named /bin/ls.
  const promptPath = prompt?.groups?.path;
  if (prompt && !(promptPath && KNOWN.has(promptPath.split('/').at(-1) ?? ''))) {
    return { text: text.slice(prompt[0].length).trim(), explicit: true, signals: ['pasted-prompt'] };
  }
  // A bare `# ` may be a root prompt or a comment: strip it and let the rest speak for itself.
  const hash = /^#[ \u3000]+(?=\S)/.exec(text);
  if (hash) return { text: text.slice(hash[0].length).trim(), explicit: false, signals: ['hash-prompt'] };
  return { text, explicit: false, signals: [] };
}

// ---- reading: the evidence for a command and for prose ----

interface Reading {
  words: Token[];
  ops: string[];
  head?: string;
  cmd: number;
  commandSignals: string[];
  prose: number;
  strongProse: boolean;
  strongSyntax: boolean;
  japanese: boolean;
  numberOnly: boolean;
  answerShaped: boolean;
  oneBareWord: boolean;
}

/** The line as the shell would split it, and its first simple command. */
interface Parsed {
  s: Scan;
  code: string;
  words: Token[];
  ops: string[];
  headIndex: number;
  head?: string;
  /** Every word after the head; `ownArgs` stop at the first operator (`date -s X; echo Y`). */
  args: Token[];
  ownArgs: Token[];
}

interface Evidence {
  weight: number;
  signals: string[];
  strong: boolean;
}

const JAPANESE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f\u3001-\u303f]/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const PATH_HEAD = /^(?:\/[\w.-]|\.{1,2}\/|~\/)/;
const FLAG = /^--?[A-Za-z0-9]/;
const CONTRACTION = /[A-Za-z]['\u2019](?:m|s|t|re|ve|ll|d)(?![A-Za-z])/i;
const EMOJI = /\p{Extended_Pictographic}|[:;]-?[)(DPp](?!\S)|\^\^|(?<!\S)xD(?!\S)/u;
const VARIABLE = /\$(?:\{|[A-Za-z_?$!#@*0-9])/;
const TRAILING_PUNCT = /[.,!?:;]+$/;
const STRONG_SYNTAX = ['pipe', 'and-or', 'sequence', 'redirect', 'substitution', 'variable'];
const WEAK_SYNTAX = ['flag', 'path', 'quotes', 'glob', 'assignment'];
/** `docker-<ID>.scope`, `/proc/<PID>/ns`: a placeholder the learner was meant to fill in, not a redirect. */
const PLACEHOLDER = /(?<=\S)<[^<>\s]+>|<[^<>\s]+>(?=\S)/g;

function collector(): Evidence & { add: (signal: string, weight: number, strong?: boolean) => void } {
  const e = {
    weight: 0,
    signals: [] as string[],
    strong: false,
    add(signal: string, weight: number, strong = false) {
      e.signals.push(signal);
      e.weight += weight;
      e.strong ||= strong;
    },
  };
  return e;
}

function parse(original: string): Parsed {
  // `pid -> pid:[4026…]` (pasted `ls -l`) and `PID 1 => sleep` point; they redirect nothing.
  const text = plainWidth(original).replace(PLACEHOLDER, 'PLACEHOLDER').replace(/(^|\s)[-=]>(?=\s|$)/g, '$1\u2192');
  const s = scanForgiving(text);
  const words = s.tokens.filter((t) => !t.op);
  let headIndex = 0;
  while (headIndex < words.length && !words[headIndex]!.quoted && ASSIGNMENT.test(words[headIndex]!.text)) headIndex++;
  const headToken = words[headIndex];
  const headAt = headToken ? s.tokens.indexOf(headToken) : -1;
  const opAt = s.tokens.findIndex((t, i) => i > headAt && t.op);
  return {
    s,
    code: text.slice(0, s.codeEnd),
    words,
    ops: s.tokens.filter((t) => t.op).map((t) => t.text),
    headIndex,
    ...(headToken && !headToken.quoted ? { head: headToken.text } : {}),
    args: words.slice(headIndex + 1),
    ownArgs: headAt < 0 ? [] : s.tokens.slice(headAt + 1, opAt < 0 ? undefined : opAt),
  };
}

/** How much the first word says "command": known, a path, common elsewhere, or a slip of the fingers. */
function headEvidence(p: Parsed, e: ReturnType<typeof collector>): boolean {
  if (p.headIndex > 0) e.add('assignment', 3);
  const head = p.head;
  if (head === undefined) return false;
  if (KNOWN.has(head)) e.add(`command:${head}`, 2);
  else if (PATH_HEAD.test(head)) e.add('path-command', 3);
  else if (COMMON.has(head)) e.add(`common-command:${head}`, 2);
  else {
    const lower = head.toLowerCase();
    const glued = /^([a-z]+)(?:-[a-z]{1,3}|\/[\w./-]*)$/.exec(head);
    // Phones capitalise the first letter of a message: `Ps aux`, `Docker ps`.
    if (/^[A-Z][a-z0-9-]*$/.test(head) && (KNOWN.has(lower) || COMMON.has(lower))) e.add(`capitalised:${lower}`, 1);
    // `ls-l`, `cd/tmp`, but not `set-up`.
    else if (glued && KNOWN.has(glued[1]!) && !isWord(head.slice(glued[1]!.length + 1).replace(/^[a-z]$/, ''))) e.add(`glued:${glued[1]}`, 1.5);
    else {
      const near = nearestCommand(head);
      if (near) e.add(`typo-of:${near}`, 1);
      // `dockr ps`: a misspelt docker followed by one of docker's own subcommands.
      if (near === 'docker' && SUBCOMMANDS.get('docker')!.has(p.args[0]?.text ?? '')) e.add('docker-subcommand', 1);
    }
    return false;
  }
  return true;
}

function syntaxEvidence(p: Parsed, e: ReturnType<typeof collector>): void {
  const has = (test: (op: string) => boolean) => p.ops.some(test);
  if (has((o) => o === '|' || o === '|&')) e.add('pipe', 2);
  if (has((o) => o === '&&' || o === '||')) e.add('and-or', 2);
  if (has((o) => o.includes(';'))) e.add('sequence', 1.5);
  if (has((o) => /[<>]/.test(o))) e.add('redirect', 2);
  if (has((o) => o === '&')) e.add('background', 1);
  if (p.s.live.includes('$(')) e.add('substitution', 3);
  else if (VARIABLE.test(p.s.live)) e.add('variable', 2);
  // Backticks are Discord's code formatting as often as command substitution: weaker, and not "strong syntax".
  if (p.s.backtick) e.add('backticks', 1.5);
  const flags = p.args.filter((w) => !w.quoted && FLAG.test(w.text)).length;
  if (flags > 0) e.add('flag', 2 + Math.min(flags - 1, 2) * 0.5);
  if (p.args.some((w) => !w.quoted && isPathArg(w.text))) e.add('path', 1.5);
  if (p.args.some((w) => w.quoted)) e.add('quotes', 1);
  if (p.args.some((w) => !w.quoted && w.text.includes('*'))) e.add('glob', 1);
}

/** How much the line reads as a sentence: punctuation, contractions, English function words, the wrong arguments. */
function proseEvidence(p: Parsed, headIsCommand: boolean, anySyntax: boolean, commandSignals: readonly string[]): Evidence {
  const e = collector();
  const { s, words, head } = p;
  const tail = s.unquoted.trim();
  const lastWord = words.at(-1)?.text ?? '';
  if (/(?<!\$)\?$/.test(tail) && !isPathArg(lastWord)) e.add('question', 3, true);
  if (/(?<!\$)!$/.test(tail) && !/^!+$/.test(tail)) e.add('exclamation', 3, true); // not `!!` nor `$!`
  if (/[A-Za-z)]\.$/.test(tail) && words.length >= 2 && !isPathArg(lastWord)) e.add('full-stop', 2, true);
  if (CONTRACTION.test(p.code.replace(/"[^"]*"/g, '""'))) e.add('contraction', 3, true);
  if (EMOJI.test(s.unquoted)) e.add('emoji', 3, true);
  if (/https?:\/\//.test(p.code) && !headIsCommand) e.add('link', 3, true);
  if (/, /.test(s.unquoted)) e.add('comma', 1);
  // `ls: cannot access …`, `Error: …`: output or a label, which no command starts with.
  if (head !== undefined && /^\S+:$/.test(head)) e.add('pasted-output', 3, true);

  if (!(head && KEYWORDS.has(head))) {
    let sentence = 0;
    let filler = 0;
    for (const w of words.slice(headIsCommand ? p.headIndex + 1 : p.headIndex)) {
      if (w.quoted) continue;
      const word = w.text.replace(TRAILING_PUNCT, '').replace(/['\u2019]/g, '').toLowerCase();
      if (!/^[a-z]+$/.test(word)) continue;
      if (SENTENCE_WORDS.has(word)) sentence += anySyntax ? 1 : 2;
      else if (FILLER_WORDS.has(word)) filler += anySyntax ? 0.5 : 1;
    }
    if (sentence > 0) e.add('sentence-words', sentence);
    if (filler > 0) e.add('filler-words', filler);
  }
  const headWord = (head ?? '').replace(TRAILING_PUNCT, '').replace(/['\u2019]/g, '').toLowerCase();
  if (head !== undefined && !headIsCommand) {
    if (CHAT_WORDS.has(headWord)) e.add('chat-word', 3);
    else if (/^[A-Z][a-z]+$/.test(head.replace(TRAILING_PUNCT, ''))) e.add('capitalised', 1);
  } else if (CHATTY_COMMANDS.has(headWord)) {
    // `time ls`, `more /etc/passwd` run; `more details`, `wait a minute` are talk.
    const next = p.args[0];
    const runsSomething = anySyntax || (next !== undefined && (!/^[A-Za-z]+$/.test(next.text) || KNOWN.has(next.text) || COMMON.has(next.text)));
    e.add('chatty-command', runsSomething ? 1 : 2);
  }
  const tool = headIsCommand ? head : commandSignals.find((sig) => sig.startsWith('typo-of:'))?.slice('typo-of:'.length);
  const subcommands = tool !== undefined ? SUBCOMMANDS.get(tool) : undefined;
  const first = p.ownArgs[0];
  // `docker desktop` is talk; `docker exce` is a misspelt docker command.
  if (subcommands && first && !first.quoted && !FLAG.test(first.text) && !subcommands.has(first.text) && ![...subcommands].some((sub) => isSlipOf(first.text, sub))) {
    e.add('not-a-subcommand', 3);
  }
  const shape = head !== undefined ? ARGUMENT_SHAPES.get(head) : undefined;
  if (shape && p.ownArgs.some((w) => !w.quoted && !shape.test(w.text))) e.add('not-its-arguments', 3);
  // `[ -f x ]` ends with a `]` of its own; a pasted kernel log line `[    0.370000] usb 1-1: …` does not.
  if (head === '[' && p.ownArgs.at(-1)?.text !== ']') e.add('not-its-arguments', 3);
  const plainWords = words.filter((w) => !w.quoted && /^[A-Za-z][A-Za-z'\u2019]*[,.!?]?$/.test(w.text));
  if (words.length >= 5 && plainWords.length === words.length && !commandSignals.some((sig) => STRONG_SYNTAX.includes(sig))) e.add('many-words', 1.5);
  return e;
}

function readLine(original: string): Reading {
  const p = parse(original);
  const command = collector();
  const headIsCommand = headEvidence(p, command);
  syntaxEvidence(p, command);
  const strongSyntax = command.signals.some((sig) => STRONG_SYNTAX.includes(sig));
  const anySyntax = strongSyntax || command.signals.some((sig) => WEAK_SYNTAX.includes(sig));
  const prose = proseEvidence(p, headIsCommand, anySyntax, command.signals);
  const tail = p.s.unquoted.trim();
  const first = p.ownArgs[0];
  return {
    words: p.words,
    ops: p.ops,
    ...(p.head !== undefined ? { head: p.head } : {}),
    cmd: command.weight,
    commandSignals: command.signals,
    prose: prose.weight,
    strongProse: prose.strong,
    strongSyntax,
    japanese: JAPANESE.test(p.s.unquoted),
    numberOnly: /^[\d\s.,:/%x×*+=-]+$/.test(tail) && /\d/.test(tail),
    // What an answer to "what was PID 1?" looks like: `sleep 1000`, `/sbin/docker-init`.
    answerShaped:
      (!anySyntax && p.args.some((w) => /^\d+$/.test(w.text)) && !LESSON_COMMANDS.includes(p.head ?? '')) ||
      (p.words.length === 1 && p.ops.length === 0 && p.head !== undefined && PATH_HEAD.test(p.head)),
    // `echo hello` or `sleep well`: one plain word after a command is too little to tell.
    oneBareWord:
      p.ownArgs.length === 1 && p.args.length === 1 && !anySyntax && KNOWN.has(p.head ?? '') && !BARE_WORD_COMMANDS.has(p.head ?? '') &&
      first !== undefined && !first.quoted && /^[A-Za-z]{4,}$/.test(first.text) && !KNOWN.has(first.text) && !COMMON.has(first.text) &&
      !SUBCOMMANDS.get(p.head ?? '')?.has(first.text),
  };
}

// ---- deciding ----

/** Signals that the line's first word is (or was meant to be) a command. */
const HEAD_SIGNALS = ['command:', 'path-command', 'assignment', 'common-command:', 'typo-of:', 'glued:', 'capitalised:'];

function decide(r: Reading, ctx: LineContext): 'command' | 'chat' | 'unsure' {
  // Japanese outside quotes is a sentence about a command, unless it is wrapped in real shell syntax.
  if (r.japanese) return r.strongSyntax ? 'unsure' : 'chat';
  if (r.numberOnly) return 'chat';
  const inShell = ctx.place !== 'chat';
  if (r.words.length === 1 && r.ops.length === 0) return decideOneWord(r, inShell, ctx);
  if (r.prose >= 2 && r.prose >= r.cmd) return 'chat';
  if (r.strongProse || r.prose >= 2) return 'unsure';
  if (r.cmd === 0) return inShell ? 'unsure' : 'chat';
  // Syntax alone, with no command in front (`namespaces > cgroups`), is not enough to run a line.
  if (!r.commandSignals.some((sig) => HEAD_SIGNALS.some((h) => sig.startsWith(h)))) return 'unsure';
  // In a shell every line runs, unless only a slip or a capital letter makes it look like a command.
  if (inShell) return r.cmd >= 2 || (r.prose === 0 && r.head === r.head?.toLowerCase()) ? 'command' : 'unsure';
  // After a question, a line with only a faint likeness to a command ("uid 1000") is the answer.
  if (r.cmd < 2) return ctx.awaitingAnswer ? 'chat' : 'unsure';
  // "sleep 1000" may be the answer to "what was PID 1?" as much as a command.
  if ((ctx.awaitingAnswer && r.answerShaped) || r.oneBareWord) return 'unsure';
  return 'command';
}

function decideOneWord(r: Reading, inShell: boolean, ctx: LineContext): 'command' | 'chat' | 'unsure' {
  const word = r.words[0]!;
  if (r.strongProse) return 'chat';
  if (word.quoted) return inShell ? 'unsure' : 'chat';
  if (r.commandSignals.includes('path-command') && ctx.awaitingAnswer && !inShell) return 'unsure';
  if (r.commandSignals.some((sig) => ['assignment', 'path-command', 'substitution', 'variable'].includes(sig))) return 'command';
  const lower = word.text.toLowerCase();
  const chatty = CHATTY_COMMANDS.get(lower);
  if (chatty) {
    if (!inShell || chatty === 'chat') return 'chat';
    return chatty === 'run' && word.text === lower ? 'command' : 'unsure';
  }
  if (isWord(lower)) return 'chat';
  if (KNOWN.has(word.text)) return 'command';
  if (COMMON.has(word.text) || r.commandSignals.some((sig) => sig.startsWith('glued:'))) return 'command';
  if (r.commandSignals.some((sig) => sig.startsWith('capitalised:'))) return 'unsure';
  // `exti` in a shell is a slip of the fingers; said to the tutor it may be anything (and `yse` is `yes`).
  const slipOf = r.commandSignals.find((sig) => sig.startsWith('typo-of:'))?.slice('typo-of:'.length);
  if (slipOf !== undefined) return inShell && !CHATTY_COMMANDS.has(slipOf) ? 'command' : 'unsure';
  // A word no shell knows, right after the tutor's question ("max"), is the answer, in a shell too.
  return inShell && !ctx.awaitingAnswer ? 'unsure' : 'chat';
}

/** Whether a piece of a line is an everyday English word. */
function isWord(text: string): boolean {
  const w = text.toLowerCase();
  return CHAT_WORDS.has(w) || SENTENCE_WORDS.has(w) || FILLER_WORDS.has(w);
}

/** The known command `word` is a likely slip of the fingers for, if the word looks like a command name. */
function nearestCommand(word: string): string | undefined {
  if (!/^[a-z][a-z0-9._+-]*$/.test(word) || word.length < 2 || word.length > 24) return undefined;
  if (isWord(word)) return undefined;
  for (const name of [...LESSON_COMMANDS, ...KNOWN, ...COMMON]) {
    if (name.length >= 2 && Math.abs(name.length - word.length) <= 1 && isSlipOf(word, name)) return name;
  }
  return undefined;
}
