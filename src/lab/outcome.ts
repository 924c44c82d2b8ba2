// What one lab command produced: the output as the docker CLI would print it, what happened to the
// command (flags), and what the tutor should say about it (notes, as codes).
import type { LabNote } from './notes.js';

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
