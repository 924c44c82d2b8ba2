// English: the same tutor, the same warmth as the Japanese, written for English readers (not translated line by line).

import { typedAs } from './words.js';
import type { Words } from './words.js';

export const en: Words = {
  lang: 'en',
  platformName: { linux: 'Linux', mac: 'Mac', windows: 'Windows' },
  label: {
    run: '▶ Run this',
    hint: 'Hint',
    anotherHint: 'Another hint',
    next: 'Next step',
    finishLesson: 'Finish lesson',
    continue: 'Continue',
    start: (title) => `Start: ${title}`,
    platform: { linux: 'Linux', mac: 'Mac', windows: 'Windows' },
  },
  listSeparator: ', ',

  welcomeNew: [
    "Hi, I'm Container Sensei! 🐳 Let's look inside containers together.",
    'Welcome! 🐳 Here we learn how containers really work, hands on keyboard.',
    "Hello, and welcome aboard ✨ Let's explore what's behind your containers.",
    'Nice to meet you! 🐳 This is the place to answer the "why?" of Docker with real commands.',
    "Welcome! ✨ Let's go from using containers to understanding them, one step at a time.",
  ],
  welcomeBack: [
    'Welcome back! 🙌 Good to see you again.',
    "Oh, you're back! ✨ Let's keep going.",
    "Welcome back! 🐳 Everything's ready where you left it.",
    "Hey, you came back, thank you! 🙌 Let's pick things up.",
    "Welcome back! I kept your place, so no worries ✨",
  ],
  whatWeDo:
    "Every command you type really runs, in a locked-down sandbox that is itself a container. We read the real output together and work out what the kernel is doing.",
  howToStart: (c) =>
    `Getting started is easy:\n• \`${c.lessons}\` shows the lessons\n• \`${c.start} <id>\` starts one\n• type a command (like \`${typedAs(c, 'ps aux')}\`) to run it right here`,
  askPlatform: "Which do you use day to day: Mac, Windows or Linux? Tell me and I'll fit the commands for your own machine to it.",
  continueFrom: [
    (p) => `Last time you got to step ${p.step}/${p.total} ("${p.stepTitle}") of **${p.title}**. Shall we carry on?`,
    (p) => `You were in the middle of **${p.title}** (step ${p.step}/${p.total}, "${p.stepTitle}"). Pick up from there?`,
    (p) => `Your bookmark is in **${p.title}**, step ${p.step}/${p.total}: "${p.stepTitle}" 🔖 Want to continue?`,
    (p) => `**${p.title}** is waiting at step ${p.step}/${p.total} ("${p.stepTitle}"). Ready to jump back in?`,
  ],
  returningStart: (c) => `\`${c.lessons}\` shows the map, and \`${c.start} <id>\` starts any lesson you like.`,

  listLead: [
    "Here's the whole map 🗺️",
    'These are the lessons!',
    'Where you have been, and where we are going 👀',
    "Here's every lesson, in order.",
    'The full curriculum at a glance!',
  ],
  phaseHeading: (p) => `**Phase ${p.number}${p.title ? `: ${p.title}` : ''}** (${p.done}/${p.total})`,
  listHowToStart: (c) => `Start any lesson with \`${c.start} <id>\` (✅ done, ▶ in progress).`,
  listSuggest: (title) => `My pick for next: "${title}".`,
  listAllDone: [
    'Every lesson has its ✅! Well done, truly 🎉',
    "You've finished them all! 🎉 Come back to any of them whenever you like.",
    'All done! 🙌 Redoing a favourite lesson is always welcome.',
    'Complete! 🎉 Every lesson is still open to you.',
  ],

  lessonOpen: [
    (p) => `Right, let's start **${p.title}**! 🛠️`,
    (p) => `Nice, next up is **${p.title}** ✨`,
    (p) => `**${p.title}**: here we go!`,
    (p) => `Off we go: **${p.title}** begins now 🙌`,
    (p) => `Let's step into **${p.title}** 👀`,
  ],
  lessonMeta: (p) => `Phase ${p.phase} · \`${p.id}\` · ${p.steps} ${p.steps === 1 ? 'step' : 'steps'}`,
  lessonCovers: (summary) => `What we'll do: ${summary}`,
  lessonReady: [
    'Each step is one real command. Ready?',
    "We'll go one command at a time. On to the first step!",
    "I've got hints if you get stuck, so take it easy.",
    "Typing beats reading, so let's try things as we go!",
  ],

  stepCounter: (p) => `📍 Step ${p.n}/${p.total}: "${p.title}"`,
  stepEncourage: [
    "Good, let's keep our hands moving!",
    "Nice flow, let's keep it going 🛠️",
    "This one's quick to try. Let's look together.",
    "Now let's peek at the next trick 👀",
    "One step at a time is perfect. Here's the next.",
  ],
  ownMachineLead: [
    (p) => `If you have Docker at hand, this is what to type on your ${p.platform}:`,
    (p) => `To try it on your own machine (${p.platform}), use this:`,
    (p) => `Want to check it on your ${p.platform}? Run these in order:`,
    (p) => `If you'd like to do it on your own ${p.platform} too, it goes like this:`,
  ],
  sandboxLead: [
    "This sandbox is already a container, so no `docker` needed here. What really runs here is this:",
    "Here you're already inside a container, so all you type is this:",
    "Here we can look from the inside directly, so this is the command that really runs:",
    'In the sandbox (a real container) we run this:',
  ],
  hostEnter:
    "You're on the host now 🖥️ From here you can look at your own lab containers the way the host sees them: `ps aux | grep …` for their host PIDs, `ls -l /proc/<PID>/ns` for their namespaces (with the host's own next to them), and `cat` on their cgroup files, e.g. `/sys/fs/cgroup/system.slice/docker-<ID>.scope/memory.max`. `docker` commands work here too; `exit` takes you back to your sandbox.",
  hostWhere: '(on the host; `exit` to go back to your sandbox)',
  labLead:
    'This one runs in the lab: your own containers on a real Docker engine, started with real `docker` commands (alpine and friends run as our sandbox image). Type it just like this:',
  howToRun: [
    (p) => `Send \`${p.typed}\`, or press "▶ Run this".`,
    (p) => `When you're ready, press "▶ Run this" or type \`${p.typed}\`.`,
    (p) => `Typing \`${p.typed}\` works, and so does just pressing the button.`,
    (p) => `One press of the button or \`${p.typed}\` typed yourself, either is fine.`,
  ],
  howToRunLong: [
    (p) => (p.prefix ? `Send this command after \`${p.prefix}\`, or press "▶ Run this".` : 'Type (or paste) this command as it is, or press "▶ Run this".'),
    (p) => (p.prefix ? `Press "▶ Run this", or send \`${p.prefix}\` followed by the command.` : 'Press "▶ Run this", or paste the command and send it.'),
    (p) => (p.prefix ? `Pressing the button works, and so does typing it yourself after \`${p.prefix}\`.` : 'Pressing the button works, and so does typing it yourself.'),
    (p) => (p.prefix ? `Start with \`${p.prefix}\` and send it, or press the button to run it.` : 'Send it just as written, or press the button to run it.'),
  ],

  celebrate: [
    'Spot on! 🎉 That is exactly the result we were after.',
    'Yes, that is the one! ✨',
    'Nicely done! 🙌 You saw it for real.',
    "That's the output I was hoping for 😎",
    'You did it! This is the real thing, straight from the kernel ✨',
    "It worked! 🎉 Let's read it together.",
  ],
  celebrateAfterSlip: [
    'Fixed it! 🙌 That is the result we were after.',
    'There it is this time ✨',
    'Got it this time! 🎉',
    'One small fix and there it is 😊',
  ],
  celebrateAfterTries: [
    'Persistence wins! 🎉 Those extra tries make it stick.',
    'You got there! 🙌 The detours were part of the learning.',
    "You didn't give up ✨ and there's the result we wanted.",
    'Great recovery! 😎 After a few tries the difference is easier to see.',
  ],
  calm: [
    "Hmm, that's not quite what I expected. No problem at all, it happens a lot 🙂",
    "Oh, interesting! No need to rush, let's look at it together 👀",
    'That went a different way. Results like this are often the most instructive.',
    "That's a useful clue, actually. Let's work out what differed.",
    "Nothing to worry about, just a small detour. Let's read the output 🙂",
  ],
  tryNext: [
    'Try this next:',
    'How about this:',
    "Here's a clue:",
    'Keep this in mind and give it another go:',
  ],
  offerAnswer: [
    (p) => `You've tried a few times, and that's great! If you'd like the answer, here it is: ${p.answer}`,
    (p) => `This one is a bit tricky. Feel free to use the answer: ${p.answer}`,
    (p) => `You've put in plenty of effort. Here's the answer; reading it first and then typing it is completely fine: ${p.answer}`,
    (p) => `Looking at the answer is a fine way to learn too 🙂 ${p.answer}`,
  ],
  invite: [
    'Did anything catch your eye?',
    'How do you think this would look on your own machine?',
    'If anything made you go "huh?", ask me anything.',
    "Does it click? When you're ready, let's move on 🙌",
    'Was it what you expected, or a surprise?',
  ],
  note: {
    timedOut: '⏱️ It did not finish in time, so the sandbox stopped it.',
    oomKilled: '💥 It reached the memory limit, so the kernel stopped the process.',
    truncated: "✂️ The output was long, so you're seeing the first part.",
    truncatedButFine: '✂️ The output was long and got cut, but the part that matters was there.',
  },

  practiceOk: 'Exit code 0: it finished without trouble.',
  practiceFailed: (code) => `It ended with exit code ${code}. Anything but 0 signals an error, so have a look at the error message (stderr).`,
  practiceNoExit: 'No exit code came back, so the process was stopped part way.',
  practiceCheer: [
    'Love that you are experimenting! 🛠️',
    'Trying things out is the fastest way to learn ✨',
    'Keep that curiosity going 👀',
    'Poke around freely, nothing here can break 🙂',
    'Nice experiment!',
  ],
  practiceSuggest: [
    (c) => `If you'd like a guided path, \`${c.lessons}\` is there.`,
    (c) => `When you want some structure, pick a lesson from \`${c.lessons}\`.`,
    (c) => `By the way, \`${c.lessons}\` has lessons that walk through experiments like this one.`,
    (c) => `There are lessons too: \`${c.lessons}\` lists them.`,
  ],

  hintLead: [
    [
      'A small hint 💡',
      "I'll start with a gentle clue:",
      'First, a light hint:',
      'Hint number one:',
    ],
    [
      'Here is a stronger hint:',
      'Let me be a bit more concrete:',
      'Hint number two, this gets you close:',
      "OK, I'll say it more plainly:",
    ],
    [
      "Here's the answer. Once you've read it, do type it yourself 🙌",
      "Let's look at the answer. What matters is running it for real:",
      'This is the answer. Running it and reading the output is the learning part:',
      "Let's check the answer. Run this:",
    ],
  ],
  hintNone: [
    "That's every hint I have for this step 🙂",
    "I've used up all my hints!",
    'Those were all the hints I prepared.',
    "No more hints left, but don't worry.",
  ],
  hintRestate: (answer) => `In short: ${answer}\nRun it, or move on to the next step.`,

  lessonDone: [
    (p) => `You finished "${p.title}"! 🎉`,
    (p) => `Nice, "${p.title}" is done! 🙌`,
    (p) => `Well done! That's the end of "${p.title}" 🎉`,
    (p) => `"${p.title}", all the way to the end. Great work ✨`,
  ],
  nextLesson: [
    (p) => `Next is "${p.title}": ${p.summary}\nShall we keep going?`,
    (p) => `The natural next step is "${p.title}". ${p.summary}\nReady? 🙌`,
    (p) => `The next lesson, "${p.title}", is a fun one. ${p.summary}\nWant to try it?`,
    (p) => `Up next: "${p.title}". ${p.summary}\nStart it now?`,
  ],
  curriculumDone: [
    "That's every lesson done! Congratulations 🎉 What happens inside a container is no longer magic.",
    "You've completed the whole curriculum! 🎉 Those odd container behaviours at work should make sense now.",
    'You saw every lesson through 🙌 It was a pleasure to come this far with you.',
    "Congratulations on finishing! 🎉 You've seen with your own eyes what the kernel does.",
  ],
  curriculumAfter: (c) => `To review, use \`${c.lessons}\`; to experiment freely, just type a command (like \`${typedAs(c, 'ps aux')}\`).`,

  progressLead: [
    "Here's how far you've come 📈",
    'This is where you are!',
    "Let's look at your progress ✨",
    'Your progress so far:',
  ],
  progressDone: (titles) => `Lessons done: ${titles.map((t) => `✅ ${t}`).join(', ')}`,
  progressNoneYet: (c) => `No lessons finished yet. Pick your first one from \`${c.lessons}\`!`,
  progressCurrent: (p) => `▶ In progress: **${p.title}**, step ${p.step}/${p.total} ("${p.stepTitle}")`,
  progressNoCurrent: (c) => `No lesson in progress right now. \`${c.start} <id>\` starts one whenever you like.`,
  progressAllDone: 'All lessons complete! 🎉',
  phaseFallback: (n) => `Phase ${n}`,

  quizLead: [
    '🧩 Quick check!',
    '🧩 A little quiz, no pressure.',
    '🧩 Time for one question!',
    '🧩 One question to test yourself.',
  ],
  quizPick: 'Press a button or send the number.',
  quizFree: 'Send your answer in your own words.',
  quizRight: [
    'Correct! 🎉',
    "That's right! ✨",
    'Spot on 🙌',
    'Nailed it! 😎',
  ],
  quizWrong: [
    "Close! Thinking it through is what counts 🙂",
    'Not this time. This one trips up a lot of people.',
    "Not quite, but that's fine. Learn it here and you'll keep it.",
    "Hmm, not quite. Let's go over it together 🙂",
  ],
  quizAnswerWas: (answer) => `The answer is **${answer}**.`,

  refusalLead: [
    'Sorry, ',
    'Hold on, ',
    'Ah, ',
    'Oops, ',
  ],
  refusal: {
    busy: "your previous command is still running. I'll answer as soon as it's done ⏳ This new one wasn't queued, so send it again after that.",
    cooldown: (s) => `that was a few commands in a row. Please send it again in about ${s} ${s === 1 ? 'second' : 'seconds'} ⏳`,
    queueFull: (limit) => `the sandbox is busy right now and the queue is full (${limit} waiting). Please send it again in a moment.`,
    serverFull: 'the server is very busy right now and almost out of room for waiting commands. Please send it again in a few minutes 🙏',
    interrupted: (command) => `your last command (\`${command}\`) was cut off when the chat closed, so it has no answer. Send it again if you still need it.`,
    empty: 'the command was empty. Write the command after `$ `.',
    tooLong: (limit) =>
      limit === undefined
        ? 'the command was too long for me to take. Try sending it in smaller pieces.'
        : `the command was too long (up to ${limit} characters). Try splitting it into a few commands.`,
    control: 'the command contains control characters (such as NUL), so it cannot run. They may have sneaked in with a copy and paste; try typing it again.',
    invalidCommand: "I couldn't accept that command. Check how it's written and send it again.",
    invalidLearner: "I couldn't read your learner name (id). Please use 1-64 letters, digits or _ . : @ -.",
    unavailable: "the sandbox isn't working properly right now. That's on our side, not yours 🙏 Please try again in a little while.",
  },
  progressSafe: 'Your progress is saved, so nothing is lost.',

  problemLead: [
    'Hmm, ',
    'Oh, ',
    'Sorry, ',
    'Oops, ',
  ],
  problem: {
    unknownLesson: (given) => `I couldn't find a lesson called "${given}".`,
    maybeYouMeant: 'Did you mean one of these?',
    seeList: (c) => `\`${c.lessons}\` shows every lesson id.`,
    noActiveLesson: (c) =>
      `there's no lesson running right now. Look at \`${c.lessons}\` and start one with \`${c.start} <id>\`. You can also try any command freely: type it (like \`${typedAs(c, 'ps aux')}\`).`,
    stepOutOfRange: (p) => `"${p.title}" has no step ${p.given}. Its steps are 1 to ${p.total}.`,
    messageTooLong: (limit) => `that message was too long for me (up to ${limit} characters). Could you send a shorter one?`,
    emptyMessage: (c) => `the message was empty. Send me a question, or a command (like \`${typedAs(c, 'ps aux')}\`), anytime.`,
    unknownCommand: (given) => `I don't know the command \`${given}\`.`,
    didYouMean: (command) => `Did you mean \`${command}\`?`,
    knownCommands: (list) => `Commands I know: ${list}`,
    missingPrerequisites: [
      (p) => `A quick heads-up 👀 this lesson builds on ${p.list}.`,
      (p) => `Just so you know, this lesson is easier once you've seen ${p.list} 👀`,
      (p) => `By the way, this lesson picks up where ${p.list} left off.`,
      (p) => `One thing before we start: you haven't done ${p.list} yet, and this lesson leans on it a little 👀`,
    ],
    missingPrerequisitesOk: "You're welcome to carry on; I'll explain what you need along the way. If you'd rather go back first, just press a button below.",
    nothingToAnswer: "there's no question waiting for an answer right now. Quiz questions come up during lessons.",
  },

  platformAck: [
    (p) => `${p.platform}, got it!`,
    (p) => `OK, I'll tailor things to ${p.platform}!`,
    (p) => `You're on ${p.platform}, thanks for telling me!`,
    (p) => `I see, ${p.platform} it is!`,
  ],
  platformLucky: {
    mac: "That's actually lucky ✨ On a Mac you get to see a hidden layer most people never notice.",
    windows: "This gets interesting ✨ On Windows you get to peek at the Linux hiding behind it.",
    linux: "Nice! 😎 That's where containers were born, so you see them with nothing in the way.",
  },
  platformDiffers: {
    mac: "The macOS kernel has neither namespaces nor cgroups, so Docker Desktop quietly runs a small Linux VM and your containers live inside it. That's why `ps` in a Mac terminal can't find a container's process: it's inside that VM.",
    windows: "The Windows kernel can't run Linux containers, so Docker Desktop uses a WSL 2 Linux VM and runs the containers in there. PowerShell only sees the outside of that VM; that's the key difference.",
    linux: "On Linux, containers run directly on your host's kernel with no VM in between. The host's `ps` shows container processes as they are, and you can read their limits in `/sys/fs/cgroup` yourself.",
  },
  platformCommand: (platform) => `Here's the current step's command for ${platform}:`,
  languageChanged: [
    "From now on I'll speak English! 🙌",
    'OK, switched to English ✨',
    "Got it, English from here on!",
    "English mode is on. Let's carry on 🙂",
  ],
  resetDone: [
    'Your progress is reset 🧹',
    "You're back to a clean slate ✨",
    'Reset done! You can start from the beginning 🙂',
    "Records cleared. Let's start afresh!",
  ],
  resetWhat: (c) => `I cleared the lessons you had finished and where you were in the current lesson. Start anywhere from \`${c.lessons}\`.`,
  forgetDone: [
    'I deleted what I had stored about you 🧹',
    'Understood, all your data is deleted.',
    'Every record about you is erased.',
    "All your information is gone from my side 🙂",
  ],
  forgetWhat: "No progress, no language or platform settings remain. If you come back, we'll start again from hello.",

  pointLead: [
    'Great question! A lesson covers exactly that 👀',
    "There's a lesson that answers that ✨",
    'You can check that with your own hands!',
    'Good thing to wonder about. This will make it clear 🙌',
  ],
  pointStep: (stepTitle) => ` (step "${stepTitle}")`,
  pointNone: [
    "To be honest, I don't have a lesson for that question yet 🙏",
    "Sorry, no lesson answers that one yet.",
    "Hmm, that topic isn't in my lessons yet.",
    "That's a theme I don't cover yet, sorry.",
  ],
  pointNoneWhere: (c) =>
    `Look for a nearby topic in \`${c.lessons}\`, or try it for real in the sandbox by typing a command (like \`${typedAs(c, 'ls -l /proc/self/ns')}\`). Reading the output together is something I can always do!`,
  smallTalk: [
    'Thank you, that makes me happy 🙂',
    "I'm glad you're chatting with me!",
    "Nice, let's keep that energy ✨",
    "Glad you're enjoying it 🙌",
    "Let's keep exploring together 🙂",
  ],
  labEnter: (name) =>
    `You're now inside \`${name}\` 🐚 Every command you type runs in that container (as \`docker exec ${name} sh -c '…'\`), until you type \`exit\`.`,
  labLeave: 'Back out of the container: commands run in your own sandbox again 👋',
  shellRunEnter: ({ name, remove }) =>
    `Started a new container, \`${name}\`, and you're inside its shell 🐚 That shell is the container's PID 1. Every command you type runs in there until you type \`exit\`. ` +
    (remove ? '`exit` ends the shell (PID 1), so the container stops, and `--rm` removes it.' : '`exit` ends the shell (PID 1), so the container stops. Without `--rm` the stopped container stays in `docker ps -a`.'),
  shellRunLeft: ({ name, removed }) =>
    `Out of the shell 👋 Its shell was PID 1, so \`${name}\` stopped with it. ` +
    (removed ? 'It had `--rm`, so it is already removed.' : '`docker ps -a` shows it as "Exited (0)"; `docker rm` removes it when you are done.') +
    ' Commands run in your own sandbox again.',
  labWhere: (name) => `(inside \`${name}\`; \`exit\` to leave)`,
  smallTalkHow: (c) =>
    `To try a command, just type it (like \`${typedAs(c, 'ps aux')}\`). If you get stuck, press "Hint" or send \`${c.hint}\`. \`${c.lessons}\` lists the lessons.`,
};
