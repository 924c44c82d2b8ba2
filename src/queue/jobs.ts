// What travels through the queue: one job per learner action, typed by kind, and its typed result. Data
// leaves the tutor as a type and comes back as one; nothing is a string to be parsed again.
import { z } from 'zod';
import { labCommandSchema } from '../lab/command.js';
import { labNoteSchema } from '../lab/notes.js';
import { executionModes, learnerIdSchema, runResultSchema, sandboxProfiles } from '../sandbox/types.js';
import { MAX_MESSAGE_CHARS } from '../text/limits.js';

/** One-shot commands: any worker, on any engine, takes them. */
export const QUEUE_NAME = 'commands';

/** A learner's session and lab commands go to their engine's own queue, which only that engine's workers take. */
export function engineQueueName(engine: string): string {
  return `${QUEUE_NAME}.${engine}`;
}

/** Longest command accepted: one Discord message, and far more than any lesson needs. */
export const MAX_COMMAND_CHARS = MAX_MESSAGE_CHARS;

export const commandSchema = z
  .string()
  .refine((s) => s.trim().length > 0, { message: 'empty' })
  .refine((s) => s.length <= MAX_COMMAND_CHARS, { message: 'too-long' })
  // NUL cannot be passed to a process; other control characters (but tab and newline) are never typed on purpose.
  .refine((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s), { message: 'control-characters' });

const jobBase = {
  learnerId: learnerIdSchema,
  submittedAt: z.number(),
  /** A producer keeps a waiter mark for this job while it waits; without one, nobody would hear the answer. */
  waiter: z.boolean().optional(),
};

/** A shell command in the learner's sandbox. */
export const commandJobSchema = z.object({
  kind: z.literal('command'),
  ...jobBase,
  command: commandSchema,
  mode: z.enum(executionModes),
  profile: z.enum(sandboxProfiles).default('default'),
});
/** A parsed docker (or host-view) command on the learner's own lab containers. */
export const labJobSchema = z.object({ kind: z.literal('lab'), ...jobBase, lab: labCommandSchema });
/** Removes every lab container of the learner (on reset and forget). */
export const labClearJobSchema = z.object({ kind: z.literal('lab-clear'), ...jobBase });

export const jobDataSchema = z.preprocess(
  // Jobs queued before kinds existed are shell commands.
  (data) => (typeof data === 'object' && data !== null && !('kind' in data) ? { ...data, kind: 'command' } : data),
  z.discriminatedUnion('kind', [commandJobSchema, labJobSchema, labClearJobSchema]),
);

export type JobData = z.infer<typeof jobDataSchema>;
export type CommandJob = z.infer<typeof commandJobSchema>;
export type LabJob = z.infer<typeof labJobSchema>;
export type LabClearJob = z.infer<typeof labClearJobSchema>;

export const commandJobResultSchema = z.object({
  result: runResultSchema,
  newSession: z.boolean().optional(),
  /** The learner's session container had died (an engine restart); the new one started without their files. */
  sessionLost: z.boolean().optional(),
});
/** The lab's output as a run result (its flags included) and what the runtime wants said about it. */
export const labJobResultSchema = z.object({ result: runResultSchema, notes: z.array(labNoteSchema) });
export const labClearJobResultSchema = z.object({ removed: z.number().int().min(0) });

export type CommandJobResult = z.infer<typeof commandJobResultSchema>;
export type LabJobResult = z.infer<typeof labJobResultSchema>;
export type LabClearJobResult = z.infer<typeof labClearJobResultSchema>;
export type JobResult = CommandJobResult | LabJobResult | LabClearJobResult;

export type Progress =
  | { stage: 'queued'; position: number }
  | { stage: 'started' }
  | { stage: 'finished' };

