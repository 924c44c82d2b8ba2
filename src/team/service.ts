// The team features as the adapters use them: record events, boards, privacy, streaks, digests, exports.
// Transport-free: Discord and the console render what these return.

import type { Curriculum, Lang } from '../lessons/index.js';
import type { LearningEvent } from '../tutor/learning-events.js';
import { forgetTeamLearner } from './forget.js';
import { learnersOf, readBuckets, readMembers } from './snapshot.js';
import type { TeamStore } from './store.js';
import { daysSoFar, lastFullMonth, lastFullWeek, localDay, localParts, reminderDue, streakOf, systemClock, type Clock, type Period, type Streak } from './time.js';
import { exportLearners, scopeOf, type ExportResult, type Scope } from './export.js';
import { boardModel, digestModel, type BoardModel, type DigestModel } from './views.js';

export type BoardResult = { ok: true; model: BoardModel } | { ok: false; reason: 'boards-off' } | { ok: false; reason: 'unknown-cohort'; known: string[] };

export class TeamService {
  constructor(
    readonly store: TeamStore,
    readonly curriculum: Curriculum,
    readonly clock: Clock = systemClock,
  ) {}

  record(event: LearningEvent): Promise<void> {
    return this.store.record(event);
  }

  forget(learnerId: string): Promise<void> {
    return forgetTeamLearner(this.store, learnerId);
  }

  async board(guildId: string, opts: { period: Period; cohort?: string; lang: Lang }): Promise<BoardResult> {
    const settings = await this.store.settings(guildId);
    if (settings.boards === 'off') return { ok: false, reason: 'boards-off' };
    const scope = await this.scope(guildId, opts.cohort);
    if (!scope.ok) return scope;
    const now = this.clock();
    const days = opts.period === 'all' ? 'all' : daysSoFar(opts.period, now, settings.tz);
    const [members, visible, buckets] = await Promise.all([readMembers(this.store, guildId, scope.learnerIds), this.store.visibleNames(guildId), readBuckets(this.store, guildId, days)]);
    const model = boardModel({
      lessons: this.curriculum.list(opts.lang),
      members,
      visible,
      buckets,
      today: localDay(now, settings.tz),
      period: opts.period,
      ...(scope.cohort ? { cohort: scope.cohort } : {}),
    });
    return { ok: true, model };
  }

  /** Shows the learner by this name (a string) or only in totals (undefined), from now on. */
  async setPrivacy(guildId: string, learnerId: string, name: string | undefined): Promise<void> {
    await this.store.setVisible(guildId, learnerId, name === undefined ? undefined : cleanName(name));
  }

  async streak(guildId: string, learnerId: string): Promise<Streak & { remind: boolean }> {
    const { tz } = await this.store.settings(guildId);
    const [days, remind] = await Promise.all([this.store.activeDays(guildId, learnerId), this.store.wantsReminder(guildId, learnerId)]);
    return { ...streakOf(days, localDay(this.clock(), tz)), remind };
  }

  /** Learners who asked for reminders and whose streak ends at midnight, as of now. */
  async dueReminders(guildId: string): Promise<{ learnerId: string; days: number; day: number }[]> {
    const { tz } = await this.store.settings(guildId);
    const now = this.clock();
    const today = localDay(now, tz);
    const hour = localParts(now, tz).hour;
    const remindees = await this.store.remindees(guildId);
    const days = await this.store.activeDaysOf(guildId, remindees);
    return remindees.flatMap((learnerId, i) => {
      const streak = streakOf(days[i] ?? [], today);
      return reminderDue(streak, hour) ? [{ learnerId, days: streak.days, day: today }] : [];
    });
  }

  /** The digest for the seven (or a month's) full local days before now (or `at`). */
  async digest(guildId: string, kind: 'weekly' | 'monthly', lang: Lang, at = this.clock()): Promise<DigestModel> {
    const { tz } = await this.store.settings(guildId);
    const now = at;
    const days = kind === 'weekly' ? lastFullWeek(now, tz) : lastFullMonth(now, tz);
    const ids = (await learnersOf(this.store, guildId)).map((l) => l.learnerId);
    const [members, visible, buckets] = await Promise.all([readMembers(this.store, guildId, ids), this.store.visibleNames(guildId), readBuckets(this.store, guildId, days)]);
    return digestModel({ lessons: this.curriculum.list(lang), members, visible, buckets, today: localDay(now, tz), kind, days });
  }

  export(guildId: string, cohortName?: string): Promise<ExportResult> {
    return exportLearners(this.store, guildId, cohortName, this.clock);
  }

  private scope(guildId: string, cohortName: string | undefined): Promise<Scope> {
    return scopeOf(this.store, guildId, cohortName);
  }
}

/** A display name safe to show in any board: no markup, mentions or control characters. */
export function cleanName(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f`*_~|<>@#\\[\]]/g, '').trim().slice(0, 64) || '?';
}
