// Where learning events are kept, per server: a capped Redis stream of every event, plus what the views read
// (each learner's record, per-day and all-time buckets). Also the server's team settings, privacy choices,
// role mappings, cohorts and peer-help records, and forgetting a learner from all of it.

import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LearningEvent } from '../tutor/learning-events.js';
import { BUCKETS, DAY_BUCKET_TTL_SECONDS, DIRECT_GUILD, EVENT_STREAM_MAX, teamKeys, type Bucket, type TeamKeys } from './keys.js';
import { parseSettings, type SettingName, type TeamSettings } from './settings.js';
import { localDay } from './time.js';

/** A learning event as the team features see it: always in a server (DIRECT_GUILD when none). */
export type TeamEvent = LearningEvent & { guildId: string };
export type TeamEventListener = (event: TeamEvent) => void;

export interface Cohort {
  name: string;
  /** The lessons the cohort means to finish, in curriculum order. */
  lessons: string[];
  /** The last local day (`YYYY-MM-DD`) to finish them by. */
  deadline: string;
}

export interface HelpRecord {
  threadId: string;
  askerId: string;
  lessonId: string;
  step: number;
  status: 'open' | 'solved';
}

/** What a learner ran when they got stuck, kept until they ask the team (or a day passes). */
export interface HelpDraft {
  guildId: string;
  lessonId: string;
  step: number;
  command?: string;
  output?: string;
  /** The help thread it became, once posted. */
  postedIn?: string;
}

const SETTINGS_CACHE_MS = 30_000;
const DRAFT_TTL_SECONDS = 86_400;

export class TeamStore {
  readonly keys: TeamKeys;
  private readonly listeners = new Set<TeamEventListener>();
  private readonly cached = new Map<string, { settings: TeamSettings; until: number }>();

  constructor(
    readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = teamKeys(prefix);
  }

  /** Called in this process after each event is stored (the Discord side grants roles, offers peer help). */
  onEvent(listener: TeamEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async record(event: LearningEvent): Promise<void> {
    const guildId = event.guildId ?? DIRECT_GUILD;
    const k = this.keys;
    const { tz } = await this.recentSettings(guildId);
    const day = localDay(event.at, tz);
    const learner = event.learnerId;
    const isNew = (await this.redis.zscore(k.learners(guildId), learner)) === null;
    const m = this.redis.multi();
    m.sadd(k.guilds(), guildId).sadd(k.learnerGuilds(learner), guildId);
    m.zadd(k.learners(guildId), event.at, learner);
    m.hsetnx(k.learner(guildId, learner), 'first', String(event.at)).hset(k.learner(guildId, learner), 'last', String(event.at));
    m.xadd(k.events(guildId), 'MAXLEN', '~', EVENT_STREAM_MAX, '*', ...streamFields({ ...event, guildId }));
    const bucket = (b: Bucket, member: string, kind: 'set' | 'count') => {
      for (const key of [k.day(guildId, day, b), k.allTime(guildId, b)]) {
        if (kind === 'set') m.sadd(key, member);
        else m.zincrby(key, 1, member);
      }
      m.expire(k.day(guildId, day, b), DAY_BUCKET_TTL_SECONDS);
    };
    if (isNew) bucket(BUCKETS.newcomers, learner, 'set');
    const lesson = event.lessonId ?? '';
    const step = event.step ?? 0;
    switch (event.type) {
      case 'lesson-started':
        m.hset(k.learner(guildId, learner), 'lesson', lesson, 'step', String(step), 'passed', String(Math.max(0, step - 1)));
        bucket(BUCKETS.started, `${lesson}|${learner}`, 'set');
        break;
      case 'step-passed':
        m.hset(k.learner(guildId, learner), 'lesson', lesson, 'step', String(step), 'passed', String(step));
        m.zadd(k.days(guildId, learner), day, String(day));
        bucket(BUCKETS.steps, learner, 'count');
        break;
      case 'lesson-completed':
        m.hset(k.learner(guildId, learner), 'lesson', '', 'step', '0', 'passed', '0');
        m.sadd(k.done(guildId, learner), lesson).sadd(k.rolesPending(guildId), learner);
        bucket(BUCKETS.finished, `${lesson}|${learner}`, 'set');
        break;
      case 'hint-used':
        m.hincrby(k.learner(guildId, learner), 'hints', 1);
        break;
      case 'stuck':
        m.hincrby(k.learner(guildId, learner), 'stuck', 1).hincrby(k.stuckAt(guildId, learner), `${lesson}#${step}`, 1);
        bucket(BUCKETS.stuck, `${lesson}#${step}|${learner}`, 'set');
        break;
      case 'question-asked':
        m.hincrby(k.learner(guildId, learner), 'questions', 1);
        break;
    }
    await m.exec();
    for (const listener of this.listeners) {
      try {
        listener({ ...event, guildId });
      } catch {
        // A listener's trouble is its own; the event is stored.
      }
    }
  }

  // ---- settings ----

  /** The settings as they are now: an admin's change (boards off, the export role) counts at once in every process. */
  async settings(guildId: string): Promise<TeamSettings> {
    const settings = parseSettings(await this.redis.hgetall(this.keys.settings(guildId)));
    this.cached.set(guildId, { settings, until: Date.now() + SETTINGS_CACHE_MS });
    return settings;
  }

  /** The settings as of at most 30 s ago, for recording events: their time zone rarely changes. */
  private async recentSettings(guildId: string): Promise<TeamSettings> {
    const hit = this.cached.get(guildId);
    if (hit && hit.until > Date.now()) return hit.settings;
    return this.settings(guildId);
  }

  /** Sets (or, with undefined, clears) settings; the change is seen at once in this process. */
  async setSettings(guildId: string, patch: Partial<Record<SettingName, string | undefined>>): Promise<TeamSettings> {
    const key = this.keys.settings(guildId);
    const m = this.redis.multi();
    for (const [name, value] of Object.entries(patch)) {
      if (value === undefined) m.hdel(key, name);
      else m.hset(key, name, value);
    }
    m.sadd(this.keys.guilds(), guildId);
    await m.exec();
    this.cached.delete(guildId);
    return this.settings(guildId);
  }

  /** The server's secret for anonymous ids, made on first use. */
  async salt(guildId: string): Promise<string> {
    const key = this.keys.settings(guildId);
    await this.redis.hsetnx(key, 'salt', randomBytes(16).toString('hex'));
    return (await this.redis.hget(key, 'salt'))!;
  }

  async guilds(): Promise<string[]> {
    return this.redis.smembers(this.keys.guilds());
  }

  // ---- privacy and reminders ----

  /** Shown by this name on boards, digests and exports (a name), or counted only (undefined). */
  async setVisible(guildId: string, learnerId: string, name: string | undefined): Promise<void> {
    if (name === undefined) await this.redis.hdel(this.keys.visible(guildId), learnerId);
    else await this.redis.multi().hset(this.keys.visible(guildId), learnerId, name).sadd(this.keys.learnerGuilds(learnerId), guildId).exec();
  }

  async visibleNames(guildId: string): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.keys.visible(guildId))));
  }

  async isVisible(guildId: string, learnerId: string): Promise<boolean> {
    return (await this.redis.hexists(this.keys.visible(guildId), learnerId)) === 1;
  }

  async setReminder(guildId: string, learnerId: string, on: boolean): Promise<void> {
    if (on) await this.redis.multi().sadd(this.keys.remind(guildId), learnerId).sadd(this.keys.learnerGuilds(learnerId), guildId).exec();
    else await this.redis.srem(this.keys.remind(guildId), learnerId);
  }

  async wantsReminder(guildId: string, learnerId: string): Promise<boolean> {
    return (await this.redis.sismember(this.keys.remind(guildId), learnerId)) === 1;
  }

  async remindees(guildId: string): Promise<string[]> {
    return this.redis.smembers(this.keys.remind(guildId));
  }

  /** Local days with a passed step, newest first (enough for any streak worth showing). */
  async activeDays(guildId: string, learnerId: string, max = 400): Promise<number[]> {
    return (await this.redis.zrevrange(this.keys.days(guildId, learnerId), 0, max - 1)).map(Number);
  }

  /** The same for several learners, in one round trip, in the order given. */
  async activeDaysOf(guildId: string, learnerIds: readonly string[], max = 400): Promise<number[][]> {
    const p = this.redis.pipeline();
    for (const id of learnerIds) p.zrevrange(this.keys.days(guildId, id), 0, max - 1);
    return ((await p.exec()) ?? []).map(([err, days]) => {
      if (err) throw err;
      return (days as string[]).map(Number);
    });
  }

  // ---- completion roles ----

  async setRole(guildId: string, target: string, roleId: string | undefined): Promise<void> {
    if (roleId === undefined) await this.redis.hdel(this.keys.roles(guildId), target);
    else await this.redis.hset(this.keys.roles(guildId), target, roleId);
  }

  async roleMap(guildId: string): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.keys.roles(guildId))));
  }

  async pendingRoles(guildId: string): Promise<string[]> {
    return this.redis.smembers(this.keys.rolesPending(guildId));
  }

  /** Remembers roles given; a settled learner leaves the pending set (else the next sweep tries again). */
  async recordGranted(guildId: string, learnerId: string, granted: readonly string[], opts: { settled: boolean }): Promise<void> {
    const m = this.redis.multi();
    if (opts.settled) m.srem(this.keys.rolesPending(guildId), learnerId);
    if (granted.length > 0) m.sadd(this.keys.granted(guildId, learnerId), ...granted);
    await m.exec();
  }

  async grantedRoles(guildId: string, learnerId: string): Promise<Set<string>> {
    return new Set(await this.redis.smembers(this.keys.granted(guildId, learnerId)));
  }

  async lessonsDone(guildId: string, learnerId: string): Promise<Set<string>> {
    return new Set(await this.redis.smembers(this.keys.done(guildId, learnerId)));
  }

  // ---- cohorts ----

  async saveCohort(guildId: string, cohort: Cohort): Promise<void> {
    await this.redis.hset(this.keys.cohorts(guildId), cohort.name, JSON.stringify(cohort));
  }

  async cohort(guildId: string, name: string): Promise<Cohort | undefined> {
    const raw = await this.redis.hget(this.keys.cohorts(guildId), name);
    return raw ? (JSON.parse(raw) as Cohort) : undefined;
  }

  async cohortNames(guildId: string): Promise<string[]> {
    return (await this.redis.hkeys(this.keys.cohorts(guildId))).sort();
  }

  async joinCohort(guildId: string, name: string, learnerId: string, join: boolean): Promise<void> {
    if (join) await this.redis.multi().sadd(this.keys.cohortMembers(guildId, name), learnerId).sadd(this.keys.learnerGuilds(learnerId), guildId).exec();
    else await this.redis.srem(this.keys.cohortMembers(guildId, name), learnerId);
  }

  async cohortMembers(guildId: string, name: string): Promise<string[]> {
    return this.redis.smembers(this.keys.cohortMembers(guildId, name));
  }

  // ---- peer help ----

  async saveDraft(learnerId: string, draft: HelpDraft): Promise<string> {
    const key = randomBytes(6).toString('base64url');
    await this.redis.multi().set(this.keys.draft(learnerId, key), JSON.stringify(draft), 'EX', DRAFT_TTL_SECONDS).exec();
    return key;
  }

  async draft(learnerId: string, key: string): Promise<HelpDraft | undefined> {
    const raw = await this.redis.get(this.keys.draft(learnerId, key));
    return raw ? (JSON.parse(raw) as HelpDraft) : undefined;
  }

  /** Takes a draft to post it: only one of two quick presses gets it (the other finds it gone, or posted). */
  async takeDraft(learnerId: string, key: string): Promise<HelpDraft | undefined> {
    const raw = await this.redis.getdel(this.keys.draft(learnerId, key));
    const draft = raw ? (JSON.parse(raw) as HelpDraft) : undefined;
    return draft?.postedIn ? (await this.putDraft(learnerId, key, draft), undefined) : draft;
  }

  /** Puts a draft back: not posted after all, or posted (`postedIn`), so a later press can say where. */
  async putDraft(learnerId: string, key: string, draft: HelpDraft): Promise<void> {
    await this.redis.set(this.keys.draft(learnerId, key), JSON.stringify(draft), 'EX', DRAFT_TTL_SECONDS);
  }

  async saveHelp(guildId: string, record: HelpRecord): Promise<void> {
    const { threadId, askerId, lessonId, step, status } = record;
    await this.redis
      .multi()
      .hset(this.keys.help(guildId, threadId), { threadId, askerId, lessonId, step: String(step), status })
      .sadd(this.keys.learnerGuilds(askerId), guildId)
      .exec();
  }

  async help(guildId: string, threadId: string): Promise<HelpRecord | undefined> {
    const raw = await this.redis.hgetall(this.keys.help(guildId, threadId));
    if (!raw['askerId']) return undefined;
    return { threadId, askerId: raw['askerId'], lessonId: raw['lessonId'] ?? '', step: Number(raw['step']), status: raw['status'] === 'solved' ? 'solved' : 'open' };
  }

  /** Marks a help thread solved (once) and credits the helpers who chose to be shown; false if it already was. */
  async solveHelp(guildId: string, threadId: string, helperIds: readonly string[], at: number): Promise<boolean> {
    const key = this.keys.help(guildId, threadId);
    const first = (await this.redis.hsetnx(key, 'solvedAt', String(at))) === 1;
    if (!first) return false;
    const { tz } = await this.settings(guildId);
    const day = localDay(at, tz);
    const m = this.redis.multi().hset(key, 'status', 'solved');
    for (const helper of helperIds) {
      m.zincrby(this.keys.day(guildId, day, BUCKETS.helped), 1, helper).zincrby(this.keys.allTime(guildId, BUCKETS.helped), 1, helper);
    }
    m.expire(this.keys.day(guildId, day, BUCKETS.helped), DAY_BUCKET_TTL_SECONDS);
    await m.exec();
    return true;
  }

  // ---- once ----

  /** True for the one caller (across processes) that may do `what` now; the claim lasts `ttlSeconds`. */
  async claim(guildId: string, what: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(this.keys.claim(guildId, what), String(Date.now()), 'EX', ttlSeconds, 'NX')) === 'OK';
  }

  async release(guildId: string, what: string): Promise<void> {
    await this.redis.del(this.keys.claim(guildId, what));
  }
}

function streamFields(e: TeamEvent): string[] {
  const fields = ['type', e.type, 'learner', e.learnerId, 'at', String(e.at), 'hints', String(e.hintsUsed)];
  if (e.lessonId) fields.push('lesson', e.lessonId);
  if (e.step !== undefined) fields.push('step', String(e.step));
  if (e.detail) fields.push('detail', e.detail);
  return fields;
}
