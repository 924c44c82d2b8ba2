import { beforeAll, describe, expect, it } from 'vitest';
import { KNOWLEDGE_DIR, LESSONS_DIR } from '../../src/app.js';
import { createQuestionDesk } from '../../src/knowledge/desk.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { cardInBrief } from '../../src/knowledge/reply.js';
import { loadCurriculum, type Curriculum, type Lang } from '../../src/lessons/index.js';
import { shortenReply } from '../../src/discord/learner-replies.js';
import type { Tutor } from '../../src/tutor/engine.js';
import { askEn } from '../../src/tutor/phrases/ask-en.js';
import { askJa } from '../../src/tutor/phrases/ask-ja.js';
import type { Block, Reply } from '../../src/tutor/reply.js';
import { actionsOf, scriptedTutor, textOf } from './tutor-double.js';

// Quick answers through the tutor's public path (typed lines), with the real cards and lessons; the sandbox is
// scripted, since what is checked here is what the learner reads, not what a command prints.

const words = { ja: askJa, en: askEn } as const;
const shownTexts = (r: Reply) => r.blocks.filter((b): b is Extract<Block, { kind: 'text' }> => b.kind === 'text');
/** Words as a phone reader counts them: Latin words, and Japanese at about 2.5 characters a word. */
const wordCount = (text: string) => (text.match(/[A-Za-z0-9`'’.-]+/g) ?? []).length + Math.round((text.match(/[\u3040-\u30FF\u3400-\u9FFF]/gu) ?? []).length / 2.5);

describe('quick answers in the conversation', () => {
  let curriculum: Curriculum;
  let desk: ReturnType<typeof createQuestionDesk>;
  beforeAll(async () => {
    curriculum = await loadCurriculum(LESSONS_DIR);
    desk = createQuestionDesk({ knowledge: await loadKnowledge(KNOWLEDGE_DIR, { curriculum }), curriculum });
  });
  const makeTutor = (lang: Lang, rendersMore = false) => scriptedTutor(curriculum, {}, lang, { questions: desk, rendersMore }).tutor;
  const say = (tutor: Tutor, learner: string) => (text: string) => tutor.handle(learner, { type: 'line', text });

  describe.each([
    ['ja', 'よくわからない', 'cgroup って何？', 'memory.max って何？', 'cgroupの話って結局どういうこと？'],
    ['en', "I don't get it", 'What is a cgroup?', 'what is memory.max?', 'so how does the cgroup thing work in the end?'],
  ] as const)('%s: "I don\'t get it"', (lang, confused, basicsTitle, memoryMax, vague) => {
    it('right after a "did you mean" list is about that list: the nearest card, said briefly, with the others one press away', async () => {
      const tutor = makeTutor(lang);
      const type = say(tutor, `dym-${lang}`);
      const list = await type(vague);
      const offered = actionsOf(list).filter((a) => a.type === 'card');
      expect(offered.length).toBeGreaterThan(1);
      const reply = await type(confused);
      const text = textOf(reply);
      expect(words[lang].nearest.some((lead) => text.startsWith(lead))).toBe(true);
      const nearest = offered[0] as { cardId: string };
      const card = desk.knowledge.get(lang, nearest.cardId)!;
      expect(text).toContain(cardInBrief(card, lang)[0]!.slice(0, 30));
      if (card.try) expect(actionsOf(reply)).toContainEqual({ type: 'try-card', cardId: nearest.cardId });
      expect(actionsOf(reply)).toContainEqual(offered[1]);
      expect(text).toContain(words[lang].whichWord);
    });

    it('right after an answer is about that answer: the basics card it stands on, then "which word?"', async () => {
      const tutor = makeTutor(lang);
      const type = say(tutor, `card-${lang}`);
      const answer = await type(memoryMax);
      expect(actionsOf(answer)).toContainEqual({ type: 'rate', cardId: 'memory-max', vote: 'up' });
      const reply = await type(confused);
      const text = textOf(reply);
      expect(words[lang].fromBasics.some((lead) => text.startsWith(lead))).toBe(true);
      expect(desk.knowledge.get(lang, 'what-is-cgroup')!.title).toBe(basicsTitle);
      expect(actionsOf(reply)).toContainEqual({ type: 'try-card', cardId: 'what-is-cgroup' });
      // Asked a third time, it does not say the same words again: the lesson is offered instead.
      await type(confused);
      const third = await type(confused);
      expect(words[lang].stillUnclear.some((lead) => textOf(third).startsWith(lead))).toBe(true);
      expect(actionsOf(third).some((a) => a.type === 'start')).toBe(true);
      // "More" right after "I don't get it" is more of the card just given, not "that was everything".
      const again = say(tutor, `card-more-${lang}`);
      await again(memoryMax);
      await again(confused);
      const more = textOf(await again(lang === 'ja' ? 'もっと' : 'more'));
      expect(more).toContain(desk.cardReply(desk.knowledge.get(lang, 'what-is-cgroup')!, lang).parts.more[0]!.slice(0, 20));
    });

    it('with nothing said before it asks what is unclear, and never says the topic is missing from the lessons', async () => {
      const reply = await say(makeTutor(lang), `cold-${lang}`)(confused);
      expect(textOf(reply)).toBe(words[lang].puzzled);
    });
  });

  it('inside a lesson, "わからない" to the step with no answer just before still gets the step\'s hint', async () => {
    const tutor = makeTutor('ja');
    await tutor.handle('hint-ja', { type: 'start', lessonId: 'container-is-a-process' });
    await tutor.handle('hint-ja', { type: 'line', text: 'memory.max って何？' });
    await tutor.handle('hint-ja', { type: 'line', text: 'ps aux' });
    const reply = await tutor.handle('hint-ja', { type: 'line', text: 'よくわからない' });
    expect((await tutor.whereIs('hint-ja'))?.state.hintsUsed).toBe(1);
    expect(textOf(reply)).not.toContain(askJa.whichWord);
  });

  it.each([
    ['ja', 'cgroupのメモリ制限はどこで見られる？', 'memory-max', ['/sys/fs/cgroup/memory.max', 'memory.limit_in_bytes']],
    ['en', "where can I see a container's memory limit?", 'memory-max', ['/sys/fs/cgroup/memory.max', 'memory.limit_in_bytes']],
    ['ja', 'runc と containerd の違いは？', 'runc-vs-containerd', ['runc', 'containerd', '`ps -o pid,ppid,comm -p 1`']],
    ['en', 'runc vs containerd', 'runc-vs-containerd', ['runc', 'containerd', '`ps -o pid,ppid,comm -p 1`']],
  ] as const)('%s: "%s" is answered with %s, its point (v2 and v1 paths; the two contrasted) first', async (lang, q, cardId, inFirst) => {
    const reply = await say(makeTutor(lang), `first-${lang}-${cardId}`)(q);
    expect(actionsOf(reply)).toContainEqual({ type: 'try-card', cardId });
    const first = shownTexts(reply).find((b) => b.role === 'point')!.text;
    for (const part of inFirst) expect(first).toContain(part);
  });

  describe.each([
    ['ja', 'PID 1 って何？', 'もっと'],
    ['en', 'what is PID 1?', 'more'],
    ['ja', 'OverlayFS って何？', 'もっと'],
    ['en', 'what is runc?', 'more'],
  ] as const)('%s: %s', (lang, q, more) => {
    it('shows the core, the command and the question first, and the rest one word away', async () => {
      const tutor = makeTutor(lang);
      const type = say(tutor, `short-${lang}-${q}`);
      const reply = await type(q);
      const full = desk.cardReply(desk.knowledge.get(lang, (actionsOf(reply).find((a) => a.type === 'rate') as { cardId: string }).cardId)!, lang);
      const shown = shownTexts(reply).map((b) => b.text).join('\n\n');
      expect(wordCount(shown)).toBeLessThanOrEqual(75);
      expect(shown).toContain(full.reply.try!.command);
      expect(actionsOf(reply)).toContainEqual({ type: 'more' });
      const rest = await type(more);
      const restText = textOf(rest);
      expect(restText).toContain(full.parts.more[0]!.slice(0, 40));
      // What "More" shows is not held back a second time.
      expect(actionsOf(rest)).not.toContainEqual({ type: 'more' });
    });
  });

  it.each([
    ['ja', 'Docker Desktop の VM って何？', /だから Docker Desktop は/],
    ['en', "what is Docker Desktop's VM?", /So Docker Desktop starts/],
  ] as const)('%s: the docker-desktop-vm card does not say its first sentence twice', async (lang, q, repeat) => {
    const tutor = makeTutor(lang);
    const type = say(tutor, `vm-${lang}`);
    const reply = await type(q);
    const rest = await type(lang === 'ja' ? 'もっと' : 'more');
    expect(`${textOf(reply)}\n${textOf(rest)}`).not.toMatch(repeat);
    expect(textOf(rest)).toMatch(/socket|ソケット/);
  });

  it('on Discord (which shortens replies itself) the same answer shows the core first and keeps the rest behind its More button', async () => {
    const type = say(makeTutor('ja', true), 'discord-ja');
    const reply = await type('PID 1 って何？');
    const { shown, hidden } = shortenReply(reply, 'short');
    expect(hidden.length).toBeGreaterThan(0);
    expect(shownTexts(shown).map((b) => b.text).join('\n')).toContain('`ps -o pid,ppid,comm -p 1,$$`');
    expect(wordCount(shownTexts(shown).map((b) => b.text).join('\n'))).toBeLessThanOrEqual(75);
    expect(shortenReply(reply, 'detailed').hidden).toEqual([]);
    // `もっと` typed there (not the button) shows the held part, and Discord does not hold it back again.
    const typedMore = shortenReply(await type('もっと'), 'short');
    expect(typedMore.hidden).toEqual([]);
    expect(textOf(typedMore.shown)).toContain(hidden[0]!.slice(0, 30));
  });
});
