import type { Redis } from 'ioredis';

/**
 * The places in line of the jobs one producer waits for, read for all of them at once: one LRANGE of the wait
 * list per reading, however many learners wait (a reading per job every second stalled the bot under load).
 */
export class PlacesInLine {
  private readonly watchers = new Map<string, (position: number) => void>();
  private timer: NodeJS.Timeout | undefined;
  private next: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly waitKey: string,
    private readonly intervalMs: number,
  ) {}

  /**
   * Tells `onPosition` the job's 1-based place (workers take jobs from the right end of the list) at every
   * reading while it waits. Resolves after the first reading with a function that stops watching.
   */
  async watch(jobId: string, onPosition: (position: number) => void): Promise<() => void> {
    this.watchers.set(jobId, onPosition);
    this.timer ??= setInterval(() => void this.read(), this.intervalMs);
    await this.readSoon();
    return () => {
      this.watchers.delete(jobId);
      if (this.watchers.size > 0) return;
      clearInterval(this.timer);
      this.timer = undefined;
    };
  }

  /** Jobs added in the same turn of the event loop share one reading. */
  private readSoon(): Promise<void> {
    return (this.next ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.next = undefined;
      return this.read();
    }));
  }

  private async read(): Promise<void> {
    if (this.watchers.size === 0) return;
    // A place in line is a courtesy: when Redis cannot say, the learner just is not told this time.
    const ids = await this.redis.lrange(this.waitKey, 0, -1).catch(() => [] as string[]);
    ids.forEach((id, index) => this.watchers.get(id)?.(ids.length - index));
  }
}
