// Days, weeks, months and streaks in a server's time zone, including the days daylight saving changes.
import { describe, expect, it } from 'vitest';
import {
  dayLabel,
  dayNumberOf,
  daysSoFar,
  duePeriod,
  isTimeZone,
  lastFullMonth,
  lastFullWeek,
  localDay,
  localParts,
  monthlyDueAt,
  periodKey,
  reminderDue,
  startOfDay,
  streakOf,
  weekdayOf,
  weeklyDueAt,
  zonedStamp,
  zonedTime,
} from '../../src/team/time.js';

const at = (iso: string) => Date.parse(iso);
const day = (iso: string) => dayNumberOf(...(iso.split('-').map(Number) as [number, number, number]));
const HOUR = 3_600_000;

describe('local days and wall times', () => {
  it('stamps a time as the server reads it, with its UTC offset (the team CSV)', () => {
    expect(zonedStamp(at('2026-12-01T03:20:59Z'), 'Asia/Tokyo')).toBe('2026-12-01 12:20+09:00');
    expect(zonedStamp(at('2026-12-01T03:20:00Z'), 'America/New_York')).toBe('2026-11-30 22:20-05:00');
    expect(zonedStamp(at('2026-07-01T03:20:00Z'), 'America/New_York')).toBe('2026-06-30 23:20-04:00');
    expect(zonedStamp(at('2026-12-01T03:20:00Z'), 'Asia/Kolkata')).toBe('2026-12-01 08:50+05:30');
    expect(zonedStamp(at('2026-12-01T03:20:00Z'), 'UTC')).toBe('2026-12-01 03:20+00:00');
  });


  it('reads the date where the server is, not in UTC', () => {
    expect(dayLabel(localDay(at('2026-03-07T15:30:00Z'), 'Asia/Tokyo'))).toBe('2026-03-08');
    expect(dayLabel(localDay(at('2026-03-07T15:30:00Z'), 'America/New_York'))).toBe('2026-03-07');
    expect(localParts(at('2026-11-29T16:00:00Z'), 'Asia/Tokyo')).toMatchObject({ year: 2026, month: 11, day: 30, hour: 1, weekday: 1 });
    expect(weekdayOf(day('2026-11-30'))).toBe(1);
    expect(weekdayOf(day('2026-12-06'))).toBe(7);
  });

  it('knows a time zone from a typo', () => {
    expect(isTimeZone('Asia/Tokyo')).toBe(true);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Asia/Tokio')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('makes a 23-hour day and a 25-hour day where DST changes (New York, 2026)', () => {
    const ny = 'America/New_York';
    expect(startOfDay(day('2026-03-08'), ny)).toBe(at('2026-03-08T05:00:00Z'));
    expect(startOfDay(day('2026-03-09'), ny) - startOfDay(day('2026-03-08'), ny)).toBe(23 * HOUR);
    expect(startOfDay(day('2026-11-02'), ny) - startOfDay(day('2026-11-01'), ny)).toBe(25 * HOUR);
    // 02:30 does not exist on 8 March; 01:30 happens twice on 1 November (the first is taken).
    expect(zonedTime(ny, 2026, 3, 8, 2, 30)).toBe(at('2026-03-08T07:30:00Z'));
    expect(zonedTime(ny, 2026, 11, 1, 1, 30)).toBe(at('2026-11-01T05:30:00Z'));
    expect(zonedTime('Asia/Tokyo', 2026, 11, 30, 9)).toBe(at('2026-11-30T00:00:00Z'));
  });
});

describe('weeks and months', () => {
  it('start on Monday at local midnight: one instant is in different weeks in Tokyo and in UTC', () => {
    const sundayInUtc = at('2026-11-29T16:00:00Z');
    expect(periodKey('week', sundayInUtc, 'Asia/Tokyo')).toBe('w-2026-11-30');
    expect(periodKey('week', sundayInUtc, 'UTC')).toBe('w-2026-11-23');
    expect(periodKey('month', at('2026-11-30T15:30:00Z'), 'Asia/Tokyo')).toBe('m-2026-12');
    expect(periodKey('month', at('2026-11-30T15:30:00Z'), 'America/New_York')).toBe('m-2026-11');
  });

  it('count the days so far this week or month, the last seven full days, and last month', () => {
    const thursday = at('2026-12-03T12:00:00Z');
    expect(daysSoFar('week', thursday, 'Asia/Tokyo').map(dayLabel)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03']);
    expect(daysSoFar('month', thursday, 'Asia/Tokyo').map(dayLabel)).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
    const week = lastFullWeek(thursday, 'Asia/Tokyo').map(dayLabel);
    expect([week[0], week.at(-1), week.length]).toEqual(['2026-11-26', '2026-12-02', 7]);
    const january = lastFullMonth(at('2027-01-10T00:00:00Z'), 'Asia/Tokyo').map(dayLabel);
    expect([january[0], january.at(-1), january.length]).toEqual(['2026-12-01', '2026-12-31', 31]);
  });

  it('put the digest at the admin’s weekday and hour in local time, on both sides of a DST change', () => {
    const berlin = 'Europe/Berlin';
    // Summer time ends on Sunday 25 October 2026: Monday 09:00 is 07:00 UTC before, 08:00 UTC after.
    expect(weeklyDueAt(at('2026-10-21T12:00:00Z'), berlin, 1, 9)).toBe(at('2026-10-19T07:00:00Z'));
    expect(weeklyDueAt(at('2026-10-28T12:00:00Z'), berlin, 1, 9)).toBe(at('2026-10-26T08:00:00Z'));
    // Friday 18:00 Tokyo of the week containing Wednesday 2 December.
    expect(weeklyDueAt(at('2026-12-02T00:00:00Z'), 'Asia/Tokyo', 5, 18)).toBe(at('2026-12-04T09:00:00Z'));
    expect(monthlyDueAt(at('2026-12-15T00:00:00Z'), 'America/New_York', 9)).toBe(at('2026-12-01T14:00:00Z'));
  });

  it('count a run a moment early (another process’s clock) for the period it was meant for, and not one well before', () => {
    // Monday 00:00 Tokyo is Sunday 15:00 UTC: a run 50 ms before it posts the new week's digest, covering last week.
    const mondayMidnight = at('2026-11-29T15:00:00Z');
    expect(duePeriod('weekly', mondayMidnight - 50, 'Asia/Tokyo', 1, 0)).toEqual({ key: 'w-2026-11-30', at: mondayMidnight });
    expect(lastFullWeek(mondayMidnight, 'Asia/Tokyo').map(dayLabel)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    // Ten minutes early is still last week, whose digest was due last Monday (and claimed then).
    expect(duePeriod('weekly', mondayMidnight - 10 * 60_000, 'Asia/Tokyo', 1, 0)?.key).toBe('w-2026-11-23');
    // Friday 18:00 Tokyo (09:00 UTC): ten minutes early is not yet due.
    expect(duePeriod('weekly', at('2026-12-04T08:50:00Z'), 'Asia/Tokyo', 5, 18)).toBeUndefined();
    expect(duePeriod('weekly', at('2026-12-04T08:59:30Z'), 'Asia/Tokyo', 5, 18)?.key).toBe('w-2026-11-30');
    expect(duePeriod('weekly', mondayMidnight + 3 * 86_400_000, 'Asia/Tokyo', 1, 0)).toEqual({ key: 'w-2026-11-30', at: mondayMidnight + 3 * 86_400_000 });
    // The 1st of January 09:00 in New York, a second early: January's digest, covering December.
    const newYear = at('2027-01-01T14:00:00Z');
    expect(duePeriod('monthly', newYear - 1000, 'America/New_York', 5, 9)).toEqual({ key: 'm-2027-01', at: newYear });
    expect(duePeriod('monthly', newYear - 3_600_000, 'America/New_York', 5, 9)).toBeUndefined();
  });
});

describe('streaks', () => {
  const today = day('2026-12-03');

  it('count days in a row up to today, or up to yesterday while today is still open', () => {
    expect(streakOf([today, today - 1, today - 2, today - 4], today)).toEqual({ days: 3, activeToday: true, atRisk: false });
    expect(streakOf([today - 1, today - 2], today)).toEqual({ days: 2, activeToday: false, atRisk: true });
    expect(streakOf([today - 2, today - 3], today)).toEqual({ days: 0, activeToday: false, atRisk: false });
    expect(streakOf([], today)).toEqual({ days: 0, activeToday: false, atRisk: false });
  });

  it('survive the short night when clocks spring forward (passes late on 7 March, midday on 8, just after midnight on 9)', () => {
    const ny = 'America/New_York';
    const passes = ['2026-03-08T04:30:00Z', '2026-03-08T16:00:00Z', '2026-03-09T04:30:00Z'].map((iso) => localDay(at(iso), ny));
    expect(passes.map(dayLabel)).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
    expect(streakOf(passes, day('2026-03-09')).days).toBe(3);
    // In UTC the same three passes fall on two days.
    const utc = ['2026-03-08T04:30:00Z', '2026-03-08T16:00:00Z', '2026-03-09T04:30:00Z'].map((iso) => localDay(at(iso), 'UTC'));
    expect(streakOf(utc, day('2026-03-09')).days).toBe(2);
  });

  it('remind in the evening of a day that would break the streak, not before and not once today counts', () => {
    const atRisk = streakOf([today - 1], today);
    expect(reminderDue(atRisk, 19)).toBe(false);
    expect(reminderDue(atRisk, 20)).toBe(true);
    expect(reminderDue(streakOf([today, today - 1], today), 22)).toBe(false);
    expect(reminderDue(streakOf([], today), 22)).toBe(false);
  });
});

describe('localParts, asked many times a minute', () => {
  it('answers every instant of a minute alike, and the next minute anew, across a daylight-saving jump', () => {
    const tz = 'America/New_York';
    // 2026-03-08: clocks jump from 01:59 EST to 03:00 EDT at 07:00 UTC.
    const before = Date.UTC(2026, 2, 8, 6, 59, 5);
    expect(localParts(before, tz)).toMatchObject({ hour: 1, minute: 59 });
    expect(localParts(before + 50_000, tz)).toMatchObject({ hour: 1, minute: 59 });
    expect(localParts(before + 55_000, tz)).toMatchObject({ hour: 3, minute: 0 });
    // Another zone at the same instant is its own answer; a caller changing its copy changes nothing cached.
    const tokyo = localParts(before, 'Asia/Tokyo');
    expect(tokyo).toMatchObject({ day: 8, hour: 15, minute: 59 });
    tokyo.hour = 99;
    expect(localParts(before + 1_000, 'Asia/Tokyo').hour).toBe(15);
  });
});
