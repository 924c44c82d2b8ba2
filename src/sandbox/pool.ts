import type Docker from 'dockerode';
import { removeQuietly } from './docker-client.js';
import { describeError } from './types.js';
import { startKeeperContainer, type RunnerContext } from './runner.js';

/**
 * Pre-started keeper containers that hide start-up latency. Each is handed out once and never
 * returns: the taker owns it (and removes it). The pool refills in the background when nudged (the
 * taker does it once its command has answered: a container starting beside the command slows it) and
 * drains on close.
 */
export interface PooledContainer {
  container: Docker.Container;
  /** When the reaper will remove it whatever happens (its hard lifetime). */
  expiresAt: number;
}

export class WarmPool {
  private readonly ready: { container: Docker.Container; since: number }[] = [];
  private starting = 0;
  private closed = false;
  private failures = 0;
  /** The last start failure logged: the same one (a missing image) is said once, not on every retry. */
  private lastFailure = '';
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly ctx: RunnerContext,
    private readonly size: number,
    /** Containers may become learner sessions, so they get the session's hard lifetime. */
    private readonly lifetimeMs: number,
    /** Whether a refill may start now: it costs engine time, which a running command needs more. */
    private readonly hasSpareCapacity: () => boolean = () => true,
    private readonly parallelStarts = 2,
  ) {}

  get readyCount(): number {
    return this.ready.length;
  }

  start(): void {
    this.refill();
  }

  /** Called when load drops, so a pool paused under saturation fills again. */
  nudge(): void {
    this.refill();
  }

  /** A ready container, or undefined when the pool is empty (the caller then starts its own). */
  take(): PooledContainer | undefined {
    // A container that waited too long would not have a session's full lifetime left.
    const freshAfter = Date.now() - this.lifetimeMs / 4;
    let entry = this.ready.shift();
    while (entry && entry.since < freshAfter) {
      removeQuietly(entry.container).catch(() => {});
      entry = this.ready.shift();
    }
    return entry && { container: entry.container, expiresAt: entry.since + this.lifetimeMs };
  }

  /** Drops a container that died while waiting (the engine's event stream said so); the pool refills. */
  drop(containerId: string): void {
    const at = this.ready.findIndex((e) => e.container.id === containerId);
    if (at < 0) return;
    const [gone] = this.ready.splice(at, 1);
    if (gone) removeQuietly(gone.container).catch(() => {});
    this.refill();
  }

  /** Drops every ready container: after an engine restart none of them is alive. */
  dropAll(): void {
    for (const gone of this.ready.splice(0)) removeQuietly(gone.container).catch(() => {});
  }

  /** The engine answers again: refill now, without the back-off its outage built up. */
  engineBack(): void {
    this.failures = 0;
    this.refill();
  }

  /** Resolves once the pool is full (or cannot fill); used by benchmarks and tests. */
  async whenFull(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.closed && this.ready.length < this.size && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async drain(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    const all = this.ready.splice(0);
    await Promise.allSettled(all.map((e) => removeQuietly(e.container)));
  }

  private refill(): void {
    while (
      !this.closed &&
      this.ready.length + this.starting < this.size &&
      this.starting < this.parallelStarts &&
      this.hasSpareCapacity()
    ) {
      this.starting += 1;
      const p = this.startOne().finally(() => {
        this.starting -= 1;
        this.inFlight.delete(p);
        // Back off after repeated failures instead of spinning against a broken engine.
        if (this.failures === 0) this.refill();
        else setTimeout(() => this.refill(), Math.min(30_000, 500 * 2 ** this.failures)).unref();
      });
      this.inFlight.add(p);
    }
  }

  private async startOne(): Promise<void> {
    try {
      const since = Date.now();
      const container = await startKeeperContainer(this.ctx, this.lifetimeMs);
      if (this.closed) {
        await removeQuietly(container).catch(() => {});
        return;
      }
      this.ready.push({ container, since });
      this.failures = 0;
      this.lastFailure = '';
    } catch (err) {
      this.failures = Math.min(this.failures + 1, 6);
      const said = describeError(err);
      if (said !== this.lastFailure) this.ctx.log.warn('could not start a warm sandbox container', said);
      this.lastFailure = said;
    }
  }
}
