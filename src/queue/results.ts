// Waiting for jobs' answers: one listener on the queue's event stream for every waiting job (not two per
// job, which passed Node's listener warning at 251), and a slow poll of each job's state, so an answer
// whose event was missed (Redis restarted, the stream trimmed) still arrives.
import { Job, type Queue, type QueueEvents } from 'bullmq';
import type { JobData, JobResult } from './jobs.js';

/** How often a waiting job's state is read directly, in case its event never comes. */
const POLL_MS = 3_000;

export type JobAnswer = { ok: true; value: unknown } | { ok: false; reason: string };

interface Waiting {
  settle(answer: JobAnswer): void;
  /** Only an added job can be polled: before that, "no such job" is not an answer. */
  added: boolean;
}

export class ResultWaiter {
  private readonly waiting = new Map<string, Waiting>();
  private readonly poller: NodeJS.Timeout;
  private polling = false;

  constructor(
    private readonly queue: Queue<JobData, JobResult>,
    events: QueueEvents,
  ) {
    events.on('completed', ({ jobId, returnvalue }) => this.waiting.get(jobId)?.settle({ ok: true, value: returnvalue }));
    events.on('failed', ({ jobId, failedReason }) => this.waiting.get(jobId)?.settle({ ok: false, reason: failedReason }));
    this.poller = setInterval(() => void this.poll(), POLL_MS);
    this.poller.unref();
  }

  /** Registers interest in a job before it is added, so no answer can come too early to be heard. */
  expect(jobId: string, timeoutMs: number): Promise<JobAnswer> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle({ ok: false, reason: `no answer arrived within ${Math.round(timeoutMs / 1000)} s` }), timeoutMs);
      const settle = (answer: JobAnswer) => {
        if (!this.waiting.has(jobId)) return;
        clearTimeout(timer);
        this.waiting.delete(jobId);
        resolve(answer);
      };
      this.waiting.set(jobId, { settle, added: false });
    });
  }

  /** The job is in the queue now: from here on its state may be polled. */
  added(jobId: string): void {
    const waiting = this.waiting.get(jobId);
    if (waiting) waiting.added = true;
  }

  /** Stops waiting for a job (it was never added); its promise stays pending and is dropped. */
  forget(jobId: string): void {
    this.waiting.delete(jobId);
  }

  /** Ends every wait with `reason` (the producer is closing). */
  close(reason: string): void {
    clearInterval(this.poller);
    for (const waiting of [...this.waiting.values()]) waiting.settle({ ok: false, reason });
  }

  private async poll(): Promise<void> {
    if (this.polling || this.waiting.size === 0) return;
    this.polling = true;
    try {
      for (const [jobId, waiting] of [...this.waiting]) {
        if (!waiting.added) continue;
        const answer = await this.stateOf(jobId).catch(() => undefined);
        if (answer) this.waiting.get(jobId)?.settle(answer);
      }
    } finally {
      this.polling = false;
    }
  }

  private async stateOf(jobId: string): Promise<JobAnswer | undefined> {
    // The state first, then the job: a job read before it finished would carry no result yet.
    const state = await this.queue.getJobState(jobId);
    if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return undefined;
    const job = state === 'unknown' ? undefined : await Job.fromId<JobData, JobResult>(this.queue, jobId);
    // Added jobs are never removed while someone waits (results are kept for minutes): gone means lost.
    if (!job) return { ok: false, reason: 'the command was lost by the queue (Redis lost its data)' };
    if (state === 'completed') return { ok: true, value: job.returnvalue };
    return { ok: false, reason: job.failedReason || 'the worker failed' };
  }
}
