import { describe, expect, it } from 'vitest';
import { isCorrectAnswer, type QuizQuestion } from '../../src/lessons/index.js';

const choice: QuizQuestion = {
  id: 'kernel',
  question: 'Which is true?',
  choices: ['Each container has its own kernel', "Containers share the host's kernel"],
  answer: "Containers share the host's kernel",
  explanation: '...',
};

const free: QuizQuestion = {
  id: 'bytes',
  question: 'How many bytes is 128m?',
  answer: '134217728',
  accept: ['^\\s*134,?217,?728\\s*(?:bytes?)?\\s*$'],
  explanation: '...',
};

describe('isCorrectAnswer', () => {
  it('takes a choice by its text or its 1-based number', () => {
    expect(isCorrectAnswer(choice, "containers share the host's  kernel")).toBe(true);
    expect(isCorrectAnswer(choice, '2')).toBe(true);
    expect(isCorrectAnswer(choice, '1')).toBe(false);
    expect(isCorrectAnswer(choice, '3')).toBe(false);
    expect(isCorrectAnswer(choice, '')).toBe(false);
  });

  it('judges a free answer by its accept patterns, ignoring case', () => {
    expect(isCorrectAnswer(free, '134217728')).toBe(true);
    expect(isCorrectAnswer(free, '134,217,728 Bytes')).toBe(true);
    expect(isCorrectAnswer(free, '128')).toBe(false);
  });

  it('falls back to the model answer when there are no accept patterns', () => {
    const plain: QuizQuestion = { id: 'q', question: 'Name the init?', answer: 'tini', explanation: '...' };
    expect(isCorrectAnswer(plain, ' TINI ')).toBe(true);
    expect(isCorrectAnswer(plain, 'systemd')).toBe(false);
  });
});
