// What learners asked that no card answered, and how they rated the cards that did, in Redis under the
// install's prefix; `sensei ask gaps` reads it so the cards grow where learners need them. A learner's part
// of both goes with /forget (forgetLearner).

import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Lang } from '../lessons/languages.js';
import { normalizeText } from './tokenize.js';

/** Unanswered questions kept at most; past it, the least asked go first. */
export const MAX_GAPS = 5000;
const MAX_GAP_TEXT = 300;

export interface Gap {
  text: string;
  lang: Lang;
  count: number;
  learners: number;
  lastSeen: Date;
}

export interface CardRating {
  cardId: string;
  up: number;
  down: number;
  /** (up + 1) / (up + down + 2): a card with one 👎 is not yet the worst of all. */
  score: number;
}

export type Vote = 'up' | 'down';

/** The text a gap is counted under: one form for "What is X?", "what is x" and "what  is X ？". */
export function normalizeGapText(question: string): string {
  const flat = normalizeText(question).replace(/\s+/g, ' ').replace(/[\s?？!！。.、,]+$/u, '').trim();
  return [...flat].slice(0, MAX_GAP_TEXT).join('');
}

const RECORD_GAP = `
local id, text, lang, now, learner, cap, prefix = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6]), ARGV[7]
redis.call('zincrby', KEYS[1], 1, id)
redis.call('hset', KEYS[2], 'text', text, 'lang', lang, 'last', now)
redis.call('hincrby', KEYS[4], id, 1)
redis.call('sadd', KEYS[3], learner)
-- Over the cap: drop the least asked, the longest unseen among equals, never the question just asked.
local over = redis.call('zcard', KEYS[1]) - cap
while over > 0 do
  local low = redis.call('zrange', KEYS[1], 0, 31, 'WITHSCORES')
  local victim, victimScore, victimLast = nil, nil, nil
  for i = 1, #low, 2 do
    local member, score = low[i], tonumber(low[i + 1])
    if victimScore and score > victimScore then break end
    if member ~= id then
      local last = tonumber(redis.call('hget', prefix .. 'gap:' .. member, 'last') or '0')
      if not victim or last < victimLast then victim, victimScore, victimLast = member, score, last end
    end
  end
  if not victim then break end
  redis.call('zrem', KEYS[1], victim)
  redis.call('del', prefix .. 'gap:' .. victim, prefix .. 'gap-learners:' .. victim)
  over = over - 1
end
return 1`;

const FORGET = `
local learner, prefix = ARGV[1], ARGV[2]
local asked = redis.call('hgetall', KEYS[1])
for i = 1, #asked, 2 do
  local id, n = asked[i], tonumber(asked[i + 1])
  if redis.call('zscore', KEYS[2], id) then
    local left = tonumber(redis.call('zincrby', KEYS[2], -n, id))
    redis.call('srem', prefix .. 'gap-learners:' .. id, learner)
    if left <= 0 then
      redis.call('zrem', KEYS[2], id)
      redis.call('del', prefix .. 'gap:' .. id, prefix .. 'gap-learners:' .. id)
    end
  end
end
local votes = redis.call('hgetall', KEYS[3])
for i = 1, #votes, 2 do
  redis.call('hincrby', prefix .. 'rating-' .. votes[i + 1], votes[i], -1)
end
redis.call('del', KEYS[1], KEYS[3])
return #asked / 2 + #votes / 2`;

const VOTE = `
local old = redis.call('hget', KEYS[1], ARGV[1])
if old == ARGV[2] then return 0 end
if old then redis.call('hincrby', ARGV[3] .. old, ARGV[1], -1) end
redis.call('hincrby', ARGV[3] .. ARGV[2], ARGV[1], 1)
redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
return 1`;

export class AskGaps {
  private readonly base: string;

  private readonly maxGaps: number;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    opts: { maxGaps?: number } = {},
  ) {
    this.base = `${prefix}:ask:`;
    this.maxGaps = opts.maxGaps ?? MAX_GAPS;
  }

  private key = {
    gaps: () => `${this.base}gaps`,
    gap: (id: string) => `${this.base}gap:${id}`,
    gapLearners: (id: string) => `${this.base}gap-learners:${id}`,
    learnerGaps: (learnerId: string) => `${this.base}learner-gaps:${learnerId}`,
    learnerVotes: (learnerId: string) => `${this.base}learner-votes:${learnerId}`,
    rating: (vote: Vote) => `${this.base}rating-${vote}`,
  };

  /** Keeps a question no card answered with confidence (its normalised text, count, last seen, who asked). */
  async recordUnanswered(question: string, lang: Lang, learnerId: string, now = new Date()): Promise<void> {
    const text = normalizeGapText(question);
    if (text === '') return;
    const id = createHash('sha1').update(`${lang}\0${text}`).digest('hex').slice(0, 16);
    await this.redis.eval(
      RECORD_GAP,
      4,
      this.key.gaps(),
      this.key.gap(id),
      this.key.gapLearners(id),
      this.key.learnerGaps(learnerId),
      id,
      text,
      lang,
      String(now.getTime()),
      learnerId,
      String(this.maxGaps),
      this.base,
    );
  }

  /** A learner's 👍/👎 on a card; a learner has one vote per card, and the latest counts. */
  async rate(cardId: string, learnerId: string, vote: Vote): Promise<void> {
    await this.redis.eval(VOTE, 1, this.key.learnerVotes(learnerId), cardId, vote, `${this.base}rating-`);
  }

  /** Removes everything one learner added: their share of each gap's count, their votes. */
  async forgetLearner(learnerId: string): Promise<void> {
    await this.redis.eval(FORGET, 3, this.key.learnerGaps(learnerId), this.key.gaps(), this.key.learnerVotes(learnerId), learnerId, this.base);
  }

  /** The most asked unanswered questions, most asked first (the latest first among equals). */
  async topGaps(limit = 20): Promise<Gap[]> {
    const flat = await this.redis.zrevrange(this.key.gaps(), 0, Math.max(0, limit * 2 - 1), 'WITHSCORES');
    const gaps: Gap[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const id = flat[i]!;
      const [fields, learners] = await Promise.all([this.redis.hgetall(this.key.gap(id)), this.redis.scard(this.key.gapLearners(id))]);
      if (!fields.text) continue;
      gaps.push({ text: fields.text, lang: fields.lang === 'ja' ? 'ja' : 'en', count: Number(flat[i + 1]), learners, lastSeen: new Date(Number(fields.last)) });
    }
    return gaps.sort((a, b) => b.count - a.count || b.lastSeen.getTime() - a.lastSeen.getTime()).slice(0, limit);
  }

  /** The cards rated worst, with at least one 👎. */
  async worstCards(limit = 10): Promise<CardRating[]> {
    const [up, down] = await Promise.all([this.redis.hgetall(this.key.rating('up')), this.redis.hgetall(this.key.rating('down'))]);
    return Object.entries(down)
      .map(([cardId, d]) => {
        const u = Math.max(0, Number(up[cardId] ?? 0));
        const n = Math.max(0, Number(d));
        return { cardId, up: u, down: n, score: (u + 1) / (u + n + 2) };
      })
      .filter((r) => r.down > 0)
      .sort((a, b) => a.score - b.score || b.down - a.down || a.cardId.localeCompare(b.cardId))
      .slice(0, limit);
  }
}

/** The plain-text report `sensei ask gaps` prints. */
export function formatGapsReport(gaps: readonly Gap[], ratings: readonly CardRating[]): string {
  const lines = ['Most asked questions without a confident answer:'];
  if (gaps.length === 0) lines.push('  (none yet)');
  for (const g of gaps) {
    lines.push(`  ${String(g.count).padStart(4)}×  [${g.lang}] ${g.text}  (${g.learners} learner${g.learners === 1 ? '' : 's'}, last ${g.lastSeen.toISOString().slice(0, 16).replace('T', ' ')})`);
  }
  lines.push('', 'Worst-rated cards (👍 / 👎):');
  if (ratings.length === 0) lines.push('  (no 👎 yet)');
  for (const r of ratings) lines.push(`  ${r.cardId.padEnd(36)} ${String(r.up).padStart(3)} / ${String(r.down).padEnd(3)} score ${r.score.toFixed(2)}`);
  return lines.join('\n');
}
