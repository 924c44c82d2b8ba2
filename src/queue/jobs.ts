import { z } from 'zod';
import { executionModes, learnerIdSchema, runResultSchema, sandboxProfiles } from '../sandbox/types.js';

export const QUEUE_NAME = 'commands';

/** Longest command accepted: one Discord message, and far more than any lesson needs. */
export const MAX_COMMAND_CHARS = 2000;

export const commandSchema = z
  .string()
  .refine((s) => s.trim().length > 0, { message: 'empty' })
  .refine((s) => s.length <= MAX_COMMAND_CHARS, { message: 'too-long' })
  // NUL cannot be passed to a process; other control characters (but tab and newline) are never typed on purpose.
  .refine((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s), { message: 'control-characters' });

export const jobDataSchema = z.object({
  learnerId: learnerIdSchema,
  command: commandSchema,
  mode: z.enum(executionModes),
  profile: z.enum(sandboxProfiles).default('default'),
  /** `lab`: the command is a docker command line for the learner's lab (src/lab). */
  kind: z.enum(['command', 'lab', 'lab-clear']).default('command'),
  submittedAt: z.number(),
});

export type CommandJobData = z.input<typeof jobDataSchema>;

export const jobResultSchema = z.object({
  result: runResultSchema,
  newSession: z.boolean().optional(),
  /** What the lab wants the tutor to say along with the output (image mapped, limits clamped, ...). */
  notes: z.array(z.object({ code: z.string(), ja: z.string(), en: z.string() })).optional(),
});

export type CommandJobResult = z.infer<typeof jobResultSchema>;

export type Progress =
  | { stage: 'queued'; position: number }
  | { stage: 'started' }
  | { stage: 'finished' };

export const progressSchema = z.union([
  z.object({ stage: z.literal('queued'), position: z.number() }),
  z.object({ stage: z.literal('started') }),
  z.object({ stage: z.literal('finished') }),
]);
