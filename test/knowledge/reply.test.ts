import { describe, expect, it } from 'vitest';
import { createAsk } from '../../src/knowledge/ask.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { composeReply, flowed } from '../../src/knowledge/reply.js';
import { askEn } from '../../src/tutor/phrases/ask-en.js';
import { askJa } from '../../src/tutor/phrases/ask-ja.js';
import { FIXTURE_KNOWLEDGE, realCurriculum } from './fixtures.js';

const curriculum = await realCurriculum();
const knowledge = await loadKnowledge(FIXTURE_KNOWLEDGE, { curriculum });
const ask = createAsk({ cards: knowledge, curriculum });
const lessonTitle = (lang: 'ja' | 'en') => (id: string) => curriculum.get(lang, id)?.title;

describe('the reply', () => {
  it('has exactly the keys of the JSON contract', () => {
    const reply = composeReply(ask.answer('what is a network namespace?', 'en'), 'en');
    expect(Object.keys(reply).sort()).toEqual(['answer', 'card', 'confidence', 'lesson', 'sources', 'suggestions', 'try']);
  });

  it('gives the card’s answer in the tutor’s voice, with its command, lesson and an inviting question', () => {
    const reply = composeReply(ask.answer('what is a network namespace?', 'en'), 'en', { lessonTitle: lessonTitle('en'), variant: 1 });
    expect(reply).toMatchObject({ card: 'netns', lesson: 'network-namespace', try: { command: 'ip -o link' }, suggestions: [] });
    expect(reply.sources).toEqual(['https://man7.org/linux/man-pages/man7/network_namespaces.7.html']);
    expect(reply.answer.startsWith(askEn.opener[1]!)).toBe(true);
    expect(reply.answer).toContain('A network namespace gives a group of processes their own copy of the network stack: interfaces, routes,');
    expect(reply.answer).toContain('`ip -o link`');
    expect(reply.answer).toContain(`**${curriculum.get('en', 'network-namespace')!.title}**`);
    expect(reply.answer.endsWith(askEn.inviteRun[1]!)).toBe(true);
  });

  it('speaks Japanese to a Japanese question', () => {
    const reply = composeReply(ask.answer('cgroupのv1とv2の違いは？', 'ja'), 'ja', { lessonTitle: lessonTitle('ja'), variant: 0 });
    expect(reply.answer.startsWith(askJa.opener[0]!)).toBe(true);
    expect(reply.answer).toContain('もっと深く知るなら');
    expect(reply.try).toBeNull();
    expect(askJa.inviteMore).toContain(reply.answer.split('\n\n').at(-1));
  });

  it('wraps a command holding a backtick so it stays inline code', () => {
    const base = ask.answer('what is a network namespace?', 'en');
    const card = { ...base.card!, try: { ...base.card!.try!, command: 'echo `id -u`' } };
    expect(composeReply({ ...base, card }, 'en').answer).toContain('`` echo `id -u` ``');
  });

  it('is kind when unsure: says so, offers numbered choices and the lesson, and never names a card', () => {
    const result = ask.answer('how are limits kept', 'en');
    const reply = composeReply(result, 'en', { lessonTitle: lessonTitle('en'), noted: true, variant: 2 });
    expect(reply.card).toBeNull();
    expect(reply.try).toBeNull();
    expect(reply.suggestions).toEqual(result.suggestions.map((s) => s.id));
    expect(reply.answer).toContain(askEn.notSure[2]!);
    expect(reply.answer).toContain(`1. ${result.suggestions[0]!.title}`);
    expect(reply.answer).toContain(askEn.noted);
  });

  it.each([
    ['', 'empty', askEn.empty],
    ['🐳🐳', 'no-words', askEn.noWords],
    ['네임스페이스가 뭐예요?', 'other-language', askEn.otherLanguage],
  ])('answers %j (%s) with its own kind words', (question, reason, words) => {
    const result = ask.answer(question, 'en');
    expect(result.reason).toBe(reason);
    expect(composeReply(result, 'en').answer).toBe(words);
  });

  it('asks for a shorter question when one is too long', () => {
    expect(composeReply(ask.answer('x'.repeat(4000), 'ja'), 'ja').answer).toBe(askJa.tooLong({ max: 500 }));
  });

  it('joins the hand-wrapped lines of a card, without spaces between Japanese characters', () => {
    expect(flowed('one line\ncontinues here.\n\nNext paragraph:\n- item one\n- item two')).toBe('one line continues here.\n\nNext paragraph:\n- item one\n- item two');
    expect(flowed('名前空間は\nプロセスの `eth0`\nだよ')).toBe('名前空間はプロセスの `eth0` だよ');
  });

  it('fits in one Discord message', () => {
    for (const card of knowledge.list('ja')) {
      const reply = composeReply({ card, confidence: 1, suggestions: [], ...(card.lesson ? { lesson: card.lesson } : {}) }, 'ja', { lessonTitle: lessonTitle('ja') });
      expect(reply.answer.length).toBeLessThan(2000);
    }
  });
});
