import { example, type HeardWords } from './heard-words.js';
import { inPlace } from './talk-en.js';

export const heardEn: HeardWords = {
  hostile: [
    "Sorry this has been frustrating 🙇 I'd really like to make it work for you.",
    "I hear you, and I'm sorry it isn't going well. Let's sort it out together.",
    "That sounds like a rough moment, sorry. I'm still here to help.",
  ],
  hostileHelp: ({ inLesson }) =>
    inLesson
      ? 'Tell me what went wrong, or type `hint` for a nudge on this step. `skip` moves on if this one is a bore.'
      : 'Tell me what went wrong, or type `/lessons` to pick something that interests you more.',
  pastedText: ({ lines }) =>
    `That's a long paste (${lines} lines) that looks like output or a log, not commands, so I didn't run it or answer it line by line 🙂 ` +
    'Copy the one line that puzzles you and ask me about it, or tell me what you were doing when it appeared.',
  pasteLong: ({ lines, max }) => `That's a paste of ${lines} lines. I'll run the first ${max}, one by one, and tell you where I stopped.`,
  stepAhead: ({ step, total, title, where }) => `That's the next step's command, so I moved you on to step ${step}/${total}, **${title}**, and ran it ${inPlace(where)} 🚀`,
  here: ({ step }) =>
    step
      ? `Yes, I'm here 🙂 We're on step ${step.number}/${step.total}, **${step.title}**. Carry on whenever you're ready, or type \`hint\`.`
      : "Yes, I'm here 🙂 Ask me anything about containers, or type `/lessons` to pick a lesson.",
  commandNeeds: ({ name, usage }) => `\`${name}\` needs a little more: it is written \`${usage}\` (for example \`${example(usage)}\`).`,
};
