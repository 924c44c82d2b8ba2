// When something cannot be done, and hints: sandbox refusals, the tutor's own problems, hints that escalate.
import type { Lesson, Step } from '../lessons/index.js';
import type { SubmitRefusal } from '../queue/errors.js';
import { editDistance } from '../text/edit-distance.js';
import { heardWords } from './heard.js';
import type { Block } from './reply.js';
import { choices, cmds, hintChoice, joinSentences, MAX_OFFERS, pick, plain, runChoice, say, startChoice, words, type Voice } from './voice.js';


/** Why the tutor could not do what the learner asked (not a sandbox refusal; see SubmitRefusal for those). */
export type TutorProblem =
  | { kind: 'unknown-lesson'; given: string; suggestions: readonly Lesson[] }
  | { kind: 'no-active-lesson' }
  | { kind: 'step-out-of-range'; lesson: Lesson; given: number; total: number }
  | { kind: 'message-too-long'; limit: number }
  | { kind: 'empty-message' }
  | { kind: 'unknown-command'; given: string; known: readonly string[] }
  | { kind: 'missing-prerequisites'; lesson: Lesson; missing: readonly Lesson[] }
  | { kind: 'nothing-to-answer' };

// ---------------------------------------------------------------------------------------------------------
// Hints

export function hint(v: Voice, step: Step, level: 0 | 1 | 2): Block[] {
  const w = words(v);
  const content = level === 0 ? step.hints.nudge : level === 1 ? step.hints.stronger : step.hints.answer;
  const lead = pick(w.hintLead[level], v);
  return [
    say(`${lead}\n${content}`, 'hint'),
    choices(level < 2 ? [runChoice(w), { label: w.label.anotherHint, action: { type: 'hint' } }] : [runChoice(w)]),
  ];
}

export function noMoreHints(v: Voice, step: Step): Block[] {
  const w = words(v);
  return [
    say(pick(w.hintNone, v), 'notice'),
    say(w.hintRestate(step.hints.answer), 'hint'),
    choices([runChoice(w), { label: w.label.next, action: { type: 'next' } }]),
  ];
}

// ---------------------------------------------------------------------------------------------------------
// When something cannot be done

/** Why a command was not run, kindly; says the learner's progress is kept where that worry may come up. */
export function refusal(v: Voice, r: SubmitRefusal): Block[] {
  const w = words(v);
  const t = w.refusal;
  let body: string;
  let reassure = false;
  switch (r.code) {
    case 'busy':
      body = t.busy;
      break;
    case 'cooldown':
      body = t.cooldown(Math.max(1, Math.ceil(r.retryInMs / 1000)));
      break;
    case 'queue-full':
      body = t.queueFull(r.limit);
      reassure = true;
      break;
    case 'server-full':
      body = t.serverFull;
      reassure = true;
      break;
    case 'invalid-command':
      body = r.reason === 'empty' ? t.empty : r.reason === 'too-long' ? t.tooLong(r.limit) : r.reason === 'control-characters' ? t.control : t.invalidCommand;
      break;
    case 'invalid-learner':
      body = t.invalidLearner;
      break;
    case 'unavailable':
      body = t.unavailable;
      reassure = true;
      break;
  }
  const text = `${pick(w.refusalLead, v)}${body}`;
  return [say(reassure ? joinSentences(w, text, w.progressSafe) : text, 'notice')];
}

/** A command the learner's previous chat left running when it closed: it has no answer, and says so. */
export function interrupted(v: Voice, command: string): Block[] {
  const w = words(v);
  return [say(joinSentences(w, `${pick(w.refusalLead, v)}${w.refusal.interrupted(plain(command))}`, w.progressSafe), 'notice')];
}

export function problem(v: Voice, p: TutorProblem): Block[] {
  const w = words(v);
  const t = w.problem;
  const lead = pick(w.problemLead, v);
  switch (p.kind) {
    case 'unknown-lesson': {
      const blocks: Block[] = [say(`${lead}${t.unknownLesson(plain(p.given))}`, 'notice')];
      const offers = p.suggestions.slice(0, MAX_OFFERS);
      if (offers.length > 0) {
        blocks.push(say([t.maybeYouMeant, ...offers.map((l) => `• \`${l.id}\` ${l.title}`)].join('\n'), 'steps'));
      }
      blocks.push(say(t.seeList(cmds(v)), 'steps'));
      if (offers.length > 0) blocks.push(choices(offers.map((l) => startChoice(w, l))));
      return blocks;
    }
    case 'no-active-lesson':
      return [say(`${lead}${t.noActiveLesson(cmds(v))}`, 'notice')];
    case 'step-out-of-range':
      return [say(`${lead}${t.stepOutOfRange({ title: p.lesson.title, given: p.given, total: p.total })}`, 'notice')];
    case 'message-too-long':
      return [say(`${lead}${t.messageTooLong(p.limit)}`, 'notice')];
    case 'empty-message':
      return [say(`${lead}${t.emptyMessage(cmds(v))}`, 'notice')];
    case 'unknown-command': {
      const given = plain(p.given);
      // A command it does know, short of its argument (`/platform`): how it is written, not "I don't know it".
      const name = given.split(/\s+/)[0] ?? given;
      const usage = p.known.find((k) => k.split(/\s+/)[0] === name && k !== name);
      if (usage) return [say(`${lead}${heardWords(v.lang).commandNeeds({ name, usage: plain(usage) })}`, 'notice')];
      const lines = [`${lead}${t.unknownCommand(given)}`];
      const near = closest(given, p.known);
      if (near) lines.push(t.didYouMean(near));
      if (p.known.length > 0) lines.push(t.knownCommands(p.known.map((k) => `\`${plain(k)}\``).join(w.listSeparator)));
      return [say(lines.join('\n'), 'notice')];
    }
    case 'missing-prerequisites': {
      // Advice only: the engine starts the lesson anyway, so this reads as a heads-up, not a gate.
      const list = p.missing.map((l) => `**${l.title}**`).join(w.listSeparator);
      const blocks: Block[] = [say(pick(t.missingPrerequisites, v)({ list }), 'notice'), say(t.missingPrerequisitesOk, 'notice')];
      const offers = p.missing.slice(0, MAX_OFFERS);
      if (offers.length > 0) blocks.push(choices(offers.map((l) => startChoice(w, l))));
      return blocks;
    }
    case 'nothing-to-answer':
      return [say(`${lead}${t.nothingToAnswer}`, 'notice')];
  }
}

/** The known command nearest to what was typed, if it is close enough to be a typo. */
function closest(given: string, known: readonly string[]): string | undefined {
  const g = given.toLowerCase().replace(/^\//, '');
  let best: { command: string; distance: number } | undefined;
  for (const command of known) {
    const distance = editDistance(g, command.toLowerCase().replace(/^\//, ''));
    if (!best || distance < best.distance) best = { command, distance };
  }
  return best && best.distance > 0 && best.distance <= Math.max(1, Math.floor(g.length / 3)) ? plain(best.command) : undefined;
}
