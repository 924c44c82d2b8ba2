// Calendar arithmetic in a server's time zone: local days, weeks (Monday first) and months, the UTC instant of
// a local wall time, and streaks of days. Pure, built on Intl, so daylight-saving changes come from the tz data.

export const DEFAULT_TIME_ZONE = 'Asia/Tokyo';
const DAY_MS = 86_400_000;

/** Milliseconds since the epoch; injectable so schedules and tests agree on "now". */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();

export function isTimeZone(tz: string): boolean {
  if (tz.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

/** The last minute asked of each zone: every learning event of a busy minute asks for the same parts. */
const lastMinute = new Map<string, { minute: number; parts: LocalParts }>();

/** The wall-clock date and time at an instant in a zone (to the minute, so one answer serves a whole minute). */
export function localParts(ms: number, tz: string): LocalParts {
  const minute = Math.floor(ms / 60_000);
  const last = lastMinute.get(tz);
  if (last?.minute === minute) return { ...last.parts };
  const parts = computeLocalParts(ms, tz);
  if (lastMinute.size > 64) lastMinute.clear();
  lastMinute.set(tz, { minute, parts });
  return { ...parts };
}

function computeLocalParts(ms: number, tz: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const day = dayNumberOf(parts['year']!, parts['month']!, parts['day']!);
  return { year: parts['year']!, month: parts['month']!, day: parts['day']!, hour: parts['hour']! % 24, minute: parts['minute']!, weekday: weekdayOf(day) };
}

/** Days since 1970-01-01 of a calendar date (no zone: the date itself). */
export function dayNumberOf(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** The local calendar day of an instant, as a day number. */
export function localDay(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  return dayNumberOf(p.year, p.month, p.day);
}

/** 1 = Monday … 7 = Sunday; day 0 (1970-01-01) was a Thursday. */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7 + 1;
}

/** `YYYY-MM-DD` of a day number. */
export function dayLabel(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC instant of a local wall time: the first of two in a DST fall-back, an hour on for one skipped in spring. */
export function zonedTime(tz: string, year: number, month: number, day: number, hour = 0, minute = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const offsetAt = (ms: number) => {
    const p = localParts(ms, tz);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(ms / 60_000) * 60_000;
  };
  const first = wall - offsetAt(wall);
  const second = wall - offsetAt(first);
  return second === first ? first : Math.max(first, second);
}

/** The instant a local day starts. */
export function startOfDay(dayNumber: number, tz: string): number {
  const [y, m, d] = dayLabel(dayNumber).split('-').map(Number) as [number, number, number];
  return zonedTime(tz, y, m, d);
}

export type Period = 'week' | 'month' | 'all';

/** The local days of the week (from Monday) or month (from the 1st) that contain `ms`, up to that day. */
export function daysSoFar(period: Exclude<Period, 'all'>, ms: number, tz: string): number[] {
  const today = localDay(ms, tz);
  const first = period === 'week' ? today - (weekdayOf(today) - 1) : today - (localParts(ms, tz).day - 1);
  return range(first, today);
}

/** The seven full local days before `ms`'s day (what a weekly digest covers). */
export function lastFullWeek(ms: number, tz: string): number[] {
  const today = localDay(ms, tz);
  return range(today - 7, today - 1);
}

/** The previous calendar month's local days (what a monthly digest covers). */
export function lastFullMonth(ms: number, tz: string): number[] {
  const p = localParts(ms, tz);
  const firstOfThis = dayNumberOf(p.year, p.month, 1);
  const prev = p.month === 1 ? { y: p.year - 1, m: 12 } : { y: p.year, m: p.month - 1 };
  return range(dayNumberOf(prev.y, prev.m, 1), firstOfThis - 1);
}

/** A key naming the week (its Monday) or month that contains `ms`, locally: `w-2026-11-30`, `m-2026-11`. */
export function periodKey(period: Exclude<Period, 'all'>, ms: number, tz: string): string {
  const today = localDay(ms, tz);
  if (period === 'week') return `w-${dayLabel(today - (weekdayOf(today) - 1))}`;
  return `m-${dayLabel(today).slice(0, 7)}`;
}

/** When this week's digest is due: the given weekday and hour of the local week containing `ms`. */
export function weeklyDueAt(ms: number, tz: string, weekday: number, hour: number): number {
  const today = localDay(ms, tz);
  const day = today - (weekdayOf(today) - 1) + (weekday - 1);
  const [y, m, d] = dayLabel(day).split('-').map(Number) as [number, number, number];
  return zonedTime(tz, y, m, d, hour);
}

/** When this month's digest is due: the 1st of the local month containing `ms`, at the hour. */
export function monthlyDueAt(ms: number, tz: string, hour: number): number {
  const p = localParts(ms, tz);
  return zonedTime(tz, p.year, p.month, 1, hour);
}

/** A scheduled run this much early (a timer a moment soon, another process's clock a little behind) is on time. */
export const DUE_GRACE_MS = 60_000;

/**
 * The week or month a digest run at `ms` posts for, and the instant its window ends; undefined while it is not
 * yet due. A run up to a minute early counts, for the period it was scheduled for.
 */
export function duePeriod(kind: 'weekly' | 'monthly', ms: number, tz: string, weekday: number, hour: number): { key: string; at: number } | undefined {
  const soon = ms + DUE_GRACE_MS;
  const due = kind === 'weekly' ? weeklyDueAt(soon, tz, weekday, hour) : monthlyDueAt(soon, tz, hour);
  if (soon < due) return undefined;
  return { key: periodKey(kind === 'weekly' ? 'week' : 'month', soon, tz), at: Math.max(ms, due) };
}

export interface Streak {
  /** Days in a row with at least one passed step, up to today (or yesterday, while today is still open). */
  days: number;
  activeToday: boolean;
  /** The streak breaks at midnight unless a step is passed today. */
  atRisk: boolean;
}

/** The current streak from the local days a learner passed a step on. */
export function streakOf(activeDays: Iterable<number>, today: number): Streak {
  const days = new Set(activeDays);
  const activeToday = days.has(today);
  let cursor = activeToday ? today : today - 1;
  let count = 0;
  while (days.has(cursor)) {
    count++;
    cursor--;
  }
  return { days: count, activeToday, atRisk: count > 0 && !activeToday };
}

/** Local hour from which a learner who opted in hears that their streak is about to break. */
export const REMINDER_HOUR = 20;

/** Whether a reminder is due now: a streak alive only until midnight, and evening has come. */
export function reminderDue(streak: Streak, localHour: number): boolean {
  return streak.atRisk && localHour >= REMINDER_HOUR;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let d = from; d <= to; d++) out.push(d);
  return out;
}

/** `2026-12-01 12:00+09:00`: the server's wall time with its UTC offset, so a reader elsewhere is not misled (RFC 3339). */
export function zonedStamp(ms: number, tz: string): string {
  const p = localParts(ms, tz);
  const two = (n: number) => String(n).padStart(2, '0');
  const offsetMinutes = Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(ms / 60_000) * 60_000) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}
