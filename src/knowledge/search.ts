// Offline retrieval: BM25F over a card's fields (title, ways it is asked, aliases, tags, answer) plus a bonus
// for aliases found in the question as phrases, and typo correction of longer Latin words against the
// vocabulary. An index is per language; it also holds the other language's titles and phrasings (weighted
// lower), so a Japanese question written with English terms still finds the card.

import { lessonLanguages, type Lang } from '../lessons/languages.js';
import { editDistance } from '../text/edit-distance.js';
import type { Card, Knowledge } from './cards.js';
import { isLatinWord, normalizeText, phraseKey, queryTerms, tokenize, type Term } from './tokenize.js';

export type Field = 'id' | 'title' | 'asked' | 'aliases' | 'tags' | 'answer' | 'otherTitle' | 'otherAsked' | 'command';

/** The ranking's knobs, chosen on the tune split of the evaluation (see docs/ASK.md). */
export interface SearchSettings {
  /** How much a term found in each field counts. */
  fields: Readonly<Record<Field, number>>;
  /** BM25's term-frequency saturation and length normalisation. */
  k1: number;
  b: number;
  /** An alias found whole in the question adds this much (times how specific the alias is). */
  aliasBonus: number;
  /** A card's score is multiplied by its coverage of the question to this power: explaining more of it counts. */
  coveragePower: number;
}

export const SEARCH_SETTINGS: SearchSettings = {
  fields: { id: 2, title: 3, asked: 2, aliases: 1.5, tags: 1, answer: 1, otherTitle: 1, otherAsked: 1, command: 0.3 },
  // High for BM25: a term's pseudo-frequency sums weighted fields (title 3 + aliases 1.5 + …), and a k1 near 1
  // would saturate at once and erase the field weights.
  k1: 15,
  b: 0.6,
  aliasBonus: 6,
  coveragePower: 0.25,
};

interface AliasEntry {
  key: string;
  docs: number[];
  /** 0..1: an alias many cards share, or a very short one, says less. */
  specificity: number;
}

/** A language's search index: plain data, built once from the cards. */
export interface SearchIndex {
  lang: Lang;
  ids: string[];
  /** term → [doc, BM25F pseudo-frequency] pairs. */
  postings: Map<string, [number, number][]>;
  idf: Map<string, number>;
  maxIdf: number;
  /** Latin words of the vocabulary by length, for typo correction. */
  latinByLength: Map<number, string[]>;
  aliases: AliasEntry[];
  /** Typo corrections already worked out, by query term. */
  typos: Map<string, Term[]>;
  /** The Latin words of 5+ letters the aliases are made of, to correct a question's spelling against. */
  aliasWords: Set<string>;
  settings: SearchSettings;
}

/** What is stored of an index (the rest is derived when it is read back). */
export interface StoredIndex {
  lang: Lang;
  ids: string[];
  postings: [string, [number, number][]][];
  aliases: AliasEntry[];
}

export function storeIndex(index: SearchIndex): StoredIndex {
  // Four decimals are plenty for a score and keep the cached file small.
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const postings = [...index.postings].map(([term, list]): [string, [number, number][]] => [term, list.map(([doc, tf]) => [doc, round(tf)])]);
  return { lang: index.lang, ids: index.ids, postings, aliases: index.aliases.map((a) => ({ ...a, specificity: round(a.specificity) })) };
}

/** An index from its stored form, or from freshly built postings. */
export function restoreIndex(stored: StoredIndex, settings: SearchSettings = SEARCH_SETTINGS): SearchIndex {
  const n = stored.ids.length;
  const postings = new Map(stored.postings);
  const idf = new Map<string, number>();
  const latinByLength = new Map<number, string[]>();
  for (const [term, list] of postings) {
    idf.set(term, Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5)));
    if (!isLatinWord(term) || term.length < 4) continue;
    let words = latinByLength.get(term.length);
    if (!words) latinByLength.set(term.length, (words = []));
    words.push(term);
  }
  const aliasWords = new Set(stored.aliases.flatMap((a) => a.key.split(' ')).filter((w) => w.length >= 5 && /^[a-z]+$/.test(w)));
  return { lang: stored.lang, ids: stored.ids, postings, idf, maxIdf: Math.log(1 + (n + 0.5) / 0.5), latinByLength, aliases: stored.aliases, typos: new Map(), aliasWords, settings };
}

function fieldsOf(card: Card, other: Card | undefined): Record<Field, string> {
  return {
    id: card.id.replace(/-/g, ' '),
    title: card.title,
    asked: card.asked.join('\n'),
    aliases: [...new Set([...card.aliases, ...(other?.aliases ?? [])])].join('\n'),
    tags: card.tags.join(' '),
    answer: card.answer,
    otherTitle: other?.title ?? '',
    otherAsked: other?.asked.join('\n') ?? '',
    command: card.try?.command ?? '',
  };
}

export function buildSearchIndex(knowledge: Knowledge, lang: Lang, settings: SearchSettings = SEARCH_SETTINGS): SearchIndex {
  const otherLang = lessonLanguages.find((l) => l !== lang);
  const cards = knowledge.list(lang);
  const fields = Object.keys(settings.fields) as Field[];
  const perDoc = cards.map((card) => {
    const text = fieldsOf(card, otherLang ? knowledge.get(otherLang, card.id) : undefined);
    const byField = new Map<Field, { tf: Map<string, number>; length: number }>();
    for (const field of fields) {
      const tf = new Map<string, number>();
      let length = 0;
      for (const { term, weight } of tokenize(text[field])) {
        tf.set(term, (tf.get(term) ?? 0) + weight);
        length += weight;
      }
      byField.set(field, { tf, length });
    }
    return byField;
  });
  const averageLength = new Map(fields.map((f) => [f, perDoc.reduce((n, d) => n + (d.get(f)?.length ?? 0), 0) / Math.max(1, perDoc.length) || 1]));
  const postings = new Map<string, [number, number][]>();
  perDoc.forEach((byField, doc) => {
    const pseudo = new Map<string, number>();
    for (const [field, { tf, length }] of byField) {
      const norm = 1 - settings.b + (settings.b * length) / (averageLength.get(field) ?? 1);
      for (const [term, count] of tf) pseudo.set(term, (pseudo.get(term) ?? 0) + (settings.fields[field] * count) / norm);
    }
    for (const [term, value] of pseudo) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push([doc, value]);
    }
  });
  return restoreIndex(
    {
      lang,
      ids: cards.map((c) => c.id),
      postings: [...postings],
      aliases: aliasEntries(cards, otherLang ? knowledge.list(otherLang) : []),
    },
    settings,
  );
}

function aliasEntries(cards: readonly Card[], otherCards: readonly Card[]): AliasEntry[] {
  const docOf = new Map(cards.map((c, i) => [c.id, i]));
  const byKey = new Map<string, Set<number>>();
  for (const card of [...cards, ...otherCards]) {
    const doc = docOf.get(card.id);
    if (doc === undefined) continue;
    for (const alias of card.aliases) {
      const key = phraseKey(alias);
      if (key.length < 2) continue;
      let docs = byKey.get(key);
      if (!docs) byKey.set(key, (docs = new Set()));
      docs.add(doc);
    }
  }
  const n = Math.max(2, cards.length);
  return [...byKey].map(([key, docs]) => {
    const rarity = Math.log(1 + n / docs.size) / Math.log(1 + n);
    const length = Math.min(1, [...key].length / (/[a-z0-9]/.test(key) ? 6 : 3));
    return { key, docs: [...docs], specificity: rarity * length };
  });
}

/** One ranked card with the evidence the confidence is computed from. */
export interface Ranked {
  id: string;
  score: number;
  /** 0..1: how much of the question's weight this card explains. */
  coverage: number;
  /** Whether an alias of this card appears whole in the question. */
  alias: boolean;
}

/** Every card with evidence, best first, and how long the question was in search terms (a bigram counts half). */
export interface Search {
  ranked: Ranked[];
  terms: number;
}

interface Concept {
  /** How much the term counts in the question (a bigram less than a word). */
  queryWeight: number;
  /** queryWeight × idf: its share of the question, for coverage. */
  weight: number;
  /** The term and its typo corrections, each with how much a match counts. */
  alternatives: Term[];
}

/** The query's concepts: each term, or for an unknown longer Latin word, its nearest vocabulary words. */
function conceptsOf(index: SearchIndex, question: string): Concept[] {
  const concepts: Concept[] = [];
  for (const { term, weight } of queryTerms(question)) {
    const known = index.idf.get(term);
    if (known !== undefined || !isLatinWord(term) || term.length < 5) {
      concepts.push({ queryWeight: weight, weight: weight * (known ?? index.maxIdf), alternatives: known === undefined ? [] : [{ term, weight: 1 }] });
      continue;
    }
    const fixes = typoCorrections(index, term);
    const idf = fixes.length > 0 ? Math.max(...fixes.map((f) => index.idf.get(f.term) ?? 0)) : index.maxIdf;
    concepts.push({ queryWeight: weight, weight: weight * idf, alternatives: fixes });
  }
  return concepts;
}

const MAX_REMEMBERED_TYPOS = 10_000;

function typoCorrections(index: SearchIndex, term: string): Term[] {
  let fixes = index.typos.get(term);
  if (!fixes) {
    fixes = nearestWords(index, term);
    if (index.typos.size >= MAX_REMEMBERED_TYPOS) index.typos.clear();
    index.typos.set(term, fixes);
  }
  return fixes;
}

/** Vocabulary words within 1 edit (2 for words of 8+ letters); a typo rarely changes the first two letters both. */
function nearestWords(index: SearchIndex, term: string): Term[] {
  const max = term.length >= 8 ? 2 : 1;
  let best = max + 1;
  let found: string[] = [];
  for (let length = term.length - max; length <= term.length + max; length++) {
    for (const word of index.latinByLength.get(length) ?? []) {
      if (word[0] !== term[0] && word[1] !== term[1]) continue;
      const d = editDistance(term, word, { max: Math.min(best, max), transpositions: true });
      if (d < best) {
        best = d;
        found = [word];
      } else if (d === best) {
        found.push(word);
      }
    }
  }
  if (best > max) return [];
  return found.slice(0, 3).map((word) => ({ term: word, weight: best === 1 ? 0.8 : 0.6 }));
}

/**
 * Aliases found whole in the question, also after correcting its misspelt words to the aliases' own words
 * (`netwrok namspace` → `network namespace`). One inside a longer alias found at the same place does not count.
 */
function aliasHits(index: SearchIndex, question: string): Map<number, number> {
  const key = phraseKey(question);
  const corrected = key
    .split(' ')
    .map((word) => (word.length >= 5 && /^[a-z]+$/.test(word) && !index.aliasWords.has(word) ? nearestAliasWord(index, word) ?? word : word))
    .join(' ');
  const hits: { start: number; end: number; entry: AliasEntry; value: number }[] = [];
  const subject = subjectOf(key);
  for (const [text, factor] of corrected === key ? ([[key, 1]] as const) : ([[key, 1], [corrected, 0.8]] as const)) {
    for (const entry of index.aliases) {
      let at = text.indexOf(entry.key);
      while (at >= 0) {
        const end = at + entry.key.length;
        const exact = (at === 0 && end === text.length) || entry.key === subject;
        if (bounded(text, at, end, entry.key)) hits.push({ start: at, end, entry, value: factor * index.settings.aliasBonus * entry.specificity * (exact ? 1.5 : 1) });
        at = text.indexOf(entry.key, at + 1);
      }
    }
  }
  hits.push(...comparisonHits(index, key));
  const bonus = new Map<number, number>();
  for (const hit of hits) {
    const inside = hits.some((o) => o !== hit && o.entry.key.length > hit.entry.key.length && o.start <= hit.start && o.end >= hit.end);
    if (inside) continue;
    for (const doc of hit.entry.docs) bonus.set(doc, Math.max(bonus.get(doc) ?? 0, hit.value));
  }
  return bonus;
}

// "what is X?" / 「X ってなに？」 around an alias: the question is that alias alone, as if asked by its name.
const WHAT_LEAD = /^(?:(?:so|no|ok|but|and|hey) )*(?:what s|whats|what is|what are|what was) (?:an? |the )?/;
const WHAT_TAIL = /(?:とは(?:なに|何|なん)?|って(?:なに|何|なん)|は(?:なに|何))(?:ですか|なの|だっけ)?$/u;

/** What a "what is X?" question asks about (X), or undefined for any other question. */
function subjectOf(key: string): string | undefined {
  const subject = key.replace(WHAT_LEAD, '').replace(WHAT_TAIL, '').trim();
  return subject === key || subject === '' ? undefined : subject;
}

/** A comparison alias counts a little less when its sides are found apart than when it is found whole. */
const COMPARISON_APART = 0.8;
const ONE_OR_OTHER = /\bor\b|か|それとも/u;

/**
 * Comparison aliases (`container vs vm`) found as their sides anywhere in the question, in either order: "isn't a
 * container just a VM?" compares the two without saying "vs". Each side must stand as a word; sides joined by
 * "or" are a choice, not a comparison.
 */
function comparisonHits(index: SearchIndex, text: string): { start: number; end: number; entry: AliasEntry; value: number }[] {
  const hits: { start: number; end: number; entry: AliasEntry; value: number }[] = [];
  for (const entry of index.aliases) {
    const sides = entry.key.split(/\s*(?<![a-z0-9])vs(?![a-z0-9])\s*/);
    if (sides.length !== 2 || sides.includes('') || text.includes(entry.key)) continue;
    const places = sides.map((side) => wordAt(text, side));
    if (places.some((at) => at < 0)) continue;
    const start = Math.min(...places);
    const end = Math.max(...places.map((at, i) => at + sides[i]!.length));
    // "v1 or v2?" asks which one applies, not how they differ.
    if (ONE_OR_OTHER.test(text.slice(start, end))) continue;
    hits.push({ start, end, entry, value: COMPARISON_APART * index.settings.aliasBonus * entry.specificity });
  }
  return hits;
}

/** Where a phrase first stands as a word in the text, or -1. */
function wordAt(text: string, phrase: string): number {
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
    if (bounded(text, at, at + phrase.length, phrase)) return at;
  }
  return -1;
}

function nearestAliasWord(index: SearchIndex, word: string): string | undefined {
  const max = word.length >= 8 ? 2 : 1;
  let best: { word: string; d: number } | undefined;
  for (const candidate of index.aliasWords) {
    if (Math.abs(candidate.length - word.length) > max || (candidate[0] !== word[0] && candidate[1] !== word[1])) continue;
    const d = editDistance(word, candidate, { max, transpositions: true });
    if (d <= max && (!best || d < best.d)) best = { word: candidate, d };
  }
  return best?.word;
}

/**
 * A Latin alias must stand as a word (`ns` is not inside `dns`), though it may take a plural (`user namespaces`);
 * a CJK alias may sit anywhere.
 */
function bounded(text: string, start: number, end: number, key: string): boolean {
  const latin = /[a-z0-9]/;
  if (latin.test(key[0] ?? '') && latin.test(text[start - 1] ?? '')) return false;
  if (!latin.test(key[key.length - 1] ?? '')) return true;
  const after = text.slice(end, end + 3);
  return !latin.test(after[0] ?? '') || /^(?:s|es)(?![a-z0-9])/.test(after);
}

/** Every card with any evidence, best first. */
export function searchCards(index: SearchIndex, question: string): Search {
  const concepts = conceptsOf(index, question);
  const { k1 } = index.settings;
  const totalWeight = concepts.reduce((n, c) => n + c.weight, 0);
  const score = new Map<number, number>();
  const covered = new Map<number, number>();
  for (const concept of concepts) {
    const best = new Map<number, { value: number; credit: number }>();
    for (const { term, weight } of concept.alternatives) {
      const idf = index.idf.get(term) ?? 0;
      for (const [doc, tf] of index.postings.get(term) ?? []) {
        const value = concept.queryWeight * weight * idf * ((tf * (k1 + 1)) / (tf + k1));
        if (value > (best.get(doc)?.value ?? 0)) best.set(doc, { value, credit: weight });
      }
    }
    for (const [doc, { value, credit }] of best) {
      score.set(doc, (score.get(doc) ?? 0) + value);
      covered.set(doc, (covered.get(doc) ?? 0) + concept.weight * credit);
    }
  }
  const aliases = aliasHits(index, question);
  for (const [doc, bonus] of aliases) score.set(doc, (score.get(doc) ?? 0) + bonus);
  const ranked = [...score]
    .map(([doc, value]) => {
      const coverage = totalWeight > 0 ? Math.min(1, (covered.get(doc) ?? 0) / totalWeight) : 0;
      // In units of the rarest word's idf, so scores mean the same with 6 cards or 600.
      const score = (value * coverage ** index.settings.coveragePower) / index.maxIdf;
      return { id: index.ids[doc]!, score, coverage, alias: aliases.has(doc) };
    })
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  return { ranked, terms: concepts.reduce((n, c) => n + c.queryWeight, 0) };
}
