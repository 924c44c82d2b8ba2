// The team lead's table: one row per learner of a server (or a cohort). Needs no curriculum, so the
// terminal's `sensei team report` loads only the store.

import { learnersOf, readMembers } from './snapshot.js';
import type { Cohort, TeamStore } from './store.js';
import { localDay, type Clock } from './time.js';
import { exportRows, type ExportRow } from './views.js';

export type Scope = { ok: true; learnerIds: string[]; cohort?: Cohort } | { ok: false; reason: 'unknown-cohort'; known: string[] };
export type ExportResult = { ok: true; rows: ExportRow[]; cohort?: Cohort } | { ok: false; reason: 'unknown-cohort'; known: string[] };

/** The learners a view covers: the whole server, or one cohort's members. */
export async function scopeOf(store: TeamStore, guildId: string, cohortName: string | undefined): Promise<Scope> {
  if (!cohortName) return { ok: true, learnerIds: (await learnersOf(store, guildId)).map((l) => l.learnerId) };
  const cohort = await store.cohort(guildId, cohortName.trim().toLowerCase());
  if (!cohort) return { ok: false, reason: 'unknown-cohort', known: await store.cohortNames(guildId) };
  return { ok: true, learnerIds: await store.cohortMembers(guildId, cohort.name), cohort };
}

export async function exportLearners(store: TeamStore, guildId: string, cohortName: string | undefined, clock: Clock): Promise<ExportResult> {
  const scope = await scopeOf(store, guildId, cohortName);
  if (!scope.ok) return scope;
  const settings = await store.settings(guildId);
  const [members, visible, salt] = await Promise.all([readMembers(store, guildId, scope.learnerIds), store.visibleNames(guildId), store.salt(guildId)]);
  const rows = exportRows({ members, visible, today: localDay(clock(), settings.tz), tz: settings.tz, salt, ...(scope.cohort ? { cohort: scope.cohort } : {}) });
  return { ok: true, rows, ...(scope.cohort ? { cohort: scope.cohort } : {}) };
}
