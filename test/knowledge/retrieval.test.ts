import { describe, expect, it } from 'vitest';
import { createAsk } from '../../src/knowledge/ask.js';
import { ANSWER_THRESHOLD } from '../../src/knowledge/confidence.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { isOtherLanguage, looksLikeStackTrace, screenQuestion } from '../../src/knowledge/screen.js';
import { buildSearchIndex, restoreIndex, searchCards, storeIndex } from '../../src/knowledge/search.js';
import { phraseKey, queryTerms, stem, tokenize } from '../../src/knowledge/tokenize.js';
import { editDistance } from '../../src/text/edit-distance.js';
import { FIXTURE_KNOWLEDGE, realCurriculum } from './fixtures.js';

const curriculum = await realCurriculum();
const knowledge = await loadKnowledge(FIXTURE_KNOWLEDGE, { curriculum });
const ask = createAsk({ cards: knowledge, curriculum });
const terms = (text: string) => tokenize(text).map((t) => t.term);

describe('tokenising', () => {
  it('lowercases, stems lightly, and drops words that say nothing', () => {
    expect(terms('Why are my Containers being KILLED?')).toEqual(['container', 'kill']);
    expect(['namespaces', 'limits', 'processes', 'mounting', 'libraries', 'class'].map(stem)).toEqual(['namespace', 'limit', 'process', 'mount', 'library', 'class']);
  });

  it('keeps technical compounds whole and in parts', () => {
    expect(terms('cat /sys/fs/cgroup/memory.max')).toEqual(expect.arrayContaining(['sys/fs/cgroup/memory.max', 'memory', 'max', 'cgroup']));
    expect(terms('CAP_SYS_ADMIN')).toEqual(['cap_sys_admin', 'cap', 'sy', 'admin'].map((t) => (t === 'sy' ? stem('sys') : t)));
  });

  it('splits Japanese into words and CJK bigrams, and reads full-width letters as ASCII', () => {
    const ja = terms('名前空間ってなに');
    expect(ja).toEqual(expect.arrayContaining(['名前', '空間', '名前', '前空', '空間']));
    expect(ja).not.toContain('って');
    expect(terms('ｃｇｒｏｕｐのv1とv2の違い')).toEqual(expect.arrayContaining(['cgroup', 'v1', 'v2', '違い']));
    expect(terms('cgroupのmemory.maxって何')).toEqual(['cgroup', 'memory.max', 'memory', 'max']);
  });

  it('folds a katakana word with or without its final long vowel mark', () => {
    expect(terms('コンテナー')).toContain('コンテナ');
  });

  it('counts each query term once, at its highest weight', () => {
    const q = queryTerms('memory memory.max memory');
    expect(q.filter((t) => t.term === 'memory')).toEqual([{ term: 'memory', weight: 1 }]);
  });

  it('compares phrases without punctuation or case', () => {
    expect(phraseKey('  Network-Namespace?? ')).toBe('network namespace');
    expect(phraseKey('what is memory.max?')).toBe('what is memory.max');
  });
});

describe('edit distance', () => {
  it('counts a swap of neighbours as one edit when asked, and stops past max', () => {
    expect(editDistance('netwrok', 'network')).toBe(2);
    expect(editDistance('netwrok', 'network', { transpositions: true })).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('kitten', 'sitting', { max: 1 })).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('retrieval on the fixture cards', () => {
  it('answers the questions of the issue in the asker’s language', () => {
    expect(ask.answer('what is a network namespace?', 'en').card?.id).toBe('netns');
    expect(ask.answer('My container exited with code 137, what does that mean?', 'en').card?.id).toBe('exit-code-137');
    const ja = ask.answer('cgroupのv1とv2の違いは？', 'ja');
    expect(ja.card).toMatchObject({ id: 'cgroup-v1-vs-v2', lang: 'ja' });
    expect(ja).toMatchObject({ lesson: 'cgroup-versions', suggestions: [] });
    expect(ja.confidence).toBeGreaterThanOrEqual(ANSWER_THRESHOLD);
  });

  it('gives the card’s lesson and step', () => {
    expect(ask.answer('why is my app PID 1?', 'en')).toMatchObject({ card: { id: 'pid-1-in-container' }, lesson: 'pid-namespace', step: 1 });
  });

  it('finds a card from a Japanese question written with English terms, and the reverse', () => {
    expect(ask.answer('cgroupのmemory.maxって何', 'ja').card?.id).toBe('memory-max');
    expect(ask.answer('network namespaceってなに', 'ja').card?.id).toBe('netns');
    expect(ask.answer('what is ネットワーク名前空間', 'en').card?.id).toBe('netns');
  });

  it('tolerates typos in longer words', () => {
    expect(ask.answer('what is a netwrok namspace', 'en').card?.id).toBe('netns');
    expect(ask.answer('whats overlayfss', 'en').card?.id).toBe('overlayfs');
  });

  it('never guesses on a weak best match: no card, up to three suggestions, and a lesson', () => {
    const weak = ask.answer('how are limits kept', 'en');
    expect(weak.card).toBeUndefined();
    expect(weak.reason).toBe('no-match');
    expect(weak.confidence).toBeLessThan(ANSWER_THRESHOLD);
    expect(weak.suggestions.length).toBeGreaterThan(0);
    expect(weak.suggestions.length).toBeLessThanOrEqual(3);
  });

  it('has nothing to say about things no card is about', () => {
    const off = ask.answer('how do I bake sourdough bread', 'en');
    expect(off).toMatchObject({ reason: 'no-match', suggestions: [] });
    expect(off.card).toBeUndefined();
  });

  it('ranks with confidence in 0..1 and keeps runner-up evidence', () => {
    const ranked = ask.rank('memory limit of a cgroup', 'en');
    expect(ranked[0]?.id).toBe('memory-max');
    for (const r of ranked) expect(r.coverage).toBeGreaterThanOrEqual(0);
    for (const q of ['what is a network namespace?', 'zzz', 'cgroup']) {
      const c = ask.answer(q, 'en').confidence;
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(1);
    }
  });

  it('finds the same cards from an index that was stored and restored', () => {
    const index = buildSearchIndex(knowledge, 'ja');
    const restored = restoreIndex(JSON.parse(JSON.stringify(storeIndex(index))));
    for (const q of ['cgroupのv1とv2の違いは？', 'PID 1 って何', 'overlay2']) {
      expect(searchCards(restored, q).ranked.map((r) => r.id)).toEqual(searchCards(index, q).ranked.map((r) => r.id));
    }
  });

  it('suggests card titles as the learner types', () => {
    expect(ask.autocomplete('', 'ja', 25)).toHaveLength(6);
    expect(ask.autocomplete('overl', 'en')[0]?.id).toBe('overlayfs');
    expect(ask.autocomplete('memory', 'en', 1)).toHaveLength(1);
  });

  it('orders an empty box as the lessons teach, and survives a paste or emoji', () => {
    const lessons = curriculum.list('en').map((l) => l.id);
    const places = ask.autocomplete('', 'en', 25).map((c) => (c.lesson ? lessons.indexOf(c.lesson) : Infinity));
    expect(places).toEqual([...places].sort((a, b) => a - b));
    expect(ask.autocomplete('x'.repeat(4000), 'en', 25).length).toBeLessThanOrEqual(25);
    expect(ask.autocomplete('🐳🐳', 'ja', 25)).toHaveLength(6);
  });

  it('answers a card’s own title (an autocomplete pick) with that card', () => {
    for (const lang of ['ja', 'en'] as const) {
      for (const card of knowledge.list(lang)) expect(ask.answer(`  ${card.title.toUpperCase()} `, lang).card?.id).toBe(card.id);
    }
  });
});

describe('bad input', () => {
  it.each([
    ['empty', '   ', 'empty'],
    ['4,000 characters', 'why '.repeat(1000), 'too-long'],
    ['only emoji', '🐳🐳🤔❓', 'no-words'],
    ['Korean', '네임스페이스가 뭐예요?', 'other-language'],
    ['Chinese (simplified)', '什么是网络命名空间？', 'other-language'],
    ['Chinese (traditional)', '容器的記憶體限制是什麼？', 'other-language'],
  ])('%s gets no card and a reason code', (_, question, reason) => {
    const result = ask.answer(question, 'en');
    expect(result).toMatchObject({ reason, suggestions: [], confidence: 0 });
    expect(result.card).toBeUndefined();
  });

  it('a pasted stack trace gets no card, only suggestions', () => {
    const trace = [
      'Error: listen EADDRINUSE: address already in use :::80 in my network namespace',
      '    at Server.setupListenHandle [as _listen2] (node:net:1817:16)',
      '    at listenInCluster (node:net:1865:12)',
      '    at Server.listen (node:net:2014:7)',
    ].join('\n');
    expect(looksLikeStackTrace(trace)).toBe(true);
    const result = ask.answer(trace, 'en');
    expect(result.card).toBeUndefined();
    expect(result.reason).toBe('no-match');
    expect(result.suggestions.map((s) => s.id)).toContain('netns');
  });

  it('does not take Japanese for Chinese', () => {
    for (const q of ['名前空間とは何ですか', 'cgroupのv1とv2の違い', 'コンテナの中のPID 1', '名前空間一覧', 'メモリ上限']) {
      expect(isOtherLanguage(q)).toBe(false);
      expect(screenQuestion(q).ok).toBe(true);
    }
  });
});
