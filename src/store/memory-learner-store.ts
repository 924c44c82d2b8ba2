// The learner store in this process's memory, for tests of the core that need neither Redis nor Docker.
// It keeps JSON as Redis does, so a state comes back as a copy and goes through the same schema.
import { parseLearnerState, type LearnerState, type LearnerStore } from '../tutor/state.js';

export class MemoryLearnerStore implements LearnerStore {
  private readonly states = new Map<string, string>();

  async get(learnerId: string): Promise<LearnerState | undefined> {
    return parseLearnerState(this.states.get(learnerId));
  }

  async update(learnerId: string, init: () => LearnerState, change: (s: LearnerState) => LearnerState): Promise<LearnerState> {
    // Read, change and write with no await in between: nothing else can run, so no update is lost.
    const next = { ...change(parseLearnerState(this.states.get(learnerId)) ?? init()), updatedAt: Date.now() };
    this.states.set(learnerId, JSON.stringify(next));
    return next;
  }

  async delete(learnerId: string): Promise<void> {
    this.states.delete(learnerId);
  }
}
