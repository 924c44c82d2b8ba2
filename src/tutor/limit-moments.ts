// Teaching moments for a typed command whose result shows one of the sandbox's limits (pids.max, no network,
// the read-only root, the small /tmp, the output cap). The rules are data, tried in order; the words live in
// phrases/limit-words.ts.
import { configSchema, sandboxLimits, type SandboxLimits } from '../config.js';
import type { Lang } from '../lessons/index.js';
import type { RunResult } from '../sandbox/types.js';
import { limitMomentWords, type LimitMomentId, type ShownLimits } from './phrases/limit-words.js';

/** When a rule applies: every field given must hold. */
export interface LimitMomentRule {
  id: LimitMomentId;
  /** The learner's line. */
  command?: RegExp;
  /** stdout and stderr together. */
  output?: RegExp;
  exitCode?: number;
  /** The kept output is nothing but NUL bytes (it looks empty, yet it filled the cap). */
  onlyNulBytes?: true;
}

const NETWORK_TOOLS = String.raw`(?:curl|wget|ping|ping6|nc|netcat|ssh|telnet|dig|nslookup|host|traceroute|ftp|git)`;
/** The first program of the line, after any `sudo`/`env`/`time` in front. */
const FIRST_PROGRAM = String.raw`^\s*(?:(?:sudo|env|time|command)\s+)*`;
const FORK_BOMB = /([\w:]+)\s*\(\)\s*\{\s*\1\s*\|\s*\1\s*&/;
const FORK_FAILED = /Cannot fork|fork: (?:retry: )?Resource temporarily unavailable|fork failed|can't fork/;

/** Most specific first: what the command is tells more than a symptom several commands share. */
export const LIMIT_MOMENT_RULES: readonly LimitMomentRule[] = [
  // `:(){ :|:& };:` and its kin: a function that pipes itself into itself in the background. dash (the sandbox's
  // sh) refuses `:` as a function name, so the classic one stops at a syntax error before anything forks.
  { id: 'fork-bomb-not-started', command: FORK_BOMB, output: /Syntax error|Bad function name|syntax error/ },
  { id: 'fork-bomb', command: FORK_BOMB },
  { id: 'fork-bomb', output: FORK_FAILED },
  { id: 'network-tool-missing', command: new RegExp(`${FIRST_PROGRAM}${NETWORK_TOOLS}\\b`), exitCode: 127 },
  { id: 'package-install', command: new RegExp(`${FIRST_PROGRAM}(?:apt-get|apt|apk|yum|dnf|pip3?|npm)\\s+(?:-\\S+\\s+)*(?:update|install|add|upgrade)\\b`) },
  { id: 'network-failed', output: /Network is unreachable|Temporary failure in name resolution|Could not resolve|Name or service not known|unknown host|bad address/i },
  { id: 'tmp-full', output: /No space left on device/ },
  { id: 'read-only-root', output: /Read-only file system/ },
  { id: 'nul-output', onlyNulBytes: true },
];

function ruleHolds(rule: LimitMomentRule, command: string, result: RunResult): boolean {
  if (rule.command && !rule.command.test(command)) return false;
  if (rule.output && !rule.output.test(`${result.stdout}\n${result.stderr}`)) return false;
  if (rule.exitCode !== undefined && result.exitCode !== rule.exitCode) return false;
  if (rule.onlyNulBytes && !/^\0+$/.test(result.stdout)) return false;
  return true;
}

/** Which limit the result shows, if any. */
export function limitMomentFor(command: string, result: RunResult, rules: readonly LimitMomentRule[] = LIMIT_MOMENT_RULES): LimitMomentId | undefined {
  return rules.find((rule) => ruleHolds(rule, command, result))?.id;
}

/** The limits as a learner reads them, from the sandbox's own limits (the configured defaults when none are given). */
export function shownLimits(limits: Pick<SandboxLimits, 'pids' | 'tmpBytes' | 'outputBytes'> = sandboxLimits(configSchema.parse({}))): ShownLimits {
  return { pids: limits.pids, tmpMiB: Math.round(limits.tmpBytes / 2 ** 20), outputKiB: Math.round(limits.outputBytes / 1024) };
}

/** What the tutor says about a limit the result shows, or undefined when it shows none. */
export function explainLimitMoment(lang: Lang, command: string, result: RunResult, limits: ShownLimits = shownLimits()): string | undefined {
  const id = limitMomentFor(command, result);
  return id ? limitMomentWords[lang][id](limits) : undefined;
}
