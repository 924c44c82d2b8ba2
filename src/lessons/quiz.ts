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

/**
 * Whether a line reads as an answer to a choice question at all: one of its numbers, or one of its choices. A
 * sentence ("1 行に 1 つずつでした") is not, and can then answer the tutor's open question instead. A free
 * question takes any line.
 */
export function isQuizAnswer(question: QuizQuestion, given: string): boolean {
  const answer = normalise(given.replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10)));
  if (!question.choices) return answer !== '';
  if (/^\d+$/.test(answer)) return Number(answer) >= 1 && Number(answer) <= question.choices.length;
  return question.choices.some((c) => {
    const choice = normalise(c);
    return choice === answer || (answer.length >= 2 && choice.includes(answer)) || (choice.length >= 2 && answer.includes(choice));
  });
}

function normalise(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}
