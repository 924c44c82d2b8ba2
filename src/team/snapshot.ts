// Reads what the views need, in few round trips (pipelines, and one script per chunk of learners): the learners of a server with their records,
// and the buckets of a range of days (or all time) added up.

import { BUCKETS, type Bucket } from './keys.js';
import type { TeamStore } from './store.js';

export interface MemberRecord {
  learnerId: string;
  /** The lesson they are in now (empty between lessons), the step they reached and the last step passed. */
  lesson?: string;
  step: number;
  passed: number;
  first: number;
  last: number;
  hints: number;
  stuck: number;
  done: Set<string>;
  /** `lesson#step` → times stuck there. */
  stuckAt: Map<string, number>;
  /** Local days with a passed step. */
  days: number[];
}

export interface Buckets {
  /** `lesson|learner` pairs. */
  started: Set<string>;
  finished: Set<string>;
  /** `lesson#step|learner` pairs. */
  stuck: Set<string>;
  steps: Map<string, number>;
  newcomers: Set<string>;
  helped: Map<string, number>;
}

/** Every learner seen in a server, most recently active first. */
export async function learnersOf(store: TeamStore, guildId: string): Promise<{ learnerId: string; last: number }[]> {
  const flat = await store.redis.zrevrange(store.keys.learners(guildId), 0, -1, 'WITHSCORES');
  const out: { learnerId: string; last: number }[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ learnerId: flat[i]!, last: Number(flat[i + 1]) });
  return out;
}

/** Learners read per script call: a big server is read in a few short calls, never one that blocks Redis long. */
const MEMBERS_PER_CALL = 500;

/**
 * Each learner's record, lessons done, steps stuck at and days active, read inside Redis by one script per
 * chunk of learners: a cold `sensei team report` spent most of its time building and parsing the 4,000
 * commands of an equivalent pipeline.
 */
const READ_MEMBERS_LUA = `local out = {}
for i = 1, #KEYS, 4 do
  out[#out + 1] = { redis.call('HGETALL', KEYS[i]), redis.call('SMEMBERS', KEYS[i + 1]), redis.call('HGETALL', KEYS[i + 2]), redis.call('ZREVRANGE', KEYS[i + 3], 0, 399) }
end
return out`;

type RawMember = [hash: string[], done: string[], stuckAt: string[], days: string[]];

/** The records of some learners, in the order given. */
export async function readMembers(store: TeamStore, guildId: string, learnerIds: readonly string[]): Promise<MemberRecord[]> {
  if (learnerIds.length === 0) return [];
  const k = store.keys;
  const p = store.redis.pipeline();
  for (let i = 0; i < learnerIds.length; i += MEMBERS_PER_CALL) {
    const keys = learnerIds.slice(i, i + MEMBERS_PER_CALL).flatMap((id) => [k.learner(guildId, id), k.done(guildId, id), k.stuckAt(guildId, id), k.days(guildId, id)]);
    p.eval(READ_MEMBERS_LUA, keys.length, ...keys);
  }
  const raw: RawMember[] = [];
  for (const [err, chunk] of (await p.exec()) ?? []) {
    if (err) throw err;
    raw.push(...(chunk as RawMember[]));
  }
  return learnerIds.map((learnerId, i) => {
    const [flatHash, done, flatStuck, days] = raw[i] ?? [[], [], [], []];
    const hash = pairsOf(flatHash);
    const num = (name: string) => Number(hash.get(name) ?? 0) || 0;
    const lesson = hash.get('lesson');
    return {
      learnerId,
      ...(lesson ? { lesson } : {}),
      step: num('step'),
      passed: num('passed'),
      first: num('first'),
      last: num('last'),
      hints: num('hints'),
      stuck: num('stuck'),
      done: new Set(done),
      stuckAt: new Map([...pairsOf(flatStuck)].map(([where, n]) => [where, Number(n)])),
      days: days.map(Number),
    };
  });
}

/** A flat `field, value, …` reply as a map. */
function pairsOf(flat: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i]!, flat[i + 1]!);
  return out;
}

/** The buckets of the given local days added up, or the all-time buckets. */
export async function readBuckets(store: TeamStore, guildId: string, days: readonly number[] | 'all'): Promise<Buckets> {
  const k = store.keys;
  const keyOf = (b: Bucket, day?: number) => (day === undefined ? k.allTime(guildId, b) : k.day(guildId, day, b));
  const sources = days === 'all' ? [undefined] : days;
  const p = store.redis.pipeline();
  for (const day of sources) {
    p.smembers(keyOf(BUCKETS.started, day)).smembers(keyOf(BUCKETS.finished, day)).smembers(keyOf(BUCKETS.stuck, day)).smembers(keyOf(BUCKETS.newcomers, day));
    p.zrange(keyOf(BUCKETS.steps, day), '0', '-1', 'WITHSCORES').zrange(keyOf(BUCKETS.helped, day), '0', '-1', 'WITHSCORES');
  }
  const results = (await p.exec()) ?? [];
  const out: Buckets = { started: new Set(), finished: new Set(), stuck: new Set(), newcomers: new Set(), steps: new Map(), helped: new Map() };
  sources.forEach((_, i) => {
    const at = (j: number) => results[i * 6 + j]?.[1];
    for (const m of at(0) as string[]) out.started.add(m);
    for (const m of at(1) as string[]) out.finished.add(m);
    for (const m of at(2) as string[]) out.stuck.add(m);
    for (const m of at(3) as string[]) out.newcomers.add(m);
    addScores(out.steps, at(4) as string[]);
    addScores(out.helped, at(5) as string[]);
  });
  return out;
}

function addScores(into: Map<string, number>, flat: readonly string[]): void {
  for (let i = 0; i + 1 < flat.length; i += 2) into.set(flat[i]!, (into.get(flat[i]!) ?? 0) + Number(flat[i + 1]));
}

/** `lesson|learner` → [lesson, learner]; the lesson part may hold `#step`, never a bar. */
export function splitPair(member: string): [string, string] {
  const bar = member.indexOf('|');
  return [member.slice(0, bar), member.slice(bar + 1)];
}
