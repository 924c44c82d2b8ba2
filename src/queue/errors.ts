/** Why a command was not run. Each carries what a reply needs; adapters word it for the learner. */
export type SubmitRefusal =
  | { code: 'invalid-command'; reason: 'empty' | 'too-long' | 'control-characters' | 'invalid'; limit?: number }
  | { code: 'invalid-learner' }
  | { code: 'busy' }
  | { code: 'cooldown'; retryInMs: number }
  | { code: 'queue-full'; limit: number }
  /** Redis is nearly at its maxmemory: new commands wait so the queued ones can finish. */
  | { code: 'server-full' }
  | { code: 'unavailable'; detail: string };

export class SubmitError extends Error {
  override name = 'SubmitError';
  constructor(readonly refusal: SubmitRefusal) {
    super(describeRefusal(refusal));
  }
}

/** Plain English for logs and the CLI; the tutor has its own warmer wording in both languages. */
export function describeRefusal(r: SubmitRefusal): string {
  switch (r.code) {
    case 'invalid-command':
      if (r.reason === 'empty') return 'The command is empty.';
      if (r.reason === 'too-long') return `The command is longer than ${r.limit} characters.`;
      if (r.reason === 'control-characters') return 'The command contains control characters (such as NUL) that cannot be run.';
      return 'The command is not valid.';
    case 'invalid-learner':
      return 'The learner id must be 1-64 letters, digits or _ . : @ -.';
    case 'busy':
      return 'Your previous command is still running; this one was not queued.';
    case 'cooldown':
      return `Please wait ${Math.ceil(r.retryInMs / 100) / 10} s before the next command.`;
    case 'queue-full':
      return `The queue is full (${r.limit} commands waiting); please try again in a moment.`;
    case 'server-full':
      return 'The server is nearly out of memory for queued commands; please try again in a few minutes.';
    case 'unavailable':
      return `The command could not be run: ${r.detail}`;
  }
}
