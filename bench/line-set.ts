/**
 * The labelled lines (test/fixtures/lines.tsv) and how the line classifier does on them. Shared by
 * `npm run eval:lines` (bench/eval-lines.ts) and the test that holds the targets (test/tutor/line-kind.test.ts).
 */
import { readFileSync } from 'node:fs';
import { classifyLine, type LineKind, type LinePlace } from '../src/tutor/line-kind.js';

export type LineLabel = 'command' | 'chat';
export type Lang = 'ja' | 'en';

export interface LabelledLine {
  label: LineLabel;
  place: LinePlace;
  awaiting: boolean;
  line: string;
  /** ja when the line holds Japanese text, en otherwise. */
  lang: Lang;
  /** 1-based line number in its file, for pointing at it. */
  at: number;
}

const JAPANESE_TEXT = /[\u3040-\u30ff\u3400-\u9fff]/;
const LABELS: readonly string[] = ['command', 'chat'];
const PLACES: readonly string[] = ['chat', 'container', 'host'];

/** Reads `label<TAB>place<TAB>awaiting<TAB>line` rows (after a header row); a malformed row is an error naming it. */
export function loadLineSet(file: string | URL): LabelledLine[] {
  const rows = readFileSync(file, 'utf8').split('\n');
  const lines: LabelledLine[] = [];
  rows.forEach((row, index) => {
    if (index === 0 || row === '') return;
    const [label, place, awaiting, ...rest] = row.split('\t');
    const line = rest.join('\t');
    if (!LABELS.includes(label ?? '') || !PLACES.includes(place ?? '') || !['0', '1'].includes(awaiting ?? '') || line === '') {
      throw new Error(`${String(file)}:${index + 1}: expected label(command|chat) place(chat|container|host) awaiting(0|1) line, got ${JSON.stringify(row)}`);
    }
    lines.push({
      label: label as LineLabel,
      place: place as LinePlace,
      awaiting: awaiting === '1',
      line,
      lang: JAPANESE_TEXT.test(line) ? 'ja' : 'en',
      at: index + 1,
    });
  });
  return lines;
}

export interface Judged extends LabelledLine {
  got: LineKind['kind'];
}

export interface Tally {
  commands: number;
  /** Commands classified as commands. */
  recognised: number;
  /** Commands the learner would be asked about. */
  commandsUnsure: number;
  chats: number;
  /** Chat lines classified as commands: prose that would run. The target is 0. */
  proseRun: number;
  /** Chat lines the learner would be asked about. */
  chatUnsure: number;
}

export function judge(lines: readonly LabelledLine[]): Judged[] {
  return lines.map((l) => ({ ...l, got: classifyLine(l.line, { place: l.place, lang: l.lang, awaitingAnswer: l.awaiting }).kind }));
}

export function tally(judged: readonly Judged[]): Tally {
  const commands = judged.filter((j) => j.label === 'command');
  const chats = judged.filter((j) => j.label === 'chat');
  return {
    commands: commands.length,
    recognised: commands.filter((j) => j.got === 'command').length,
    commandsUnsure: commands.filter((j) => j.got === 'unsure').length,
    chats: chats.length,
    proseRun: chats.filter((j) => j.got === 'command').length,
    chatUnsure: chats.filter((j) => j.got === 'unsure').length,
  };
}

/** Lines whose verdict is not their label (a command asked about counts, as does chat asked about). */
export function misclassified(judged: readonly Judged[]): Judged[] {
  return judged.filter((j) => j.got !== j.label);
}

const pct = (n: number, of: number) => (of === 0 ? '–' : `${((100 * n) / of).toFixed(1)}%`);

/** One Markdown table row per group: lines, commands recognised / unsure, prose run, chat asked about. */
export function tableOf(groups: [string, readonly Judged[]][]): string {
  const head = '| set | lines | commands | recognised | unsure | chat | prose run | chat asked |\n|---|---:|---:|---:|---:|---:|---:|---:|';
  const rows = groups.map(([name, judged]) => {
    const t = tally(judged);
    return `| ${name} | ${judged.length} | ${t.commands} | ${t.recognised} (${pct(t.recognised, t.commands)}) | ${t.commandsUnsure} (${pct(t.commandsUnsure, t.commands)}) | ${t.chats} | ${t.proseRun} | ${t.chatUnsure} (${pct(t.chatUnsure, t.chats)}) |`;
  });
  return [head, ...rows].join('\n');
}

/** The groups the eval reports: everything, then per place, then per language. */
export function breakdown(judged: readonly Judged[]): [string, Judged[]][] {
  const groups: [string, Judged[]][] = [['all', [...judged]]];
  for (const place of PLACES) groups.push([`place ${place}`, judged.filter((j) => j.place === place)]);
  for (const lang of ['ja', 'en']) groups.push([`lang ${lang}`, judged.filter((j) => j.lang === lang)]);
  groups.push(['awaiting an answer', judged.filter((j) => j.awaiting)]);
  return groups;
}
