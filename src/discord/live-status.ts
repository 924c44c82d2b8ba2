// The live status of a command run from an interaction: once the command takes a while, its deferred reply says
// where it runs and, only while someone really is ahead, its place in line. One edit at a time, the latest only.

import type { RepliableInteraction } from 'discord.js';
import type { Lang } from '../lessons/index.js';
import type { Progress } from '../queue/jobs.js';
import type { LearnerState } from '../tutor/state.js';
import { buildMessage } from './format.js';
import { TEXT, type RunPlace } from './texts.js';

/** Discord allows 50 requests a second for the whole bot: a place in line is shown at most every 2 s. */
const QUEUED_EDIT_INTERVAL_MS = 2_000;

/**
 * Edits that show a place in line, counted for the whole bot: when a hundred learners wait, every place moves at
 * once, and an edit for each every 2 s took the bot's event loop (and Discord's 50 requests a second). An edit
 * refused here is simply skipped; the place is shown at the next change.
 */
export class PlaceEditBudget {
  private tokens: number;
  private last = Date.now();

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Where a learner's commands run, from the context the tutor keeps for them. */
export function placeOf(context: LearnerState['context']): RunPlace {
  if (context?.kind === 'host') return { kind: 'host' };
  if (context?.kind === 'container') return { kind: 'container', name: context.name };
  return { kind: 'sandbox' };
}

/**
 * A status is shown only once the command has taken this long: a quick command's "running…" would be replaced by
 * its result within a moment (Discord shows "thinking…" meanwhile), and each edit costs the bot a request.
 */
export const STATUS_GRACE_MS = 1_000;

export interface LiveStatus {
  /** For HandleOptions.onProgress; a place given with the progress (by the core) wins over the context's. */
  onProgress(p: Progress, place?: RunPlace): void;
  /**
   * Call when the result is ready: a status not yet sent is dropped (the result replaces it), and this resolves
   * once the edit in flight, if any, is done (or failed), so the result always comes after it.
   */
  settled(): Promise<void>;
}

/**
 * The deferred reply of a command run shows the latest status: at most one edit in flight, a status replaced
 * before it could be sent is never sent, and nothing is shown before `graceMs`.
 */
export function liveStatus(i: RepliableInteraction, lang: Lang, contextPlace: RunPlace, expired: () => boolean, places?: PlaceEditBudget, graceMs = STATUS_GRACE_MS): LiveStatus {
  const born = Date.now();
  let shown = '';
  /** The newest status not yet sent. */
  let pending: string | undefined;
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let done = false;
  let lastQueuedEdit = 0;
  const send = (): void => {
    timer = undefined;
    if (done || inFlight || pending === undefined || pending === shown || expired()) return;
    const content = pending;
    pending = undefined;
    shown = content;
    inFlight = i
      .editReply(buildMessage({ content }))
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        inFlight = undefined;
        send();
      });
  };
  const status = (content: string): void => {
    if (done) return;
    pending = content;
    const wait = born + graceMs - Date.now();
    if (wait > 0) timer ??= setTimeout(send, wait);
    else send();
  };
  return {
    onProgress: (p, place) => {
      if (p.stage === 'queued') {
        // Position 1 is next in line: nobody is ahead, so there is no wait worth showing.
        if (p.position <= 1 || Date.now() - lastQueuedEdit < QUEUED_EDIT_INTERVAL_MS || places?.take() === false) return;
        lastQueuedEdit = Date.now();
        status(TEXT.queued(lang, p.position - 1));
      } else if (p.stage === 'started') {
        status(TEXT.running(lang, place ?? contextPlace));
      }
    },
    settled: async () => {
      done = true;
      pending = undefined;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
