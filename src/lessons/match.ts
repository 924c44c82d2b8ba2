import { builtinExplanations, type BuiltinId } from './builtins.js';
import type { Expectation, Lang, Matcher, Step, UnexpectedResult } from './schema.js';
import type { RunResult } from '../sandbox/types.js';

/** What running a step's command produced: the sandbox's RunResult. */
export type CommandResult = RunResult;

export type MatchOutcome =
  /** The output is one the lesson expects; `explain` says what it shows. */
  | { kind: 'expected'; id: string; explain: string; expectation: Expectation }
  /** The lesson knows this surprise. */
  | { kind: 'unexpected'; source: 'step'; id: string; explain: string; hint?: string; unexpected: UnexpectedResult }
  /** A surprise every step can meet (timeout, OOM, cgroup v1/v2 paths, permissions, ...). */
  | { kind: 'unexpected'; source: 'builtin'; id: BuiltinId; explain: string }
  /** Nothing recognised the output. */
  | { kind: 'unmatched'; id: 'unmatched'; explain: string };

/**
 * Decides what a run's output means for a step: the first expectation that matches, else the step's own
 * unexpected results, else the built-in explanations, else "unmatched". Pure.
 */
export function matchExpectations(step: Pick<Step, 'expect' | 'unexpected'>, result: CommandResult, lang: Lang): MatchOutcome {
  for (const expectation of step.expect) {
    if (matcherMatches(expectation.match, result)) {
      return { kind: 'expected', id: expectation.id, explain: expectation.explain, expectation };
    }
  }
  for (const unexpected of step.unexpected ?? []) {
    if (matcherMatches(unexpected.match, result)) {
      return {
        kind: 'unexpected',
        source: 'step',
        id: unexpected.id,
        explain: unexpected.explain,
        ...(unexpected.hint ? { hint: unexpected.hint } : {}),
        unexpected,
      };
    }
  }
  const builtin = builtinFor(result);
  if (builtin) return { kind: 'unexpected', source: 'builtin', id: builtin, explain: builtinExplanations[builtin][lang] };
  return { kind: 'unmatched', id: 'unmatched', explain: builtinExplanations.unmatched[lang] };
}

/**
 * True when every condition of the matcher holds (and its `not` does not). A run that timed out or was
 * killed (exit 137, or no exit code) only matches a matcher that asks for exactly that, so partial output
 * of a killed command is never taken for success.
 */
export function matcherMatches(matcher: Matcher, result: CommandResult): boolean {
  if (!conditionsHold(matcher, result)) return false;
  if (matcher.not && conditionsHold(matcher.not, result)) return false;
  const killed = result.exitCode === null || result.exitCode === 137;
  if (result.timedOut && matcher.timedOut !== true) return false;
  if (killed && !result.timedOut && !asksForKill(matcher)) return false;
  return true;
}

function asksForKill(m: Matcher): boolean {
  return m.oomKilled === true || m.timedOut === true || (m.exitCode?.includes(137) ?? false);
}

function conditionsHold(m: Omit<Matcher, 'not'>, r: CommandResult): boolean {
  if (m.stdout && !allMatch(m.stdout, r.stdout)) return false;
  if (m.stderr && !allMatch(m.stderr, r.stderr)) return false;
  if (m.output && !allMatch(m.output, combinedOutput(r))) return false;
  if (m.exitCode && (r.exitCode === null || !m.exitCode.includes(r.exitCode))) return false;
  if (m.timedOut !== undefined && m.timedOut !== r.timedOut) return false;
  if (m.oomKilled !== undefined && m.oomKilled !== r.oomKilled) return false;
  return true;
}

/** stdout, then stderr: the two streams are captured apart, so their true interleaving is unknown. */
export function combinedOutput(r: Pick<CommandResult, 'stdout' | 'stderr'>): string {
  if (r.stdout === '' || r.stderr === '') return r.stdout + r.stderr;
  return r.stdout.endsWith('\n') ? r.stdout + r.stderr : `${r.stdout}\n${r.stderr}`;
}

const compiled = new Map<string, RegExp>();

/** Lesson regexes are multiline: ^ and $ match at every line. */
export function lessonRegex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'm');
    compiled.set(pattern, re);
  }
  return re;
}

function allMatch(patterns: readonly string[], text: string): boolean {
  return patterns.every((p) => lessonRegex(p).test(text));
}

const CGROUP_V2_FILE = /\/sys\/fs\/cgroup\/(?:cgroup\.[a-z_.]+|(?:memory|cpu|pids|io|cpuset|hugetlb)\.[a-z_.]+)\b/;
const CGROUP_V1_DIR = /\/sys\/fs\/cgroup\/(?:memory|cpu|cpuacct|cpu,cpuacct|pids|blkio|cpuset|devices|freezer|net_cls|perf_event|hugetlb|systemd)\//;

/** Which built-in explanation fits a result nothing else recognised; most specific first. */
export function builtinFor(r: CommandResult): BuiltinId | undefined {
  const all = combinedOutput(r);
  if (r.timedOut) return 'timeout';
  if (r.oomKilled) return 'oom';
  // The output cap stops a flooding command with SIGKILL: its 137 is the cap's, not memory's.
  if (r.truncated && r.exitCode === 137) return 'truncated';
  if (r.exitCode === 137) return 'killed';
  const missing = all.split('\n').filter((line) => /No such file or directory/.test(line));
  if (missing.some((line) => CGROUP_V1_DIR.test(line))) return 'cgroup-v2-host';
  if (missing.some((line) => CGROUP_V2_FILE.test(line))) return 'cgroup-v1-host';
  if (/Cannot fork|fork: (?:retry: )?Resource temporarily unavailable|fork failed/.test(all)) return 'pids-limit';
  if (/Read-only file system/.test(all)) return 'read-only';
  if (/Operation not permitted/.test(all)) return 'not-permitted';
  if (/Permission denied/.test(all)) return 'permission-denied';
  if (r.exitCode === 127 || /command not found|: not found$/m.test(all)) return 'command-not-found';
  if (/Network is unreachable|Temporary failure in name resolution|Could not resolve|Name or service not known/.test(all)) {
    return 'no-network';
  }
  if (missing.length > 0) return 'no-such-file';
  if (r.truncated) return 'truncated';
  return undefined;
}
