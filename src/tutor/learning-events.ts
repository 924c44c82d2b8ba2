// What the tutor records as a learner learns, for the community features (boards, streaks, digests,
// exports) to derive from. The tutor only emits these; where they are kept is the transport's wiring.

export const learningEventTypes = ['lesson-started', 'step-passed', 'lesson-completed', 'hint-used', 'stuck', 'question-asked'] as const;
export type LearningEventType = (typeof learningEventTypes)[number];

export interface LearningEvent {
  type: LearningEventType;
  learnerId: string;
  /** The server the learner was in when it happened (Discord), if any. */
  guildId?: string;
  lessonId?: string;
  /** 1-based step number. */
  step?: number;
  /** Hints taken on the step so far. */
  hintsUsed: number;
  /** Milliseconds since the epoch. */
  at: number;
  /** stuck: why ('three-tries' | 'answer-hint'); question-asked: the question (trimmed). */
  detail?: string;
}

/** Where the tutor sends learning events; a failure to record never breaks the conversation. */
export type RecordLearningEvent = (event: LearningEvent) => Promise<void>;
