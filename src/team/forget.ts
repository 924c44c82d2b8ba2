// /forget for the team features: every trace of one learner in every server, found by their id.

import { scanKeys } from '../store/redis.js';
import { BUCKETS } from './keys.js';
import type { TeamStore } from './store.js';

/** SCAN MATCH treats these as wildcards; a learner id is matched literally. */
const globEscape = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
const STREAM_PAGE = 1000;

export async function forgetTeamLearner(store: TeamStore, learnerId: string): Promise<void> {
  const { redis, keys } = store;
  const id = globEscape(learnerId);
  for (const guildId of await redis.smembers(keys.learnerGuilds(learnerId))) {
    const m = redis
      .multi()
      .del(keys.learner(guildId, learnerId), keys.done(guildId, learnerId), keys.stuckAt(guildId, learnerId), keys.days(guildId, learnerId), keys.granted(guildId, learnerId))
      .zrem(keys.learners(guildId), learnerId)
      .hdel(keys.visible(guildId), learnerId)
      .srem(keys.remind(guildId), learnerId)
      .srem(keys.rolesPending(guildId), learnerId);
    for (const name of await store.cohortNames(guildId)) m.srem(keys.cohortMembers(guildId, name), learnerId);
    await m.exec();
    const guildRoot = keys.guildPattern(guildId).slice(0, -1);
    for (const key of [...(await scanKeys(store.redis, `${guildRoot}d:*`)), ...(await scanKeys(store.redis, `${guildRoot}all:*`))]) await forgetInBucket(store, key, learnerId, id);
    for (const key of await scanKeys(store.redis, `${guildRoot}help:*`)) {
      if ((await redis.hget(key, 'askerId')) === learnerId) await redis.del(key);
    }
    const claims = await scanKeys(store.redis, `${guildRoot}claim:*${id}*`);
    if (claims.length > 0) await redis.del(...claims);
    await forgetInStream(store, keys.events(guildId), learnerId);
  }
  const drafts = await scanKeys(store.redis, keys.draft(id, '*'));
  await redis.del(keys.learnerGuilds(learnerId), ...drafts);
}

async function forgetInBucket(store: TeamStore, key: string, learnerId: string, escapedId: string): Promise<void> {
  const bucket = key.slice(key.lastIndexOf(':') + 1);
  if (bucket === BUCKETS.steps || bucket === BUCKETS.helped) {
    await store.redis.zrem(key, learnerId);
    return;
  }
  if (bucket === BUCKETS.newcomers) {
    await store.redis.srem(key, learnerId);
    return;
  }
  // started, finished, stuck: members end in `|<learner>`.
  let cursor = '0';
  do {
    const [next, found] = await store.redis.sscan(key, cursor, 'MATCH', `*|${escapedId}`, 'COUNT', 500);
    cursor = next;
    const mine = found.filter((member) => member.endsWith(`|${learnerId}`));
    if (mine.length > 0) await store.redis.srem(key, ...mine);
  } while (cursor !== '0');
}

async function forgetInStream(store: TeamStore, key: string, learnerId: string): Promise<void> {
  let start = '-';
  for (;;) {
    const page = await store.redis.xrange(key, start, '+', 'COUNT', STREAM_PAGE);
    const mine = page.filter(([, fields]) => fieldOf(fields, 'learner') === learnerId).map(([entryId]) => entryId);
    if (mine.length > 0) await store.redis.xdel(key, ...mine);
    if (page.length < STREAM_PAGE) return;
    start = `(${page.at(-1)![0]}`;
  }
}

function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
