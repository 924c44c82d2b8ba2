// Turning questions and card text into search terms, for English and for Japanese (which has no spaces).
// Latin runs give words (lowercased, lightly stemmed) and technical compounds (`memory.max`, `cap_sys_admin`)
// both whole and in parts; CJK runs give Intl.Segmenter words AND character bigrams, so a word the segmenter
// splits differently in the card and in the question still meets.

/** One search term with how much it counts (bigrams and word parts count less than whole words). */
export interface Term {
  term: string;
  weight: number;
}

const LATIN_RUN = /[a-z0-9]+(?:[._\-/:+][a-z0-9]+)*/g;
const CJK_RUN = /[\u3041-\u3096\u309D\u309F\u30A1-\u30FA\u30FC-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF々〆]+/g;
const KANJI_OR_KATAKANA_RUN = /[\u30A1-\u30FA\u30FC-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF々〆]{2,}/g;
const HIRAGANA_ONLY = /^[\u3041-\u309F]+$/;

/** Words that say nothing about the topic. Kept short: BM25's idf already discounts common words. */
const EN_STOP = new Set(
  ('a an the and or but of to in on at by for with from into as is are was were be been being am do does did ' +
    'i me my we our you your it its this that these those there here what whats which who whom how why when where ' +
    'can could should would will shall may might must have has had having not no yes so if then than too very ' +
    'just also about up out get got some any all s t d ll re ve m isn aren wasn weren don doesn didn hasn haven hadn won wouldn shouldn couldn ain please hi hello thanks thank tell explain mean means ' +
    'meaning wondering question know anyone someone something thing things really actually way').split(' '),
);

const JA_STOP = new Set(
  ('の に は を が と で も へ や か な ね よ わ って とは て た だ です ます でしょ でしょう だろ ですか ますか ' +
    'する して した され いる ある なる なっ あり おり これ それ あれ この その あの どの どれ 何 なに なん なんで ' +
    'なぜ どう どうして どうやって どこ いつ 教え 教えて ください 方法 やり方 知り たい 意味 について とか けど ' +
    'から まで より ため こと もの ん じゃ 本当 ほんと 場合').split(' '),
);

/** Unicode normal form (full-width letters to ASCII), lowercase; the one normalisation every comparison uses. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** A light English stemmer: plurals and -ing/-ed, applied the same way to cards and questions. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (/(?:ches|shes|xes|zes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is|os|fs)$|^(?:net|user|mnt|pid|uts|ipc|cgroup|time)ns$/.test(word)) return word.slice(0, -1);
  if (word.endsWith('ing') && word.length >= 6) return undoubled(word.slice(0, -3));
  if (word.endsWith('ed') && word.length >= 5) return undoubled(word.slice(0, -2));
  return word;
}

function undoubled(s: string): string {
  return /([bdgkmnprt])\1$/.test(s) ? s.slice(0, -1) : s;
}

/** Katakana spelt with or without a final long vowel mark (コンテナ / コンテナー) is one word. */
function foldKatakana(word: string): string {
  return word.length >= 4 && /^[\u30A1-\u30FF]+ー$/.test(word) ? word.slice(0, -1) : word;
}

let segmenter: Intl.Segmenter | undefined;

function japaneseWords(run: string): string[] {
  segmenter ??= new Intl.Segmenter('ja', { granularity: 'word' });
  const words: string[] = [];
  for (const s of segmenter.segment(run)) {
    if (!s.isWordLike) continue;
    const word = foldKatakana(s.segment);
    if (JA_STOP.has(word)) continue;
    if (HIRAGANA_ONLY.test(word) && word.length < 3) continue;
    words.push(word);
  }
  return words;
}

function bigrams(run: string): string[] {
  const out: string[] = [];
  for (const part of run.match(KANJI_OR_KATAKANA_RUN) ?? []) {
    for (let i = 0; i + 1 < part.length; i++) out.push(part.slice(i, i + 2));
  }
  return out;
}

function latinTerms(run: string, out: Term[]): void {
  const parts = run.split(/[._\-/:+]/).filter((p) => p !== '');
  if (parts.length > 1) out.push({ term: run, weight: 1.2 });
  for (const part of parts) {
    if (EN_STOP.has(part) || (part.length === 1 && !/\d/.test(part))) continue;
    out.push({ term: stem(part), weight: parts.length > 1 ? 0.6 : 1 });
  }
}

/** The search terms of a text, in order, with repeats (the index counts term frequency). */
export function tokenize(text: string): Term[] {
  const normalized = normalizeText(text);
  const out: Term[] = [];
  for (const match of normalized.matchAll(LATIN_RUN)) latinTerms(match[0], out);
  for (const match of normalized.matchAll(CJK_RUN)) {
    for (const word of japaneseWords(match[0])) out.push({ term: word, weight: 1 });
    for (const gram of bigrams(match[0])) out.push({ term: gram, weight: 0.5 });
  }
  return out;
}

/** The query's terms: each term once, at its highest weight. */
export function queryTerms(text: string): Term[] {
  const best = new Map<string, number>();
  for (const { term, weight } of tokenize(text)) best.set(term, Math.max(best.get(term) ?? 0, weight));
  return [...best].map(([term, weight]) => ({ term, weight }));
}

/** Whether a term is a Latin word long enough to be corrected for a typo. */
export function isLatinWord(term: string): boolean {
  return /^[a-z]+$/.test(term);
}

/**
 * A text reduced for phrase matching: normalised, every character that is not a letter, digit, CJK, `.` or `/`
 * made a space, so `Network-Namespace?` and `network namespace` compare equal; no space next to CJK.
 */
export function phraseKey(text: string): string {
  return normalizeText(text)
    .replace(/[^a-z0-9./\u3041-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF々〆]+/g, ' ')
    .replace(/(?<![a-z0-9])[./]+|[./]+(?![a-z0-9])/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    // Japanese writes `PIDネームスペース` as often as `PID ネームスペース`: no space next to CJK.
    .replace(/ (?=[\u3041-\u30FF\u3400-\u9FFF\uF900-\uFAFF々〆])|(?<=[\u3041-\u30FF\u3400-\u9FFF\uF900-\uFAFF々〆]) /g, '');
}
