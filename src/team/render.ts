// Boards, digests and exports as titled sections of text (Discord makes an embed of them, the terminal prints
// them) and as CSV. Pure.

import type { Lang } from '../lessons/index.js';
import { toCsv, type BoardModel, type DigestModel, type ExportRow, type NamedCount } from './views.js';
import { progressBar, teamWords, type TeamWords } from './words.js';

export interface Section {
  name: string;
  value: string;
}

export interface Sections {
  title: string;
  description: string;
  sections: Section[];
  footer: string;
}

export function boardSections(model: BoardModel, lang: Lang): Sections {
  const w = teamWords(lang);
  const period = w.period[model.period];
  const title = model.cohort ? w.cohortTitle(model.cohort.name, period) : w.boardTitle(period);
  const description = [model.cohort ? w.cohortGoal(model.cohort) : undefined, w.totals({ learners: model.learners, active: model.active, period })].filter(Boolean).join('\n');
  const lessons = model.lessons.length ? model.lessons.map((l) => `• ${w.lessonLine(l)}`).join('\n') : w.noLessons;
  const members = model.members.length
    ? [
        ...model.members.map((m) => {
          const where = m.lesson ? `${m.lesson.title} ${progressBar(m.lesson.passed, m.lesson.total)}` : w.memberBetween;
          const goal = m.goal !== undefined && model.cohort ? ` · 🎯 ${m.goal}/${model.cohort.goal}` : '';
          return `**${m.name}** — ${where} · ${w.memberDone(m.done)}${goal}`;
        }),
        ...(model.moreMembers > 0 ? [w.moreMembers(model.moreMembers)] : []),
      ].join('\n')
    : w.noMembers;
  const sections = [
    { name: w.lessonsHeading, value: lessons },
    { name: w.membersHeading, value: members },
    { name: w.finishersHeading(period), value: namesLine(w, model.finishers) },
    { name: w.streaksHeading, value: countsLine(model.streaks, w.days) || w.nobody },
  ];
  if (model.helpers.length > 0) sections.push({ name: w.helpersHeading, value: countsLine(model.helpers, w.answers) });
  return { title, description, sections, footer: w.privacyFooter };
}

export function digestSections(model: DigestModel, lang: Lang, startCommand: (lessonId: string) => string): Sections {
  const w = teamWords(lang);
  const stuck = model.stuck.length ? model.stuck.map((s) => `• ${w.digestStuckLine(s)}`).join('\n') : w.digestNothingStuck;
  const sections = [
    { name: w.digestFinished(model.finished.count), value: namesLine(w, model.finished) },
    { name: w.digestNewcomers(model.newcomers.count), value: namesLine(w, model.newcomers) },
    { name: w.digestStreaks, value: countsLine(model.streaks, w.days) || w.nobody },
    { name: w.digestStuckHeading, value: stuck },
  ];
  const next = model.nextUp ? w.digestNextUp({ title: model.nextUp.title, learners: model.nextUp.learners, start: startCommand(model.nextUp.lessonId) }) : '';
  return { title: w.digestTitle(model.kind, model.from, model.to), description: next, sections, footer: w.digestFooter(model.learners) };
}

/** Sections as plain text, for the terminal. */
export function sectionsText(s: Sections): string {
  const strip = (t: string) => t.replace(/\*\*/g, '');
  return [strip(s.title), s.description ? strip(s.description) : undefined, ...s.sections.map((x) => `\n${strip(x.name)}\n${strip(x.value)}`), `\n${s.footer}`]
    .filter((x) => x !== undefined)
    .join('\n');
}

export function exportCsv(rows: readonly ExportRow[], lang: Lang): string {
  const w = teamWords(lang);
  const withGoal = rows.some((r) => r.goal !== undefined);
  const header = [...w.exportHeader, ...(withGoal ? [w.exportGoal] : [])];
  return toCsv(header, rows.map((r) => exportCells(r, withGoal)));
}

/** The export as an aligned table, for the terminal. */
export function exportTable(rows: readonly ExportRow[], lang: Lang): string {
  const w = teamWords(lang);
  const withGoal = rows.some((r) => r.goal !== undefined);
  const table = [[...w.exportHeader, ...(withGoal ? [w.exportGoal] : [])], ...rows.map((r) => exportCells(r, withGoal).map(String))];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => displayWidth(r[c] ?? ''))));
  return table.map((r) => r.map((cell, c) => cell + ' '.repeat(widths[c]! - displayWidth(cell))).join('  ').trimEnd()).join('\n');
}

function exportCells(r: ExportRow, withGoal: boolean): (string | number)[] {
  return [r.member, r.lessonsDone, r.currentLesson, r.currentStep, r.lastActive, r.streak, r.hintsUsed, r.stuckOn, ...(withGoal ? [r.goal ?? ''] : [])];
}

/** Wide (CJK) characters take two columns in a terminal. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return width;
}

function namesLine(w: TeamWords, group: { names: string[]; others: number }): string {
  if (group.names.length === 0 && group.others === 0) return w.nobody;
  const names = group.names.map((n) => `**${n}**`).join(', ');
  return [names, group.others > 0 ? w.others(group.others) : ''].filter(Boolean).join(' ');
}

function countsLine(items: readonly NamedCount[], unit: (n: number) => string): string {
  return items.map((s, i) => `${['🥇', '🥈', '🥉'][i] ?? '•'} **${s.name}** ${unit(s.count)}`).join('\n');
}
