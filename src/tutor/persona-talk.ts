// The tutor's voice in the conversation itself: a line it is unsure about, answers to its own questions,
// where a command ran, the Mac path, the host's view explained, and the short/detailed reply style.
import type { Lang, Lesson } from '../lessons/index.js';
import { talkEn } from './phrases/talk-en.js';
import { talkJa } from './phrases/talk-ja.js';
import type { TalkWords } from './phrases/talk-words.js';
import type { Block, ChoiceAction, CommandPlace } from './reply.js';
import { say } from './voice.js';

const TALK: Readonly<Record<Lang, TalkWords>> = { ja: talkJa, en: talkEn };

export function talkWords(lang: Lang): TalkWords {
  return TALK[lang];
}

function pickBy<T>(bank: readonly T[], turn: number): T {
  return bank[Math.abs(Math.trunc(turn)) % bank.length] as T;
}

/** "Did you mean that as a command?" with the two ways on; `where` names where it would run. */
export function unsureLine(lang: Lang, command: string, where: string): Block[] {
  return runOrTalk(lang, talkWords(lang).unsure({ command: shownCommand(command), where }));
}

/** `dokcer ps`: "did you mean `docker ps`?", with running the fixed line one press away. */
export function didYouMean(lang: Lang, p: { typed: string; fixed: string; where: string }): Block[] {
  return runOrTalk(lang, talkWords(lang).didYouMean({ typed: shownCommand(p.typed), fixed: shownCommand(p.fixed), where: p.where }));
}

function shownCommand(command: string): string {
  return command.replace(/`/g, "'").slice(0, 120);
}

function runOrTalk(lang: Lang, question: string): Block[] {
  const w = talkWords(lang);
  return [
    say(question, 'question'),
    {
      kind: 'choices',
      choices: [
        { label: w.label.runIt, action: { type: 'line', run: true } },
        { label: w.label.wasTalking, action: { type: 'line', run: false } },
      ],
    },
  ];
}

export function wasTalking(lang: Lang, turn: number): Block[] {
  return [say(pickBy(talkWords(lang).wasTalking, turn), 'encouragement')];
}

export function notice(text: string): Block {
  return say(text, 'notice');
}

/** The seed's way into Docker Desktop's VM: what it does there, why not here, and that the learner is now on the host's view. */
export function hiddenVm(lang: Lang): Block[] {
  const w = talkWords(lang);
  return [
    say(w.mac.what, 'point'),
    say(w.mac.whyNot, 'explanation'),
    say(w.mac.movedHere, 'notice'),
    { kind: 'choices', choices: [{ label: w.label.sandbox, action: { type: 'place', place: 'sandbox' } }] },
  ];
}

/** After `nsenter -t 1 …` met the sandbox's wall: where the same facts are visible right away. */
export function hiddenVmHere(lang: Lang): Block[] {
  const w = talkWords(lang);
  return [say(w.mac.seeHere, 'explanation'), { kind: 'choices', choices: [{ label: w.label.hostView, action: { type: 'place', place: 'host' } }] }];
}

/** The learner's lab was lost with its engine: sorry, what happened, what to do next, and why containers do that. */
export function labLost(lang: Lang): Block[] {
  const w = talkWords(lang).labLost;
  return [say(w.what, 'encouragement'), say(w.next, 'steps'), say(w.tip, 'tip'), say(w.question, 'question')];
}

/** A reply to a typed answer to the tutor's question: the step's own reply for it, or a kind general one. */
export function heardAnswer(lang: Lang, turn: number, reply: string | undefined, nextLabel: string): Block[] {
  const w = talkWords(lang);
  return [
    say(reply ?? pickBy(w.heardGeneric, turn), reply ? 'explanation' : 'encouragement'),
    { kind: 'choices', choices: [{ label: nextLabel, action: { type: 'next' } }] },
  ];
}

/** Where a command ran, in a few words (for statuses and prompts). */
export function placeName(lang: Lang, where: CommandPlace | { kind: 'sandbox' }): string {
  const w = talkWords(lang).where;
  switch (where.kind) {
    case 'lab':
      return w.lab;
    case 'host':
      return w.host;
    case 'container':
      return w.container(where.name);
    default:
      return w.sandbox;
  }
}

/** An explanation found in another lesson than the current one says where it comes from. */
export function momentExplanation(lang: Lang, explain: string, from: Lesson | undefined): Block {
  return say(from ? `${explain}\n${talkWords(lang).fromLesson(from.title)}` : explain, 'explanation');
}

/** Adds "More" to a reply whose background and tip were held back. */
export function withMore(lang: Lang, blocks: Block[]): Block[] {
  const more: ChoiceAction = { type: 'more' };
  const label = talkWords(lang).label.more;
  let last = -1;
  blocks.forEach((b, i) => {
    if (b.kind === 'choices') last = i;
  });
  if (last >= 0) {
    const block = blocks[last] as Extract<Block, { kind: 'choices' }>;
    if (block.choices.length < 5) {
      const copy = [...blocks];
      copy[last] = { kind: 'choices', choices: [...block.choices, { label, action: more }] };
      return copy;
    }
  }
  return [...blocks, { kind: 'choices', choices: [{ label, action: more }] }];
}

/** What a short reply held back, now shown; `asExplanation` for a transport that would otherwise hold it back again. */
export function moreText(lang: Lang, held: readonly string[] | undefined, asExplanation = false): Block[] {
  if (!held || held.length === 0) return [say(talkWords(lang).moreNothing, 'notice')];
  return held.map((text) => say(text, asExplanation ? 'explanation' : text.startsWith('💡') ? 'tip' : 'background'));
}
