// What the board, the digest and the export show, derived from the stored records. Pure: names appear only
// for members who chose /privacy show; everyone else counts in totals (and in exports as an anonymous id).

import { createHmac } from 'node:crypto';
import type { Lesson } from '../lessons/index.js';
import { splitPair, type Buckets, type MemberRecord } from './snapshot.js';
import type { Cohort } from './store.js';
import { dayLabel, streakOf, zonedStamp, type Period } from './time.js';

/** Members listed by name on a board; the rest are counted. */
export const BOARD_MEMBER_LINES = 15;
const LEADERS = 5;
const NAMES_SHOWN = 10;

export interface NamedCount {
  name: string;
  count: number;
}

export interface BoardModel {
  period: Period;
  cohort?: { name: string; goal: number; deadline: string; daysLeft: number };
  learners: number;
  active: number;
  lessons: { id: string; title: string; started: number; finished: number }[];
  members: { name: string; lesson?: { title: string; passed: number; total: number }; done: number; goal?: number }[];
  moreMembers: number;
  finishers: { names: string[]; others: number };
  streaks: NamedCount[];
  helpers: NamedCount[];
}

export interface ViewInput {
  lessons: readonly Lesson[];
  /** Every learner in scope (the server, or a cohort) with their record. */
  members: readonly MemberRecord[];
  /** learner → name, for those who chose to be shown. */
  visible: ReadonlyMap<string, string>;
  buckets: Buckets;
  /** The local day of "now" in the server's zone. */
  today: number;
}

export function boardModel(input: ViewInput & { period: Period; cohort?: Cohort }): BoardModel {
  const { lessons, members, visible, buckets, today, cohort } = input;
  const inScope = new Set(members.map((m) => m.learnerId));
  const byId = new Map(lessons.map((l) => [l.id, l]));
  const goal = cohort ? new Set(cohort.lessons) : undefined;
  const started = perLesson(buckets.started, inScope);
  const finished = perLesson(buckets.finished, inScope);
  const lessonRows = lessons
    .filter((l) => !goal || goal.has(l.id))
    .map((l) => ({ id: l.id, title: l.title, started: started.get(l.id) ?? 0, finished: finished.get(l.id) ?? 0 }))
    .filter((row) => row.started > 0 || row.finished > 0 || goal);
  const activeIds = new Set([...buckets.steps.keys(), ...[...buckets.started, ...buckets.finished].map((p) => splitPair(p)[1])].filter((id) => inScope.has(id)));
  const shown = members
    .filter((m) => visible.has(m.learnerId) && (input.period === 'all' || activeIds.has(m.learnerId) || cohort))
    .sort((a, b) => (buckets.steps.get(b.learnerId) ?? 0) - (buckets.steps.get(a.learnerId) ?? 0) || b.last - a.last);
  const memberRows = shown.slice(0, BOARD_MEMBER_LINES).map((m) => {
    const lesson = m.lesson ? byId.get(m.lesson) : undefined;
    return {
      name: visible.get(m.learnerId)!,
      ...(lesson ? { lesson: { title: lesson.title, passed: Math.min(m.passed, lesson.steps.length), total: lesson.steps.length } } : {}),
      done: m.done.size,
      ...(goal ? { goal: [...goal].filter((id) => m.done.has(id)).length } : {}),
    };
  });
  const finishers = [...new Set([...buckets.finished].map((p) => splitPair(p)[1]).filter((id) => inScope.has(id)))];
  return {
    period: input.period,
    ...(cohort ? { cohort: { name: cohort.name, goal: cohort.lessons.length, deadline: cohort.deadline, daysLeft: daysUntil(cohort.deadline, today) } } : {}),
    learners: members.length,
    active: activeIds.size,
    lessons: lessonRows,
    members: memberRows,
    moreMembers: Math.max(0, shown.length - memberRows.length),
    finishers: namesAndOthers(finishers, visible),
    streaks: streakLeaders(members, visible, today),
    // Helpers need not be learners themselves; a cohort board credits its own members only.
    helpers: leaders(buckets.helped, visible, cohort ? inScope : undefined, 3),
  };
}

export interface DigestModel {
  kind: 'weekly' | 'monthly';
  from: string;
  to: string;
  finished: { count: number; names: string[]; others: number };
  newcomers: { count: number; names: string[]; others: number };
  streaks: NamedCount[];
  stuck: { lessonTitle: string; step: number; stepTitle: string; learners: number }[];
  nextUp?: { lessonId: string; title: string; learners: number };
  learners: number;
}

export function digestModel(input: ViewInput & { kind: 'weekly' | 'monthly'; days: readonly number[] }): DigestModel {
  const { lessons, members, visible, buckets, today, days } = input;
  const byId = new Map(lessons.map((l) => [l.id, l]));
  const finishedBy = [...buckets.finished].map((p) => splitPair(p)[1]);
  const stuckCounts = new Map<string, number>();
  for (const pair of buckets.stuck) {
    const where = splitPair(pair)[0];
    stuckCounts.set(where, (stuckCounts.get(where) ?? 0) + 1);
  }
  const stuck = [...stuckCounts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .flatMap(([where, learners]) => {
      const [lessonId, step] = where.split('#') as [string, string];
      const lesson = byId.get(lessonId);
      const stepTitle = lesson?.steps[Number(step) - 1]?.title;
      return lesson && stepTitle ? [{ lessonTitle: lesson.title, step: Number(step), stepTitle, learners }] : [];
    });
  const onLesson = new Map<string, number>();
  for (const m of members) if (m.lesson) onLesson.set(m.lesson, (onLesson.get(m.lesson) ?? 0) + 1);
  const [busiest] = [...onLesson].sort((a, b) => b[1] - a[1] || (byId.get(a[0])?.order ?? 0) - (byId.get(b[0])?.order ?? 0));
  const untouched = lessons.find((l) => !members.some((m) => m.done.has(l.id)));
  const next = busiest ? { lesson: byId.get(busiest[0]), learners: busiest[1] } : { lesson: untouched ?? lessons[0], learners: 0 };
  return {
    kind: input.kind,
    from: dayLabel(days[0] ?? today),
    to: dayLabel(days.at(-1) ?? today),
    finished: { count: buckets.finished.size, ...namesAndOthers([...new Set(finishedBy)], visible) },
    newcomers: { count: buckets.newcomers.size, ...namesAndOthers([...buckets.newcomers], visible) },
    streaks: streakLeaders(members, visible, today),
    stuck,
    ...(next.lesson ? { nextUp: { lessonId: next.lesson.id, title: next.lesson.title, learners: next.learners } } : {}),
    learners: members.length,
  };
}

export interface ExportRow {
  member: string;
  lessonsDone: number;
  currentLesson: string;
  currentStep: number | '';
  lastActive: string;
  streak: number;
  hintsUsed: number;
  stuckOn: string;
  /** Cohort exports: goal lessons done, of how many. */
  goal?: string;
}

/** One row per learner: by name when they chose to be shown, else an id only the server's salt can make. */
export function exportRows(input: Pick<ViewInput, 'members' | 'visible' | 'today'> & { tz: string; salt: string; cohort?: Cohort }): ExportRow[] {
  const { members, visible, today, tz, salt, cohort } = input;
  return members.map((m) => ({
    member: visible.get(m.learnerId) ?? anonymousId(salt, m.learnerId),
    lessonsDone: m.done.size,
    currentLesson: m.lesson ?? '',
    currentStep: m.lesson ? m.step : '',
    lastActive: m.last ? zonedStamp(m.last, tz) : '',
    streak: streakOf(m.days, today).days,
    hintsUsed: m.hints,
    stuckOn: [...m.stuckAt.keys()].sort().join(' '),
    ...(cohort ? { goal: `${cohort.lessons.filter((id) => m.done.has(id)).length}/${cohort.lessons.length}` } : {}),
  }));
}

export function anonymousId(salt: string, learnerId: string): string {
  return `anon-${createHmac('sha256', salt).update(learnerId).digest('hex').slice(0, 10)}`;
}

/** RFC 4180 CSV: fields with commas, quotes or line breaks are quoted; a leading =+-@ is defused for spreadsheets. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (v: string | number) => {
    let text = String(v);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

function daysUntil(deadline: string, today: number): number {
  const [y, m, d] = deadline.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000) - today;
}

/** lesson → learners in scope, from `lesson|learner` pairs. */
function perLesson(pairs: ReadonlySet<string>, inScope: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const pair of pairs) {
    const [lessonId, learnerId] = splitPair(pair);
    if (inScope.has(learnerId)) counts.set(lessonId, (counts.get(lessonId) ?? 0) + 1);
  }
  return counts;
}

function namesAndOthers(learnerIds: readonly string[], visible: ReadonlyMap<string, string>): { names: string[]; others: number } {
  const names = learnerIds.flatMap((id) => (visible.has(id) ? [visible.get(id)!] : [])).sort((a, b) => a.localeCompare(b));
  return { names: names.slice(0, NAMES_SHOWN), others: learnerIds.length - Math.min(names.length, NAMES_SHOWN) };
}

function streakLeaders(members: readonly MemberRecord[], visible: ReadonlyMap<string, string>, today: number): NamedCount[] {
  return members
    .filter((m) => visible.has(m.learnerId))
    .map((m) => ({ name: visible.get(m.learnerId)!, count: streakOf(m.days, today).days }))
    .filter((s) => s.count > 0)
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
    .slice(0, LEADERS);
}

function leaders(scores: ReadonlyMap<string, number>, visible: ReadonlyMap<string, string>, inScope: ReadonlySet<string> | undefined, n: number): NamedCount[] {
  return [...scores]
    .filter(([id]) => visible.has(id) && (!inScope || inScope.has(id)))
    .map(([id, count]) => ({ name: visible.get(id)!, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
    .slice(0, n);
}
