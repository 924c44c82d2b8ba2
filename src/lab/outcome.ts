// What one lab command produced: the output as the docker CLI would print it, what happened to the
// command (flags), and what the tutor should say about it (notes, as codes).
import { capStreams } from '../text/bytes.js';
import type { LabNote } from './notes.js';
import type { LearnerContainers } from './own-containers.js';

export interface LabOutcome {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Stopped at the lab's time limit. */
  timedOut: boolean;
  /** Ended by the kernel's OOM killer. */
  oomKilled: boolean;
  /** The output passed the lab's cap and was cut. */
  truncated: boolean;
  notes: LabNote[];
}

export type LabFlags = Pick<LabOutcome, 'timedOut' | 'oomKilled' | 'truncated'>;

const NO_FLAGS: LabFlags = { timedOut: false, oomKilled: false, truncated: false };

export function labOutcome(stdout: string, stderr = '', exitCode = 0, notes: LabNote[] = [], flags: Partial<LabFlags> = {}): LabOutcome {
  return { stdout, stderr, exitCode, ...NO_FLAGS, ...flags, notes };
}

/** docker's own words for a container the learner does not have. */
export const noSuchContainer = (ref: string): string => `Error response from daemon: No such container: ${ref}\n`;

/** docker's own words for a container that is not running. */
export const notRunning = (id: string): string => `Error response from daemon: container ${id} is not running\n`;

/** A command that passed its deadline: what it gathered so far, marked timed out (never retried). */
export function outOfTime(own: Pick<LearnerContainers, 'ctx'>, stdout: string, stderr: string): LabOutcome {
  const { timeoutMs } = own.ctx.limits;
  return labOutcome(stdout, stderr, 1, [{ code: 'timed-out', params: { timeoutMs } }], { timedOut: true });
}

/**
 * Holds one lab answer to the one output cap the sandbox uses (stdout first, then stderr, as CappedOutput
 * keeps them), marking it truncated and saying so. Every lab path goes through here before it leaves the worker.
 */
export function capLabOutcome(outcome: LabOutcome, maxBytes: number): LabOutcome {
  const { stdout, stderr, cut } = capStreams(outcome.stdout, outcome.stderr, maxBytes);
  if (!cut) return outcome;
  const said = outcome.notes.some((n) => n.code === 'truncated');
  return { ...outcome, stdout, stderr, truncated: true, notes: said ? outcome.notes : [...outcome.notes, { code: 'truncated', params: { bytes: maxBytes } }] };
}
