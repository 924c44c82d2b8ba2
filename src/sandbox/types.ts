import { z } from 'zod';

export const executionModes = ['oneshot', 'session'] as const;
export type ExecutionMode = (typeof executionModes)[number];

/**
 * The seccomp profile a command runs under: Docker's default, or `userns`, our opt-in profile for the
 * lessons that build containers by hand (it allows user namespaces; see sandbox/seccomp-userns.json).
 */
export const sandboxProfiles = ['default', 'userns'] as const;
export type SandboxProfile = (typeof sandboxProfiles)[number];

/** Learner ids come from Discord snowflakes or console names; they end up in labels and Redis keys. */
export const learnerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:@-]{1,64}$/, 'a learner id is 1-64 letters, digits or _ . : @ -');

/** What running one command produced. Timeout, OOM and truncation are results, not exceptions. */
export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  timedOut: boolean;
  oomKilled: boolean;
  truncated: boolean;
  durationMs: number;
}

export const runResultSchema = z.object({
  stdout: z.string(),
  stderr: z.string(),
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  oomKilled: z.boolean(),
  truncated: z.boolean(),
  durationMs: z.number().nonnegative(),
});

/** The engine could not be used (unreachable, image missing, API error): an infrastructure fault. */
export class SandboxUnavailableError extends Error {
  override name = 'SandboxUnavailableError';
}

export class SandboxImageMissingError extends SandboxUnavailableError {
  override name = 'SandboxImageMissingError';
  constructor(readonly image: string) {
    super(
      `The sandbox image ${image} is not on this Docker engine. Build it with \`npm run image\` ` +
        `(sandbox/build.sh: uses sandbox/Dockerfile where a registry is reachable, otherwise debootstrap offline).`,
    );
  }
}

/** Every session place is taken; the learner is asked to try again shortly (never retried as an engine fault). */
export class SessionsFullError extends Error {
  override name = 'SessionsFullError';
  constructor(readonly limit: number) {
    super(`all ${limit} sandbox sessions are in use; try again in a moment`);
  }
}

/** An error's first line, for logs and job failures. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}
