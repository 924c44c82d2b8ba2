// The live status of a command run from an interaction: its deferred reply says where the command runs
// and, only while someone really is ahead, its place in line. Edits go one after another and are rate-kept.

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

export interface LiveStatus {
  /** For HandleOptions.onProgress; a place given with the progress (by the core) wins over the context's. */
  onProgress(p: Progress, place?: RunPlace): void;
  /** Resolves once every status edit has been made (or failed), so the result comes after them. */
  settled(): Promise<void>;
}

export function liveStatus(i: RepliableInteraction, lang: Lang, contextPlace: RunPlace, expired: () => boolean, places?: PlaceEditBudget): LiveStatus {
  let shown = '';
  let edits: Promise<void> = Promise.resolve();
  let lastQueuedEdit = 0;
  const status = (content: string): void => {
    if (content === shown || expired()) return;
    shown = content;
    // One after another, so an older status can never overwrite a newer one.
    edits = edits.then(
      () => i.editReply(buildMessage({ content })).then(() => undefined),
      () => undefined,
    );
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
    settled: () => edits.catch(() => undefined),
  };
}
