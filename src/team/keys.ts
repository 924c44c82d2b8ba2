// The Redis keys of the team features, all under `<prefix>:team:`. Per server: settings, the capped event
// stream, one record per learner, and per-day buckets (plus all-time ones) that boards and digests add up.
// Everything about one learner is named by their id, so /forget can find all of it.

/** Learners who study outside any server (Discord DMs, the console) share this pseudo-server. */
export const DIRECT_GUILD = 'direct';

/** What the per-day and all-time buckets hold. */
export const BUCKETS = {
  /** SET of `lesson|learner`. */
  started: 'started',
  finished: 'finished',
  /** SET of `lesson#step|learner`. */
  stuck: 'stuck',
  /** ZSET learner → steps passed. */
  steps: 'steps',
  /** SET of learners first seen that day. */
  newcomers: 'new',
  /** ZSET helper → answers that solved someone's question. */
  helped: 'helped',
} as const;
export type Bucket = (typeof BUCKETS)[keyof typeof BUCKETS];

/** Day buckets are kept this long, for month boards and digests with room to spare. */
export const DAY_BUCKET_TTL_SECONDS = 400 * 86_400;
/** The event stream of a server keeps about this many events. */
export const EVENT_STREAM_MAX = 50_000;

export function teamKeys(prefix: string) {
  const root = `${prefix}:team`;
  const g = (guildId: string) => `${root}:g:${guildId}`;
  return {
    root,
    guilds: () => `${root}:guilds`,
    learnerGuilds: (learnerId: string) => `${root}:learner-guilds:${learnerId}`,
    /** A peer-help draft: what the learner ran when they got stuck, until they ask or a day passes. */
    draft: (learnerId: string, key: string) => `${root}:draft:${learnerId}:${key}`,
    guildPattern: (guildId: string) => `${g(guildId)}:*`,
    settings: (guildId: string) => `${g(guildId)}:settings`,
    events: (guildId: string) => `${g(guildId)}:events`,
    /** ZSET learner → last active (ms). */
    learners: (guildId: string) => `${g(guildId)}:learners`,
    /** HASH: first, last, lesson, step, passed, hints, stuck, questions. */
    learner: (guildId: string, learnerId: string) => `${g(guildId)}:l:${learnerId}`,
    done: (guildId: string, learnerId: string) => `${g(guildId)}:l:${learnerId}:done`,
    /** HASH `lesson#step` → times stuck there. */
    stuckAt: (guildId: string, learnerId: string) => `${g(guildId)}:l:${learnerId}:stuck`,
    /** ZSET of local day numbers with a passed step. */
    days: (guildId: string, learnerId: string) => `${g(guildId)}:l:${learnerId}:days`,
    /** SET of role ids already granted. */
    granted: (guildId: string, learnerId: string) => `${g(guildId)}:l:${learnerId}:roles`,
    day: (guildId: string, day: number, bucket: Bucket) => `${g(guildId)}:d:${day}:${bucket}`,
    allTime: (guildId: string, bucket: Bucket) => `${g(guildId)}:all:${bucket}`,
    /** HASH learner → the name they are shown by, for those who chose /privacy show. */
    visible: (guildId: string) => `${g(guildId)}:visible`,
    remind: (guildId: string) => `${g(guildId)}:remind`,
    /** HASH target (`lesson:<id>` or `phase:<n>`) → role id. */
    roles: (guildId: string) => `${g(guildId)}:roles`,
    rolesPending: (guildId: string) => `${g(guildId)}:roles-pending`,
    cohorts: (guildId: string) => `${g(guildId)}:cohorts`,
    cohortMembers: (guildId: string, name: string) => `${g(guildId)}:cohort:${name}`,
    help: (guildId: string, threadId: string) => `${g(guildId)}:help:${threadId}`,
    /** Set once when something must happen once (a digest for a period, a reminder for a day). */
    claim: (guildId: string, what: string) => `${g(guildId)}:claim:${what}`,
  };
}

export type TeamKeys = ReturnType<typeof teamKeys>;
