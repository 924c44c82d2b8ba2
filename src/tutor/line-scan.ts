// The lexical pieces the line classifier (line-kind.ts) reads: a forgiving shell tokenizer, the
// shape of a path, and what a slip of the fingers looks like.

export interface Token {
  text: string;
  quoted: boolean;
  op: boolean;
}

export interface Scan {
  tokens: Token[];
  /** The characters outside quotes and comments. */
  unquoted: string;
  /** The characters the shell would expand (outside single quotes, before any comment). */
  live: string;
  backtick: boolean;
  /** Where a shell comment starts (text.length without one). */
  codeEnd: number;
  openQuote?: string;
}

const QUOTE_CLOSERS: Record<string, string> = { "'": "'", '"': '"', '`': '`', '\u201c': '\u201d', '\u2018': '\u2019' };
const OPERATOR_CHARS = '|&;<>\n';

function scan(text: string, literal: ReadonlySet<string>): Scan {
  const tokens: Token[] = [];
  let cur = '';
  let quoted = false;
  let started = false;
  let quote: string | undefined;
  let opener = '';
  let unquoted = '';
  let live = '';
  let backtick = false;
  let codeEnd = text.length;
  const flush = () => {
    if (started) tokens.push({ text: cur, quoted, op: false });
    cur = '';
    quoted = false;
    started = false;
    unquoted += ' ';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === quote || (quote === '\u201d' && c === '"')) quote = undefined;
      else cur += c;
      if (opener !== "'") live += c;
      continue;
    }
    const closer = QUOTE_CLOSERS[c];
    if (closer !== undefined && !literal.has(c)) {
      quote = closer;
      opener = c;
      quoted = true;
      started = true;
      if (c === '`') backtick = true;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      started = true;
      continue;
    }
    if (/\s/.test(c) && c !== '\n') {
      flush();
      continue;
    }
    if (c === '#' && !started) {
      codeEnd = i; // the rest is a shell comment
      break;
    }
    if (OPERATOR_CHARS.includes(c)) {
      let op = '';
      if (/^\d$/.test(cur) && !quoted && (c === '<' || c === '>')) {
        op = cur; // 2>/dev/null: the digit belongs to the redirect
        cur = '';
        started = false;
      } else flush();
      while (i < text.length && OPERATOR_CHARS.includes(text[i]!)) op += text[i++];
      while (i < text.length && /\d/.test(text[i]!) && /[<>]&$/.test(op)) op += text[i++];
      i--;
      tokens.push({ text: op.replace(/\n/g, ';'), quoted: false, op: true });
      unquoted += ` ${op} `;
      live += ` ${op} `;
      continue;
    }
    cur += c;
    started = true;
    unquoted += c;
    live += c;
  }
  flush();
  return { tokens, unquoted, live, backtick, codeEnd, ...(quote !== undefined ? { openQuote: opener } : {}) };
}

/** Scans again with a quote that never closes taken literally (`I'm`, `don't`, a stray `"`). */
export function scanForgiving(text: string): Scan {
  const literal = new Set<string>();
  let result = scan(text, literal);
  while (result.openQuote !== undefined && !literal.has(result.openQuote)) {
    literal.add(result.openQuote);
    result = scan(text, literal);
  }
  return result;
}

export function isPathArg(t: string): boolean {
  if (/:\/\//.test(t)) return false;
  if (/^(?:\/|~|\.{1,2}\/)/.test(t)) return true;
  return t.includes('/') && (/\.\w+$/.test(t) || t.split('/').length >= 3 || t.endsWith('/'));
}

/** Full-width ASCII (an IME left on) and the ideographic space read as their plain forms. */
export function plainWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}


/**
 * Neighbours swapped (`dokcer`, `sl`) or a key pressed twice (`lls`, `whoamii`) anywhere; a letter
 * added, dropped or changed inside a longer word (`dockr`). A letter added at either end makes
 * another word more often than a typo (`stop`/`top`, `cgroups`/`groups`, `uid`/`id`).
 */
export function isSlipOf(word: string, name: string): boolean {
  if (word === name) return false;
  let i = 0;
  while (i < word.length && i < name.length && word[i] === name[i]) i++;
  const w = word.slice(i);
  const n = name.slice(i);
  if (w.length >= 2 && w[0] === n[1] && w[1] === n[0] && w.slice(2) === n.slice(2)) return true;
  if (w.slice(1) === n) return w[0] === word[i - 1] || w[0] === w[1] || (word.length >= 6 && i > 0 && n !== '');
  if (w === n.slice(1)) return word.length >= 5 && i > 0;
  return w.slice(1) === n.slice(1) && word.length >= 6 && i > 0;
}
