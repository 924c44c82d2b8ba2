// English: what the tutor says about real outputs and typed lines the lessons cannot word (explain-words.ts).
import type { ExplainWords } from './explain-words.js';

export const explainEn: ExplainWords = {
  onlyGrep:
    'Only `grep` found itself: every line here is your search (and the shell that started it), not the process you looked for. ' +
    'Your sandbox is its own PID namespace, so processes of your lab containers are invisible from here. The host\'s view shows them with their host PIDs.',
};
