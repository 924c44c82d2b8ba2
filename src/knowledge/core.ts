// The core of an answer, first: what the question really asks ("what is X?" or "why X?"), the card's first
// sentence apart from the rest, and a number from the question explained when the card is about bytes. Pure.

import type { Lang } from '../lessons/languages.js';
import type { Card } from './knowledge.js';

const WHY = /\bwhy\b|\bhow come\b|なぜ|なんで|何で|どうして/iu;
const WHAT_EN = /(?:^|[^a-z])(?:what(?:'s|’s|s)?\s+(?:is|are|was)?\b|what does .* mean|define\b|meaning of\b)/iu;
const WHAT_JA = /とは|って(?:なに|何|なん(?!で))|は(?:なに|何)(?!で)|ってどんな|とはなに/u;

/** Whether a question asks what something is (not why it is so): such a question gets a definition first. */
export function asksWhatItIs(question: string): boolean {
  const text = question.normalize('NFKC');
  if (WHY.test(text)) return false;
  return WHAT_EN.test(text) || WHAT_JA.test(text);
}

/**
 * A card's answer split into its first sentence (the core, read first) and the rest, one paragraph per thought:
 * a line that ends a sentence ends a thought (cards put one on each line), a line that does not was wrapped by
 * hand and goes on in the next. On a phone a wall of text is skipped.
 */
export function splitAnswer(answer: string): { core: string; more: string[] } {
  const thoughts: string[] = [];
  let open = false;
  let blank = false;
  for (const raw of answer.trim().split('\n')) {
    const line = raw.trim();
    if (line === '') {
      open = false;
      blank = true;
      continue;
    }
    const previous = thoughts.at(-1);
    // A list stays with the line that introduces it; a wrapped line goes on where it was cut.
    if (previous !== undefined && LIST_ITEM.test(raw) && !blank) thoughts[thoughts.length - 1] = `${previous}\n${line}`;
    else if (previous !== undefined && open) thoughts[thoughts.length - 1] = `${previous}${glue(previous, line)}${line}`;
    else thoughts.push(line);
    open = !THOUGHT_END.test(line);
    blank = false;
  }
  const first = thoughts[0] ?? '';
  let end = firstSentenceEnd(first);
  // A short remainder of the line stays with the core rather than standing alone.
  if (minimum(first.slice(end)) > [...first.slice(end).trim()].length) end = first.length;
  // A command standing alone right after the core is what the core says to do: it stays with it.
  const next = sentencesOf(first.slice(end))[0] ?? '';
  if (/^\s*`[^`]+`[。.]?\s*$/u.test(next)) end += next.length;
  const core = first.slice(0, end).trim();
  const tail = first.slice(end).trim();
  return { core, more: [...(tail ? [tail] : []), ...thoughts.slice(1)] };
}

const THOUGHT_END = /(?:[.!?:。！？」）)]|\p{Extended_Pictographic}\uFE0F?)$/u;
const LIST_ITEM = /^\s*(?:[-*•]|\d+\.)\s/;
/** Japanese joins wrapped lines with nothing between; other text with a space. */
const glue = (before: string, line: string) => (CJK.test(before.slice(-1)) && CJK.test(line[0] ?? '') ? '' : ' ');

// A sentence ends at . ! ? 。 ！ ？ (or an emoji) followed by a space or the next Japanese sentence; not inside
// code spans, and not at e.g./i.e./vs. A core shorter than the minimum takes the next sentence too.
const CJK = /[\u3040-\u30FF\u3400-\u9FFF]/u;
/** Characters a core needs at least (Japanese says as much in half the characters). */
const minimum = (text: string) => (CJK.test(text) ? 20 : 40);
const END = /[.!?](?=\s+[^a-z\s])|[。！？](?=.)|\p{Extended_Pictographic}\uFE0F?(?=\s)/gu;
const ABBREVIATION = /(?:\be\.g|\bi\.e|\bvs|\betc)\.$/iu;

function firstSentenceEnd(line: string): number {
  for (const match of line.matchAll(END)) {
    const end = match.index + match[0].length;
    const before = line.slice(0, end);
    if (ABBREVIATION.test(before) || (before.match(/`/g)?.length ?? 0) % 2 === 1) continue;
    if ([...before].length < minimum(before)) continue;
    return end;
  }
  return line.length;
}

const MIB = 1024n * 1024n;
const GIB = MIB * 1024n;
/** cgroup v1's "no limit": the largest signed 64-bit number rounded down to a 4 KiB page. */
const V1_UNLIMITED = 9223372036854771712n;
/** Numbers below this are not byte sizes a learner reads from a limit file. */
const MIN_BYTES = 1024n * 1024n;

const bytesWords: Record<Lang, { exact: (p: { n: string; size: string; math: string; flag: string }) => string; about: (p: { n: string; mib: string }) => string; unlimited: (n: string) => string }> = {
  en: {
    exact: (p) => `\`${p.n}\` bytes = ${p.math} = **${p.size}**: the limit \`--memory=${p.flag}\` sets.`,
    about: (p) => `\`${p.n}\` bytes ÷ 1024 ÷ 1024 ≈ **${p.mib} MiB**.`,
    unlimited: (n) => `\`${n}\` is cgroup v1's way of saying **no limit**: the largest 64-bit number, rounded down to a 4 KiB page.`,
  },
  ja: {
    exact: (p) => `\`${p.n}\` バイト = ${p.math} = **${p.size}**。\`--memory=${p.flag}\` で付く上限だよ。`,
    about: (p) => `\`${p.n}\` バイト ÷ 1024 ÷ 1024 ≈ **${p.mib} MiB** だよ。`,
    unlimited: (n) => `\`${n}\` は cgroup v1 の「上限なし」。64 ビットの最大値を 4 KiB のページ単位に切り下げた数だよ。`,
  },
};

/**
 * The byte counts in a question about memory, worked out (`134217728` = 128 × 1024 × 1024 = 128 MiB), so the
 * answer explains the number the learner actually sees rather than the card's own example.
 */
export function explainNumbers(question: string, card: Card, lang: Lang): string[] {
  if (!card.tags.includes('memory')) return [];
  const w = bytesWords[lang];
  const numbers = [...new Set(question.normalize('NFKC').match(/(?<![\d.])\d{7,20}(?![\d.])/g) ?? [])];
  return numbers.flatMap((text) => {
    const n = BigInt(text);
    if (n === V1_UNLIMITED) return [w.unlimited(text)];
    if (n < MIN_BYTES) return [];
    if (n % GIB === 0n) return [w.exact({ n: text, size: `${n / GIB} GiB`, math: `${n / GIB} × 1024 × 1024 × 1024`, flag: `${n / GIB}g` })];
    if (n % MIB === 0n) return [w.exact({ n: text, size: `${n / MIB} MiB`, math: `${n / MIB} × 1024 × 1024`, flag: `${n / MIB}m` })];
    return [w.about({ n: text, mib: (Number(n) / 1024 / 1024).toFixed(1) })];
  });
}

/** How much of a sentence another text already says, above which the sentence is a repeat of it. */
const REPEAT_SHARE = 0.6;
const FILLER = new Set(['the', 'and', 'with', 'that', 'this', 'for', 'its', 'your', 'you', 'are', 'is', 'so', 'it', 'all', 'every', 'them']);

/** What a sentence talks about: Latin words (a plural's `s` dropped), kanji/katakana pairs and single kanji. */
function topicTerms(text: string): Set<string> {
  const t = text.normalize('NFKC').toLowerCase();
  const latin = (t.match(/[a-z][a-z0-9]{2,}/g) ?? []).filter((w) => !FILLER.has(w)).map((w) => w.replace(/(?<=[a-z]{3})s$/, ''));
  const cjk = (t.match(/[\u30A0-\u30FF\u3400-\u9FFF]+/gu) ?? []).flatMap((run) => {
    const chars = [...run];
    return chars.length === 1 ? chars : chars.slice(1).map((c, i) => `${chars[i]}${c}`);
  });
  return new Set([...latin, ...cjk]);
}

/** The sentences of a thought, each with the space or nothing that followed it. */
function sentencesOf(thought: string): string[] {
  const found: string[] = [];
  let from = 0;
  for (const match of thought.matchAll(END)) {
    const end = match.index + match[0].length;
    const before = thought.slice(from, end);
    if (ABBREVIATION.test(before) || (thought.slice(0, end).match(/`/g)?.length ?? 0) % 2 === 1) continue;
    found.push(before);
    from = end;
  }
  if (from < thought.length) found.push(thought.slice(from));
  return found;
}

/** The thoughts without the sentences that mostly say `said` again (a definition shown just before them). */
export function withoutRepeats(thoughts: readonly string[], said: string): string[] {
  const known = topicTerms(said);
  const repeats = (sentence: string) => {
    const terms = [...topicTerms(sentence)];
    return terms.length >= 3 && terms.filter((w) => known.has(w)).length / terms.length >= REPEAT_SHARE;
  };
  return thoughts.map((thought) => sentencesOf(thought).filter((s) => !repeats(s)).join('').trim()).filter((t) => t !== '');
}
