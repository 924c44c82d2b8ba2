import type { QuizQuestion } from './schema.js';

/**
 * Whether a learner's answer to a quiz question is right. A choice question takes the choice's text
 * or its 1-based number; a free question is judged by its `accept` regexes (case-insensitive), or by
 * the model answer itself when it has none. Pure.
 */
export function isCorrectAnswer(question: QuizQuestion, given: string): boolean {
  const answer = given.trim();
  if (answer === '') return false;
  if (question.choices) {
    const byNumber = /^\d+$/.test(answer) ? question.choices[Number(answer) - 1] : undefined;
    const picked = byNumber ?? question.choices.find((c) => normalise(c) === normalise(answer));
    return picked === question.answer;
  }
  if (question.accept) return question.accept.some((pattern) => new RegExp(pattern, 'i').test(answer));
  return normalise(answer) === normalise(question.answer);
}

function normalise(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}
