import { z } from 'zod';
import { MAX_MESSAGE_CHARS } from '../text/limits.js';
import { lessonLanguages, type Lang, type Platform } from '../lessons/index.js';
import type { ChoiceAction } from './reply.js';

const platforms = ['linux', 'mac', 'windows'] as const satisfies readonly Platform[];

/** A choice the tutor offered, as kept in the state (the same shapes as ChoiceAction). */
const choiceActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run-step') }),
  z.object({ type: z.literal('hint') }),
  z.object({ type: z.literal('next') }),
  z.object({ type: z.literal('start'), lessonId: z.string() }),
  z.object({ type: z.literal('platform'), platform: z.enum(platforms) }),
  z.object({ type: z.literal('quiz'), questionId: z.string(), choice: z.number().int().min(0) }),
  z.object({ type: z.literal('line'), run: z.boolean() }),
  z.object({ type: z.literal('more') }),
  z.object({ type: z.literal('place'), place: z.enum(['host', 'sandbox']) }),
  z.object({ type: z.literal('card'), cardId: z.string() }),
  z.object({ type: z.literal('try-card'), cardId: z.string() }),
  z.object({ type: z.literal('rate'), cardId: z.string(), vote: z.enum(['up', 'down']) }),
]);

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
    .discriminatedUnion('kind', [z.object({ kind: z.literal('container'), name: z.string(), shell: z.enum(['keep', 'remove']).optional() }), z.object({ kind: z.literal('host') })])
    .optional(),
  /** The learner has been told that the lab's alpine/ubuntu/busybox run as the sandbox image. */
  labImageNoted: z.boolean().optional(),
  /** A quiz question waiting for a typed answer. */
  pendingQuiz: z.string().optional(),
  /** The choices last offered, in the order shown, so a typed number presses one (until new ones replace them). */
  offered: z.array(z.custom<ChoiceAction>((a) => choiceActionSchema.safeParse(a).success)).max(25).optional(),
  /** A typed line the tutor was unsure about ("did you mean that as a command?"). */
  pendingLine: z.string().max(MAX_MESSAGE_CHARS).optional(),
  /** The step whose inviting question the tutor asked last: a typed reply is heard as the answer. */
  awaiting: z.object({ lessonId: z.string(), stepIndex: z.number().int().min(0) }).optional(),
  /** The question the tutor answered last (its card, or its "did you mean" cards), so "I don't get it" right after is about it. */
  lastAnswer: z.object({ turn: z.number().int().min(0), cardId: z.string().optional(), suggestions: z.array(z.string()).max(3), defined: z.boolean(), brief: z.boolean().optional() }).optional(),
  /** Short replies (the point first, background behind "More") or detailed ones. */
  style: z.enum(['short', 'detailed']).optional(),
  /** What the last short reply held back for "More". */
  held: z.array(z.string()).max(10).optional(),
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
