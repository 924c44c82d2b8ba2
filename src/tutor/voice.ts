// The tutor's voice, shared by every part of the persona: who it talks to, its words, and the small
// builders (a text block, choices, a wording picked by turn) that every reply is made of.
import type { Lang, Lesson, Phase, Platform } from '../lessons/index.js';
import { en } from './phrases/en.js';
import { ja } from './phrases/ja.js';
import type { StepPlace, TutorCommands, Words } from './phrases/words.js';
import type { Block, Choice, TextRole } from './reply.js';


/** Who the tutor is talking to: the language, and a per-learner counter the engine bumps every reply. */
export interface Voice {
  lang: Lang;
  turn: number;
  /** The commands as this transport spells them, where they differ from TUTOR_COMMANDS (e.g. Discord's subcommands). */
  commands?: Partial<TutorCommands>;
  /** A later line of a paste: the cheer was said once already, for the first line. */
  quiet?: boolean;
}


/** The commands the tutor's sentences mention; rename one here and every sentence follows. */
export const TUTOR_COMMANDS: Readonly<TutorCommands> = Object.freeze({ lessons: '/lessons', start: '/start', run: '$ ', hint: '/hint' });

export const WORDS: Readonly<Record<Lang, Words>> = { ja, en };
/** Discord's button label limit; labels are cut here so no adapter has to guess. */
export const LABEL_MAX = 80;
/** How many lessons a reply offers as buttons at most. */
export const MAX_OFFERS = 3;
/** Commands longer than this are not repeated inline in "type `$ …`". */
export const INLINE_COMMAND_MAX = 60;

export const platforms: readonly Platform[] = ['mac', 'windows', 'linux'];

export function words(v: Voice): Words {
  return WORDS[v.lang];
}

export function cmds(v: Voice): TutorCommands {
  return v.commands ? { ...TUTOR_COMMANDS, ...v.commands } : TUTOR_COMMANDS;
}

export function turnOf(v: Voice): number {
  return Number.isFinite(v.turn) ? Math.abs(Math.trunc(v.turn)) : 0;
}

/**
 * One wording from a bank, by turn: consecutive turns land on neighbouring entries, so the same moment
 * never reads the same twice in a row. `salt` shifts banks used together so they do not move in lockstep.
 */
export function pick<T>(bank: readonly T[], v: Voice, salt = 0): T {
  if (bank.length === 0) throw new Error('A phrase bank is empty.');
  return bank[(turnOf(v) + salt) % bank.length] as T;
}

export function say(text: string, role: TextRole): Block {
  return { kind: 'text', text, role };
}

export function choices(list: readonly Choice[]): Block {
  return { kind: 'choices', choices: list.map((c) => ({ ...c, label: cutLabel(c.label) })) };
}

/** The label of the button that moves on from a step. */
export function nextLabel(v: Voice, isLastStep: boolean): string {
  const w = words(v);
  return isLastStep ? w.label.finishLesson : w.label.next;
}

export function runChoice(w: Words): Choice {
  return { label: w.label.run, action: { type: 'run-step' } };
}

export function hintChoice(w: Words): Choice {
  return { label: w.label.hint, action: { type: 'hint' } };
}

export function startChoice(w: Words, lesson: Lesson): Choice {
  return { label: w.label.start(lesson.title), action: { type: 'start', lessonId: lesson.id } };
}

export function cutLabel(label: string): string {
  const chars = [...label];
  return chars.length <= LABEL_MAX ? label : `${chars.slice(0, LABEL_MAX - 1).join('')}…`;
}

export function joinSentences(w: Words, a: string, b: string): string {
  return w.lang === 'ja' ? `${a}${b}` : `${a} ${b}`;
}

export function doneIn(phase: Phase, done: ReadonlySet<string>): number {
  return phase.lessons.filter((l) => done.has(l.id)).length;
}

export function stepPlace(lesson: Lesson, stepIndex: number): StepPlace {
  const total = lesson.steps.length;
  const index = Math.min(Math.max(0, Math.trunc(stepIndex)), total - 1);
  return { title: lesson.title, step: index + 1, total, stepTitle: lesson.steps[index]?.title ?? '' };
}

/** Learner text quoted back: one line, no backticks (it may sit inside inline code), not too long. */
export function plain(text: string): string {
  const flat = text.replace(/[`\r\n\t]+/g, ' ').trim();
  return [...flat].length <= 60 ? flat : `${[...flat].slice(0, 59).join('')}…`;
}

