import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../store/redis.js';
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
    private readonly markerTtlMs: number,
  ) {}

  /**
   * Marks the session as being cleaned up, while the command's exec is created (the command starts only once the
   * marker is set): a worker that takes the next command sees it until the clean-up after this one is done.
   */
  mark(sessionId: string): Promise<unknown> {
    const marked = this.redis.set(this.keys.sessionCleanup(sessionId), '1', 'PX', this.markerTtlMs);
    marked.catch(() => {}); // Rejections surface where the command awaits it before it starts.
    return marked;
  }

  /** Follows a clean-up in flight; the marker goes once it is done and `marked` (the MULTI that set it) has run. */
  track(sessionId: string, cleanedUp: Promise<void>, marked: Promise<unknown>): void {
    const done: Promise<void> = Promise.allSettled([cleanedUp, marked])
      .then(() => this.redis.del(this.keys.sessionCleanup(sessionId)))
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
