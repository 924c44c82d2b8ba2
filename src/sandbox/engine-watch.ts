// Watches the Docker engine through its event stream, to tell an engine restart from a learner's own result.
// When dockerd shuts down it kills every container (exit 137 or 143, output cut, sometimes a grpc error in
// the stream) and then closes its API, which ends the event stream: the stream's end is the mark. The same
// stream says when one of our containers dies, so a warm pool can drop dead containers at once.
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import type { Logger } from '../log.js';
import { LABEL } from './spec.js';

/** How long a suspicious result waits for the stream to end or the engine to stop answering. */
const RESTART_SETTLE_MS = 3_000;
const PING_TIMEOUT_MS = 1_500;

type DieListener = (containerId: string) => void;

export class EngineWatch {
  /** Bumps each time the event stream is lost: an engine restart (or outage) happened since a run read it. */
  private lost = 0;
  private stream: Readable | undefined;
  private closed = false;
  private retryMs = 250;
  private timer: NodeJS.Timeout | undefined;
  private readonly onDie = new Set<DieListener>();
  private readonly onLost = new Set<() => void>();
  private readonly onBack = new Set<() => void>();

  constructor(
    private readonly docker: Docker,
    /** SENSEI_PREFIX: only this app's containers are watched. */
    private readonly prefix: string,
    private readonly log: Logger,
  ) {}

  /** Starts watching; the stream is re-opened by itself whenever it is lost. */
  start(): void {
    void this.connect();
  }

  /** A number that changes when the engine restarts; read it before a run, compare after with restartedSince. */
  get epoch(): number {
    return this.lost;
  }

  /** Calls `listener` with the id of each of this app's containers that dies. */
  whenDies(listener: DieListener): void {
    this.onDie.add(listener);
  }

  /** Calls `listener` each time the engine goes away (every container it ran is dead by then). */
  whenLost(listener: () => void): void {
    this.onLost.add(listener);
  }

  /** Calls `listener` each time the engine answers again after it went away. */
  whenBack(listener: () => void): void {
    this.onBack.add(listener);
  }

  /**
   * Whether the engine restarted (or went away) since `epoch`. A result that looks like a killed command
   * asks this: the event stream ends a moment after the engine's kills, so it waits a little for that,
   * and a ping that fails counts too.
   */
  async restartedSince(epoch: number, settleMs = RESTART_SETTLE_MS): Promise<boolean> {
    const until = Date.now() + settleMs;
    for (;;) {
      if (this.lost !== epoch) return true;
      if (!(await this.answers())) return true;
      if (Date.now() >= until) return false;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Whether the engine answers a ping within a short bound. */
  async answers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.docker.ping().then(() => true, () => false), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.stream?.destroy();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    let stream: Readable;
    try {
      stream = (await this.docker.getEvents({ filters: { type: ['container'], label: [`${LABEL.app}=${this.prefix}`] } })) as unknown as Readable;
    } catch {
      this.retryLater();
      return;
    }
    if (this.closed) {
      stream.destroy();
      return;
    }
    this.stream = stream;
    this.retryMs = 250;
    if (this.lost > 0) for (const listener of this.onBack) listener();
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        this.event(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.stream = undefined;
      if (this.closed) return;
      this.lost += 1;
      this.log.warn('the Docker engine went away (its event stream ended); watching for it to come back');
      for (const listener of this.onLost) listener();
      this.retryLater();
    };
    stream.on('end', end);
    stream.on('close', end);
    stream.on('error', end);
  }

  private event(line: string): void {
    let parsed: { Action?: string; id?: string };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.Action === 'die' && parsed.id) for (const listener of this.onDie) listener(parsed.id);
  }

  private retryLater(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.connect(), this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, 5_000);
  }
}

/** Output that shows the engine's own machinery failing mid-command rather than anything the learner ran. */
export function looksLikeEngineFailure(text: string): boolean {
  return /grpc: the client connection is closing|containerd: connection (?:closed|refused)|transport is closing/i.test(text);
}
