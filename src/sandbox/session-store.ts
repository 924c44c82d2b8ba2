import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { RESERVE_SESSION, type RedisKeys } from '../store/redis.js';
import { SessionsFullError } from './types.js';

/** What Redis keeps about a learner's session: its container, on which engine, and its hard end. */
export interface SessionRecord {
  containerId: string;
  engineId: string;
  expiresAt: number;
}

/** A session as opened for a command: its record, and whether the last command's clean-up may still run. */
export interface OpenSession extends SessionRecord {
  cleanupMarked: boolean;
}

/** What opening a session for a command read: the session (if it is usable here), and the records it dropped. */
export interface OpenedSession {
  session?: OpenSession;
  /** A record that was there but cannot serve (another engine, near its end, its TTL not extended): forget it. */
  stale?: { containerId: string; onThisEngine: boolean };
}

/**
 * The session records in Redis, and which container each of this worker's sessions was in when it last saw it
 * (so a command's exec can be created while the record is read; the record still decides).
 */
export class SessionStore {
  /** Session id → container, oldest first; bounded, since sessions also end elsewhere (another worker, their TTL). */
  private readonly lastSeen = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly config: Pick<Config, 'SESSION_IDLE_TTL_MS' | 'SESSION_MAX_LIFETIME_MS' | 'MAX_SESSIONS'>,
    private readonly engineId: string,
    /** A command's wall-clock limit: a session is kept alive at least this long past its command's start. */
    private readonly timeoutMs: number,
  ) {}

  /** The container this worker last saw the session in; a guess, to be checked against open(). */
  lastSeenContainer(sessionId: string): string | undefined {
    return this.lastSeen.get(sessionId);
  }

  /**
   * Reads the session for a command and, in the same round trip, sets the clean-up marker to `marker` (the command
   * will need a clean-up after it): whether a marker was already there says whether the last one may still run.
   */
  async open(sessionId: string, marker: string, markerTtlMs: number): Promise<OpenedSession> {
    const read = await this.redis
      .multi()
      .get(this.keys.session(sessionId))
      .set(this.keys.sessionCleanup(sessionId), marker, 'PX', markerTtlMs, 'GET')
      .pttl(this.keys.session(sessionId))
      .exec();
    if (!read || read.some(([err]) => err)) throw new Error(`Redis failed reading the session: ${read?.find(([err]) => err)?.[0]?.message ?? 'no reply'}`);
    const [raw, previousMarker, ttl] = read.map(([, value]) => value) as [string | null, string | null, number];
    if (!raw) {
      this.lastSeen.delete(sessionId);
      return {};
    }
    const rec = JSON.parse(raw) as SessionRecord;
    // A session on another engine, or near its hard lifetime, is replaced by a fresh one.
    const tooOld = rec.expiresAt < Date.now() + this.timeoutMs + 5_000;
    if (rec.engineId !== this.engineId || tooOld) return { stale: { containerId: rec.containerId, onThisEngine: rec.engineId === this.engineId } };
    // Keep the session alive for the whole command, so neither its TTL nor a reaper ends it mid-run. Its keys
    // always get the same TTL, so when the session's outlasts the command with room to spare, nothing to do.
    const margin = this.timeoutMs + 30_000;
    if (ttl < margin) {
      const hold = this.config.SESSION_IDLE_TTL_MS + margin;
      const held = await this.redis.multi().pexpire(this.keys.session(sessionId), hold).pexpire(this.keys.sessionContainer(rec.containerId), hold).exec();
      if (!held || held.some(([err, ok]) => err || ok !== 1)) return { stale: { containerId: rec.containerId, onThisEngine: true } };
    }
    this.remember(sessionId, rec.containerId);
    return { session: { ...rec, cleanupMarked: previousMarker !== null } };
  }

  /** A place among the live sessions, before a container is taken for one: strangers must not fill the host. */
  async reserve(sessionId: string): Promise<void> {
    const reserved = await this.redis.eval(RESERVE_SESSION, 1, this.keys.liveSessions(), Date.now(), this.config.MAX_SESSIONS, sessionId, Date.now() + this.holdMs());
    if (reserved !== 1) throw new SessionsFullError(this.config.MAX_SESSIONS);
  }

  /** Records a new session's container; throws when Redis did not take it (the caller then removes the container). */
  async save(sessionId: string, rec: SessionRecord): Promise<void> {
    const hold = this.holdMs();
    const saved = await this.redis
      .multi()
      .set(this.keys.session(sessionId), JSON.stringify(rec), 'PX', hold)
      .set(this.keys.sessionContainer(rec.containerId), sessionId, 'PX', hold)
      .set(this.keys.claimed(rec.containerId), sessionId, 'PX', this.config.SESSION_MAX_LIFETIME_MS + 60_000)
      .exec();
    if (!saved || saved.some(([err]) => err)) throw new Error('the session could not be saved in Redis');
    this.remember(sessionId, rec.containerId);
  }

  /** After a command: the session's keys go back to the idle time (they were held for the command). Not awaited by callers. */
  refreshIdle(sessionId: string, containerId: string): Promise<unknown> {
    const idle = this.config.SESSION_IDLE_TTL_MS;
    return this.redis
      .multi()
      .zadd(this.keys.liveSessions(), 'XX', Date.now() + idle, sessionId)
      .pexpire(this.keys.session(sessionId), idle)
      .pexpire(this.keys.sessionContainer(containerId), idle)
      .exec();
  }

  /** The session's container id, if Redis has a record of it. */
  async containerOf(sessionId: string): Promise<{ containerId: string; onThisEngine: boolean } | undefined> {
    const raw = await this.redis.get(this.keys.session(sessionId));
    if (!raw) return undefined;
    const rec = JSON.parse(raw) as SessionRecord;
    return { containerId: rec.containerId, onThisEngine: rec.engineId === this.engineId };
  }

  /** Deletes the session's keys and its place among the live sessions. */
  async forget(sessionId: string, containerId: string): Promise<void> {
    this.lastSeen.delete(sessionId);
    await this.redis.del(this.keys.session(sessionId), this.keys.sessionContainer(containerId), this.keys.sessionCleanup(sessionId));
    await this.redis.zrem(this.keys.liveSessions(), sessionId);
  }

  /** Gives up a place reserved for a session that could not start. */
  async unreserve(sessionId: string): Promise<void> {
    await this.redis.zrem(this.keys.liveSessions(), sessionId);
  }

  private remember(sessionId: string, containerId: string): void {
    this.lastSeen.delete(sessionId);
    this.lastSeen.set(sessionId, containerId);
    // At most as many as can be live at once; the oldest guess goes first (a wrong or missing guess costs nothing but time).
    if (this.lastSeen.size > Math.max(64, this.config.MAX_SESSIONS)) this.lastSeen.delete(this.lastSeen.keys().next().value!);
  }

  private holdMs(): number {
    return this.config.SESSION_IDLE_TTL_MS + this.timeoutMs + 30_000;
  }
}
