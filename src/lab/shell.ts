// POSIX-shell word splitting of one lab command line. Pure: nothing is expanded or run; the parts of
// shell syntax that would make the *host* do something (operators, substitutions, variables) are
// reported so the caller can refuse them with an explanation.

/** Operators a POSIX shell recognises outside quotes; `newline` separates commands like `;`. */
export const shellOperators = ['&&', '||', ';;', '>>', '<<', '|', '&', ';', '>', '<', '(', ')', 'newline'] as const;
export type ShellOperator = (typeof shellOperators)[number];

export type ShellToken =
  | { type: 'word'; value: string; column: number }
  | { type: 'operator'; op: ShellOperator; column: number };

export type ShellProblemCode =
  | 'unclosed-single-quote'
  | 'unclosed-double-quote'
  | 'trailing-backslash'
  | 'command-substitution'
  | 'shell-variable';

/** `column` is 1-based, counted in UTF-16 code units like the rest of JavaScript. */
export interface ShellProblem {
  code: ShellProblemCode;
  column: number;
  /** The piece of the line the problem is about, e.g. `$(` or `$HOME`. */
  text: string;
}

export type SplitResult = { ok: true; tokens: ShellToken[] } | { ok: false; problem: ShellProblem };

const BLANKS = new Set([' ', '\t', '\r']);
/** Longest first, so `&&` wins over `&`. */
const OPERATOR_TEXTS = shellOperators.filter((op) => op !== 'newline');
/** Inside double quotes a backslash only escapes these (POSIX 2.2.3). */
const DQ_ESCAPABLE = new Set(['$', '`', '"', '\\']);

/** What `$` at `index` starts, when it is an expansion the host shell would perform. */
function expansionAt(line: string, index: number): ShellProblem | undefined {
  const next = line[index + 1];
  if (next === '(') return { code: 'command-substitution', column: index + 1, text: '$(' };
  if (next === undefined) return undefined;
  if (next === '{' || /[A-Za-z_0-9?$!#@*-]/.test(next)) {
    const name = /^\$(\{[^}]*\}?|[A-Za-z_][A-Za-z0-9_]*|.)/.exec(line.slice(index))?.[0] ?? '$';
    return { code: 'shell-variable', column: index + 1, text: name };
  }
  return undefined;
}

export function splitShellWords(line: string): SplitResult {
  const tokens: ShellToken[] = [];
  let word = '';
  let inWord = false;
  let wordStart = 0;
  const begin = (at: number): void => {
    if (!inWord) {
      inWord = true;
      wordStart = at;
    }
  };
  const flush = (): void => {
    if (inWord) tokens.push({ type: 'word', value: word, column: wordStart + 1 });
    word = '';
    inWord = false;
  };
  const fail = (code: ShellProblemCode, at: number, text: string): SplitResult => ({
    ok: false,
    problem: { code, column: at + 1, text },
  });

  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === '\\') {
      const next = line[i + 1];
      if (next === undefined) return fail('trailing-backslash', i, '\\');
      if (next !== '\n') {
        begin(i);
        word += next;
      }
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return fail('unclosed-single-quote', i, "'");
      begin(i);
      word += line.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      begin(i);
      let j = i + 1;
      for (;;) {
        const d = line[j];
        if (d === undefined) return fail('unclosed-double-quote', i, '"');
        if (d === '"') break;
        if (d === '\\') {
          const next = line[j + 1];
          if (next !== undefined && DQ_ESCAPABLE.has(next)) {
            word += next;
            j += 2;
            continue;
          }
          if (next === '\n') {
            j += 2;
            continue;
          }
          word += d;
          j += 1;
          continue;
        }
        if (d === '`') return fail('command-substitution', j, '`');
        if (d === '$') {
          const expansion = expansionAt(line, j);
          if (expansion) return { ok: false, problem: expansion };
        }
        word += d;
        j += 1;
      }
      i = j + 1;
      continue;
    }
    if (c === '`') return fail('command-substitution', i, '`');
    if (c === '$') {
      const expansion = expansionAt(line, i);
      if (expansion) return { ok: false, problem: expansion };
    }
    if (c === '#' && !inWord) {
      // A comment runs to the end of the line; the newline itself still separates commands.
      const newline = line.indexOf('\n', i);
      i = newline < 0 ? line.length : newline;
      continue;
    }
    if (BLANKS.has(c)) {
      flush();
      i += 1;
      continue;
    }
    if (c === '\n') {
      flush();
      tokens.push({ type: 'operator', op: 'newline', column: i + 1 });
      i += 1;
      continue;
    }
    const op = OPERATOR_TEXTS.find((text) => line.startsWith(text, i));
    if (op) {
      flush();
      tokens.push({ type: 'operator', op, column: i + 1 });
      i += op.length;
      continue;
    }
    begin(i);
    word += c;
    i += 1;
  }
  flush();
  return { ok: true, tokens: dropEmptyLines(tokens) };
}

/** Blank and comment-only lines around a pasted command are not extra commands. */
function dropEmptyLines(tokens: ShellToken[]): ShellToken[] {
  const kept: ShellToken[] = [];
  for (const token of tokens) {
    if (token.type === 'operator' && token.op === 'newline') {
      const last = kept[kept.length - 1];
      if (last === undefined || (last.type === 'operator' && last.op === 'newline')) continue;
    }
    kept.push(token);
  }
  while (kept.length > 0) {
    const last = kept[kept.length - 1] as ShellToken;
    if (last.type === 'operator' && last.op === 'newline') kept.pop();
    else break;
  }
  return kept;
}
