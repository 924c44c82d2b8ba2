// English words around quick answers (`sensei ask`, /ask): the same warm tutor, brief because the card says the rest.

import type { AskWords } from './ask-words.js';

export const askEn: AskWords = {
  lang: 'en',
  opener: [
    'Good question! 🙂',
    'Happy to explain ✨',
    "Sure! Here's the short version:",
    "Great thing to wonder about! Here's the core of it:",
  ],
  tryIt: [
    (p) => `💡 See it for yourself: ${p.code}`,
    (p) => `💡 Try it in your sandbox: ${p.code}`,
    (p) => `💡 One command shows it: ${p.code}`,
    (p) => `💡 Run this and look at the output: ${p.code}`,
  ],
  deeper: (p) => `📘 To go deeper: the lesson **${p.title}** (\`${p.id}\`${p.step ? `, step ${p.step}` : ''}).`,
  inviteRun: [
    'Shall we run it in your sandbox and read the output together?',
    'Want to try it now? I will explain what you get.',
    'Run it, and tell me what you see?',
    'Curious what your sandbox says? Give it a go!',
  ],
  inviteMore: [
    'Anything else you are wondering about?',
    'Does that answer it? Ask away if something is still fuzzy.',
    'Want to dig into a related question?',
    'Shall we look at the lesson together?',
  ],
  notSure: [
    "Hmm, I'm not sure which one you mean, and I'd rather not guess 🤔 Did you mean one of these?",
    "I don't want to hand you a wrong answer, so let me check first. Is it one of these?",
    "I'm not confident I got that right. Were you asking about one of these?",
    "Let me make sure I answer the right question 🙂 Did you mean:",
  ],
  noIdea: [
    "I don't have a good answer for that one yet, and I'd rather not guess 🙏",
    "That's outside what I can answer well right now. I don't want to make something up.",
    "I couldn't find that in my notes, sorry! I'd rather say so than guess.",
    "Hmm, that one isn't in my notes yet 🤔",
  ],
  lessonMayHelp: (p) => `📘 The lesson **${p.title}** (\`${p.id}\`) may help.`,
  noted: "I've noted the question, so my notes can grow where learners need them.",
  empty: 'Ask me anything about containers: namespaces, cgroups, OverlayFS, exit codes… e.g. "why is my app PID 1?" 🙂',
  tooLong: (p) =>
    `That's a lot of text! Could you ask it in a sentence or two (up to ${p.max} characters)? For an error, the one line with the error message is enough.`,
  noWords: "I couldn't find any words in that 🙂 What would you like to know about containers?",
  otherLanguage: 'I can answer in English or Japanese. Could you ask in one of them? / 日本語か英語で質問してもらえるかな？',
  fromBasics: [
    "Sorry, I jumped into the details 🙇 Let's start from the ground it stands on:",
    "That was a lot at once, sorry! First, the basics:",
  ],
  inOneLine: [
    "Sorry, I packed too much in 🙇 In one line:",
    "That was a lot at once, sorry! Put simply:",
  ],
  stillUnclear: [
    "Hmm, saying the same thing again won't help 🙏 Seeing it hands-on in the lesson will probably click better.",
    "Let's stop talking around it 🙏 The lesson shows the real thing, which usually makes it click.",
  ],
  nearest: [
    "Sorry, a list of guesses doesn't help much 🙇 This is the closest one:",
    "That list wasn't much help, sorry! The closest is probably this:",
  ],
  whichWord: 'Which word got in the way? Ask me about just that word (e.g. "what is a cgroup?") and I\'ll start from there.',
  puzzled:
    "No worries, let's sort it out together 🙂 Tell me what's unclear, even a single word (e.g. \"what is a namespace?\"). To start from the beginning, the first lesson shows it hands-on.",
  sources: 'Sources',
};
