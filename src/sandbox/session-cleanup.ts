import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { DEL_IF_EQUALS, type RedisKeys } from '../store/redis.js';
import { killLearnerProcesses } from './runner.js';

/**
 * The clean-ups after session commands (killing what the learner left running), which run after the reply. A
 * session's next command waits for the previous clean-up: this worker's from memory; another worker's is seen by
 * its marker in Redis, and then simply done again here (killing is idempotent), so nothing can escape it.
 */
export class SessionCleanups {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    /** How long a marker may live: a clean-up ends within the command's outside-kill backstop. */
    readonly markerTtlMs: number,
  ) {}

  /** A marker of one command's clean-up: the clean-up deletes the marker only while it is still its own. */
  newMarker(): string {
    return randomBytes(6).toString('hex');
  }

  /**
   * Marks the session as being cleaned up, while the command's exec is created (the command starts only once the
   * marker is set): a worker that takes the next command sees it until the clean-up after this one is done.
   */
  mark(sessionId: string, marker: string): Promise<unknown> {
    const marked = this.redis.set(this.keys.sessionCleanup(sessionId), marker, 'PX', this.markerTtlMs);
    marked.catch(() => {}); // Rejections surface where the command awaits it before it starts.
    return marked;
  }

  /**
   * Follows a clean-up in flight; once it is done and `marked` (what set `marker`) has run, the marker goes, unless
   * a later command of the session has set its own meanwhile.
   */
  track(sessionId: string, cleanedUp: Promise<void>, marked: Promise<unknown>, marker: string): void {
    const done: Promise<void> = Promise.allSettled([cleanedUp, marked])
      .then(() => this.redis.eval(DEL_IF_EQUALS, 1, this.keys.sessionCleanup(sessionId), marker))
      .then(
        () => undefined,
        () => undefined, // A marker left behind expires; the next command then cleans up once more.
      )
      .finally(() => {
        if (this.pending.get(sessionId) === done) this.pending.delete(sessionId);
      });
    this.pending.set(sessionId, done);
  }

  /**
   * Before a session's next command. `marked`: whether Redis still had the session's marker when the session
   * was read. Rejects only when a clean-up done here fails (the caller then ends the session's container).
   */
  async settle(sessionId: string, container: Docker.Container, marked: boolean): Promise<void> {
    const ours = this.pending.get(sessionId);
    if (ours) return ours;
    if (marked) await killLearnerProcesses(container);
  }

  /** Resolves when every clean-up this worker started is done. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
  }
}
