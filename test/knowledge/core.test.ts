import { describe, expect, it } from 'vitest';
import { createAsk } from '../../src/knowledge/ask.js';
import { checkCardSources } from '../../src/knowledge/cards.js';
import { asksWhatItIs, explainNumbers, splitAnswer } from '../../src/knowledge/core.js';
import type { Card } from '../../src/knowledge/knowledge.js';
import { buildMessages } from '../../src/knowledge/llm.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { composeReply } from '../../src/knowledge/reply.js';
import { respond } from '../../src/knowledge/respond.js';
import { renderedLength } from '../../src/knowledge/schema.js';
import { queryTerms } from '../../src/knowledge/tokenize.js';
import { askEn } from '../../src/tutor/phrases/ask-en.js';
import { askJa } from '../../src/tutor/phrases/ask-ja.js';
import { fixtureSources, REAL_KNOWLEDGE, realCurriculum, withChange } from './fixtures.js';

const curriculum = await realCurriculum();
const knowledge = await loadKnowledge(REAL_KNOWLEDGE, { curriculum });
const ask = createAsk({ cards: knowledge, curriculum });

/** The reply's paragraphs after the opener (which varies), as the learner reads them. */
async function paragraphs(question: string, lang: 'ja' | 'en') {
  const { reply } = await respond(ask, question, lang);
  const [opener, ...rest] = reply.answer.split('\n\n');
  expect([...askEn.opener, ...askJa.opener]).toContain(opener);
  return { reply, rest };
}

describe('what a question asks', () => {
  it('tells "what is X?" from "why X?" in both languages', () => {
    for (const q of ['what is PID 1?', 'no, what is PID 1?', "what's a cgroup", 'whats overlayfs', 'define seccomp', 'PID 1 ってなに？', 'PID 1 とは', 'runc って何？', 'cgroupは何？']) {
      expect(asksWhatItIs(q), q).toBe(true);
    }
    for (const q of ['why is my app PID 1?', 'how do I set a memory limit', 'なんで PID 1 なの？', 'PID 1 になるのはなぜ？', 'memory.max が 134217728 なのはなんで？', 'what is the reason my app is PID 1, why?']) {
      expect(asksWhatItIs(q), q).toBe(false);
    }
  });

  it('drops the stubs of English contractions, so "isn\'t" does not count as an unknown word', () => {
    expect(queryTerms("isn't a container just a VM? doesn't it have a kernel").map((t) => t.term)).toEqual(['container', 'vm', 'kernel']);
  });
});

describe('an answer split into its core and the rest', () => {
  it('takes the first sentence as the core and keeps one paragraph per line of the card', () => {
    const { core, more } = splitAnswer('PID 1 is the first process of a namespace, its init. It adopts orphans.\nSecond thought here.\nThird one.\n');
    expect(core).toBe('PID 1 is the first process of a namespace, its init. It adopts orphans.');
    expect(more).toEqual(['Second thought here.', 'Third one.']);
    const long = splitAnswer('A namespace gives a group of processes their own copy of a resource, e.g. the network. Linux has eight kinds of them, from mount to time.\nMore.');
    expect(long.core).toBe('A namespace gives a group of processes their own copy of a resource, e.g. the network.');
    expect(long.more).toEqual(['Linux has eight kinds of them, from mount to time.', 'More.']);
    // A short remainder stays with the core rather than stand alone.
    expect(splitAnswer('A namespace gives a group of processes their own copy of a resource. Eight kinds.').more).toEqual([]);
  });

  it('joins lines wrapped by hand (no space between Japanese characters) and keeps a list with its lead-in', () => {
    expect(splitAnswer('A network namespace gives processes their own copy of the network stack: interfaces,\nroutes and ports. That is why a container can listen on port 80 too.')).toEqual({
      core: 'A network namespace gives processes their own copy of the network stack: interfaces, routes and ports.',
      more: ['That is why a container can listen on port 80 too.'],
    });
    expect(splitAnswer('コンテナは自分専用の PID namespace を持っていて、最初に起動したプロセスが\nPID 1 になるんだ。親をなくしたプロセスを引き取るのも PID 1 の役目だよ。').core).toBe(
      'コンテナは自分専用の PID namespace を持っていて、最初に起動したプロセスが PID 1 になるんだ。',
    );
    expect(splitAnswer('日本語の文が途中で折り返されて\n続いているよ。二つ目の文は十分に長くしておくね、ここまでで。').core).toBe('日本語の文が途中で折り返されて続いているよ。');
    expect(splitAnswer('Fixes, in order of preference for your own app:\n- handle SIGTERM\n- use --init').core).toBe('Fixes, in order of preference for your own app:\n- handle SIGTERM\n- use --init');
  });

  it('does not cut inside a code span, and keeps a short remainder with the core', () => {
    expect(splitAnswer('Read the limit with `cat memory.max. Really.` from inside the container, please. Short.').core).toBe(
      'Read the limit with `cat memory.max. Really.` from inside the container, please. Short.',
    );
  });

  it('keeps a command that stands alone right after the core with it (the how of a how-to), and only then', () => {
    const howTo = splitAnswer('Use a privileged container that joins the namespaces of PID 1 🕳️ `docker run -it --rm --privileged --pid=host alpine sh`. `--pid=host` puts it in the host PID namespace.');
    expect(howTo.core).toBe('Use a privileged container that joins the namespaces of PID 1 🕳️ `docker run -it --rm --privileged --pid=host alpine sh`.');
    expect(howTo.more).toEqual(['`--pid=host` puts it in the host PID namespace.']);
    const ja = splitAnswer('VM の PID 1 の名前空間に入る、特権コンテナを使おう 🕳️ `docker run -it --rm alpine sh`。`--pid=host` で入るんだ。');
    expect(ja.core).toBe('VM の PID 1 の名前空間に入る、特権コンテナを使おう 🕳️ `docker run -it --rm alpine sh`。');
    expect(splitAnswer('A cgroup limits a group of processes, counted together by the kernel. `memory.max` is one of its files, read whenever the group asks for more memory.').core).toBe(
      'A cgroup limits a group of processes, counted together by the kernel.',
    );
  });

  it('gives every real card a core of one or two sentences', () => {
    for (const lang of ['en', 'ja'] as const) {
      const max = lang === 'en' ? 260 : 130;
      for (const card of knowledge.list(lang)) expect(renderedLength(splitAnswer(card.answer).core), `${lang}/${card.id}`).toBeLessThanOrEqual(max);
    }
  });
});

describe('numbers in the question', () => {
  const memoryCard = knowledge.get('en', 'memory-max')!;
  it('works out byte counts asked about a memory card, whatever the card’s own example', () => {
    expect(explainNumbers('why does memory.max show 134217728?', memoryCard, 'en')).toEqual(['`134217728` bytes = 128 × 1024 × 1024 = **128 MiB**: the limit `--memory=128m` sets.']);
    expect(explainNumbers('memory.max が 1073741824', memoryCard, 'ja')).toEqual(['`1073741824` バイト = 1 × 1024 × 1024 × 1024 = **1 GiB**。`--memory=1g` で付く上限だよ。']);
    expect(explainNumbers('limit_in_bytes is 9223372036854771712??', memoryCard, 'en')[0]).toContain('no limit');
    expect(explainNumbers('memory.current says 5000000', memoryCard, 'en')).toEqual(['`5000000` bytes ÷ 1024 ÷ 1024 ≈ **4.8 MiB**.']);
  });

  it('are worked out above a language model’s rewrite too, which also sees the card’s `what`', () => {
    const result = ask.answer('why does memory.max show 134217728?', 'en');
    const reply = composeReply(result, 'en', { question: 'why does memory.max show 134217728?', rewritten: 'It is the limit in bytes [card:memory-max].' });
    expect(reply.answer.startsWith('`134217728` bytes = 128 × 1024 × 1024 = **128 MiB**')).toBe(true);
    const pid1 = knowledge.get('en', 'pid-1-in-container')!;
    expect(buildMessages('what is PID 1?', 'en', [pid1])[1]!.content).toContain(pid1.what!);
  });

  it('leaves alone small numbers, versions and cards that are not about memory', () => {
    expect(explainNumbers('exit code 137 after 1000 seconds, kernel 5.15.0', memoryCard, 'en')).toEqual([]);
    expect(explainNumbers('why 134217728?', knowledge.get('en', 'runc')!, 'en')).toEqual([]);
  });
});

describe('the replies a new learner got wrong (tryout2 items 7, 8, 9, 18)', () => {
  it('"what is PID 1?" gets what PID 1 is first, then the command, in both languages', async () => {
    for (const [q, lang] of [
      ['no, what is PID 1?', 'en'],
      ['PID 1 ってなに？', 'ja'],
    ] as const) {
      const { reply, rest } = await paragraphs(q, lang);
      const card = knowledge.get(lang, 'pid-1-in-container')!;
      expect(reply.card).toBe('pid-1-in-container');
      expect(rest[0]).toBe(card.what);
      expect(rest[1]).toContain('`ps -o pid,ppid,comm -p 1,$$`');
      expect(reply.answer).not.toContain(splitAnswer(card.answer).core);
    }
  });

  it('"why is my app PID 1?" still gets the reason first', async () => {
    const { rest } = await paragraphs('why is my app PID 1?', 'en');
    expect(rest[0]).toMatch(/^Because the container has its own PID namespace/);
  });

  it('answers the seed’s core questions confidently with the right card', () => {
    for (const [q, lang, id] of [
      ["isn't a container just a VM?", 'en', 'container-vs-vm'],
      ['コンテナって VM じゃないの？', 'ja', 'container-vs-vm'],
      ['what is PID 1?', 'en', 'pid-1-in-container'],
      ['PID 1 ってなに？', 'ja', 'pid-1-in-container'],
      ['what is a namespace', 'en', 'what-is-a-namespace'],
      ['cgroup ってなに？', 'ja', 'what-is-cgroup'],
    ] as const) {
      expect(ask.answer(q, lang).card?.id, q).toBe(id);
    }
  });

  it('counts a comparison alias whose sides are asked apart, but not when they are offered as a choice', () => {
    const score = (q: string) => ask.rank(q, 'en').find((r) => r.id === 'container-vs-vm')!.score;
    expect(score('container, just a VM?')).toBeGreaterThan(score('container or a VM?'));
  });

  it('"why does memory.max show 134217728?" explains 134217728 first, in both languages', async () => {
    for (const [q, lang] of [
      ['why does memory.max show 134217728?', 'en'],
      ['memory.max が 134217728 なのはなぜ？', 'ja'],
    ] as const) {
      const { reply, rest } = await paragraphs(q, lang);
      expect(reply.card).toBe('memory-max');
      expect(rest[0]).toMatch(/^`134217728` .*128 × 1024 × 1024 = \*\*128 MiB\*\*.*`--memory=128m`/);
    }
  });

  it('gives the cgroup v1/v2 and runc answers a command, and sends runc to the lesson that builds a container by hand', async () => {
    for (const lang of ['en', 'ja'] as const) {
      const v1v2 = await paragraphs(lang === 'en' ? 'cgroups v1 vs v2' : 'cgroup v1 と v2 の違いは？', lang);
      expect(v1v2.reply).toMatchObject({ card: 'cgroup-v1-vs-v2', try: { command: 'ls /sys/fs/cgroup' } });
      expect(v1v2.rest[0]).toMatch(/v1.*v2/);
      const runc = await paragraphs(lang === 'en' ? 'what is runc' : 'runc って何をしてるの？', lang);
      expect(runc.reply).toMatchObject({ card: 'runc', lesson: 'unshare-by-hand' });
      expect(runc.reply.try?.command).toContain('/proc/self/status');
    }
  });
});

describe('the `what` field', () => {
  it('must be in both languages or in neither', () => {
    const sources = withChange(fixtureSources(), 'en/netns.yaml', (t) => t.replace(/^answer:/m, 'what: A network namespace is a private copy of the network stack.\nanswer:'));
    const { problems } = checkCardSources(sources, curriculum);
    expect(problems.map((p) => `${p.file} ${p.path}`)).toEqual(['en/netns.yaml what']);
  });

  it('is one or two sentences, not a second answer', () => {
    const long = 'A network namespace is a private copy of the network stack. '.repeat(5);
    const sources = withChange(fixtureSources(), 'en/netns.yaml', (t) => t.replace(/^answer:/m, `what: ${long}\nanswer:`));
    const { problems } = checkCardSources(sources, curriculum);
    expect(problems.find((p) => p.path === 'what')?.message).toMatch(/one or two sentences/);
  });

  it('is given by the real cards whose answer opens with a reason', () => {
    const reasonFirst = (card: Card) => /^Because\b/.test(card.answer.trim());
    const cards = knowledge.list('en').filter(reasonFirst);
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) expect(card.what, card.id).toBeDefined();
  });
});
