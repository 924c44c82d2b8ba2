import { z } from 'zod';
import { lessonLanguages, type Lang, type Platform } from '../lessons/index.js';

const platforms = ['linux', 'mac', 'windows'] as const satisfies readonly Platform[];

/** Everything the tutor remembers about one learner. Lives in a LearnerStore (Redis in production); survives restarts. */
export const learnerStateSchema = z.object({
  v: z.literal(1),
  lang: z.enum(lessonLanguages),
  platform: z.enum(platforms),
  lessonId: z.string().optional(),
  stepIndex: z.number().int().min(0),
  /** Commands tried on the current step, and hints taken (0-3). */
  attempts: z.number().int().min(0),
  hintsUsed: z.number().int().min(0).max(3),
  stepPassed: z.boolean(),
  /** Inside a lab container's shell (`docker exec -it NAME sh`): commands run there until `exit`. */
  context: z
    .discriminatedUnion('kind', [z.object({ kind: z.literal('container'), name: z.string() }), z.object({ kind: z.literal('host') })])
    .optional(),
  /** The learner has been told that the lab's alpine/ubuntu/busybox run as the sandbox image. */
  labImageNoted: z.boolean().optional(),
  /** A quiz question waiting for a typed answer. */
  pendingQuiz: z.string().optional(),
  completed: z.array(z.string()),
  /** Counts replies, so the persona can vary its wording. */
  turn: z.number().int().min(0),
  updatedAt: z.number(),
});

export type LearnerState = z.infer<typeof learnerStateSchema>;

export function newLearnerState(lang: Lang, platform: Platform = 'linux'): LearnerState {
  return { v: 1, lang, platform, stepIndex: 0, attempts: 0, hintsUsed: 0, stepPassed: false, completed: [], turn: 0, updatedAt: Date.now() };
}

/**
 * Learner state persistence: the engine reads and changes state only through this. Implementations:
 * src/store/learner-store.ts (Redis, shared by processes) and src/store/memory-learner-store.ts (tests).
 */
export interface LearnerStore {
  get(learnerId: string): Promise<LearnerState | undefined>;
  /** Applies `change` atomically against concurrent updates of the same learner, and returns the result. */
  update(learnerId: string, init: () => LearnerState, change: (s: LearnerState) => LearnerState): Promise<LearnerState>;
  delete(learnerId: string): Promise<void>;
}

/** A stored state as this version reads it; undefined when there is none or it cannot be read. */
export function parseLearnerState(raw: string | null | undefined): LearnerState | undefined {
  if (!raw) return undefined;
  try {
    const parsed = learnerStateSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
