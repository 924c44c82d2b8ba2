import type { TalkWords } from './talk-words.js';

/** "in your sandbox", "in the lab", but "inside my-alpine" (a container's place already says inside). */
export const inPlace = (where: string): string => (where.startsWith('inside ') ? where : `in ${where}`);

export const talkEn: TalkWords = {
  label: { runIt: '▶ Run it', wasTalking: '💬 I was talking', more: '📖 More', hostView: "🖥️ The host's view", sandbox: '📦 My sandbox', runFilled: (name) => `▶ Run it with ${name}'s value`, removeTaken: (name) => `🧹 docker rm -f ${name}` },
  unsure: ({ command, where }) => `Did you mean that as a command? I can run \`${command}\` ${inPlace(where)}, or just keep chatting 🙂`,
  didYouMean: ({ typed, fixed, where }) => `\`${typed}\` isn't a command I know. Did you mean \`${fixed}\`? I can run it ${inPlace(where)} 🙂`,
  notPassedYet: "This step isn't done yet 🙂 Run its command (press ▶ or type it), or type `skip` to move on anyway.",
  comment: "That's a shell comment: a shell skips it, so I did too 🙂",
  whichOne: ({ count }) => (count === 1 ? 'Only choice 1 is on offer right now: type 1 to press it 🙂' : `Which one? Type a number from 1 to ${count} 🙂`),
  sad: [
    "Oh no, that sounds rough 🫂 Containers trip everyone up at first. Tell me what went wrong, or type `hint`.",
    "Hang in there! It's fine to be stuck: type `hint` for a nudge, or ask me anything.",
  ],
  containerGone: ({ name, where }) => `${name} is gone, so you're no longer inside it: commands run ${inPlace(where)} again.`,
  fillIn: ({ placeholder, kind }) =>
    `\`${placeholder}\` is a placeholder: put your own value there and send it again 🙂 ` +
    (kind === 'id' ? "The long ID comes from `docker inspect -f '{{.Id}}' deep-dive-container` (or your container's name)." : kind === 'pid' ? 'The PID comes from `ps aux | grep "sleep 7777"` on the host\'s view (the number in the second column).' : ''),
  aboutStep: ({ title }) => `About this step, **${title}**:`,
  unsureGone: "I don't have a line waiting to run any more. Just type the command again and I'll run it.",
  wasTalking: [
    'Got it, we were just talking 🙂 Tell me more, or ask me anything about containers.',
    "Sure, no command then. What's on your mind?",
    'Okay, chatting it is! Ask away whenever you like.',
    "Understood, I won't run it. I'm all ears 👂",
  ],
  nothingToLeave: "You're not inside a container or on the host's view right now, so there's nothing to leave: your commands already run in your own sandbox 🙂",
  sessionLost: "Heads up: your sandbox had to be restarted on our side (the machine under it restarted), so this command ran in a fresh one. Files you made earlier are gone; your lesson progress is safe.",
  leftHost: 'Back from the host\'s view: commands run in your own sandbox again 👋',
  alreadyInSandbox: "You're already in your own sandbox: commands you type run here.",
  movedToHost: "🖥️ This step looks from the host, so I've put you on the host's view: your lab containers as the host sees them. Type `exit` to go back to your sandbox.",
  movedToSandbox: '📦 This step runs in your own sandbox again, so I took you back there from the host.',
  mac: {
    what: "That's the Docker Desktop trick from the seed 🕵️ On a Mac, containers live in a hidden Linux VM. `--privileged --pid=host` starts a container with every privilege inside that VM's PID namespace, and `nsenter -t 1 -m -u -n -i sh` joins the namespaces of PID 1 there: you get a root shell on the VM itself.",
    whyNot: "Here the lab is shared with other learners on a real Linux host, so a privileged container or entering PID 1's namespaces would hand you the whole machine. That's why I never run it here.",
    seeHere: "The good news: there's no VM to break into here. The host's view shows the very same facts right away: your containers' host PIDs (`ps aux | grep …`), their namespaces (`ls -l /proc/<PID>/ns`) and their cgroup limits (`cat …/memory.max`).",
    movedHere: "🖥️ So I've put you on the host's view instead: what you type now runs there (`ps aux | grep …`, `ls -l /proc/<PID>/ns`, `cat …/memory.max`), the same facts without the VM. Type `exit` to go back to your sandbox.",
  },
  heardGeneric: [
    'Thanks for answering! Check it against the output above: does it say the same?',
    "Got your answer 🙂 Compare it with what the output actually shows; if they differ, that difference is the lesson.",
    'Thank you! Putting it into words is half of understanding it. If you are unsure, type `hint`.',
    'Noted, thanks 👀 When you are ready, press Next, or ask me anything about it.',
  ],
  heardOnward: "Great, let's keep going 🚀",
  pasteRest: ({ ran, left }) => `I ran the first ${ran} lines of your paste one by one. The other ${left} are still with you: send them again in smaller pieces and I'll carry on.`,
  style: {
    short: "Short replies from now on: the point first. Press **More** whenever you want the background and tip.",
    detailed: 'Detailed replies from now on: background and tips come with every result.',
  },
  moreNothing: "That was everything I had to add there ✨",
  fromLesson: (title) => `(This is what the lesson **${title}** shows too.)`,
  where: { sandbox: 'your sandbox', lab: 'the lab', host: "the host's view", container: (name) => `inside ${name}` },
  host: {
    psFound: ({ pids }) => `From the host, your process has PID **${pids}**, not 1. Inside its container the same process believes it is PID 1: the PID namespace gives it its own numbering, while the host sees an ordinary process.`,
    nsLinks: "Each line is one namespace, named by its inode number (`pid:[4026…]`). Where your container's number differs from the host's, the container has a namespace of its own: that's the isolation, made visible.",
    inspectId: 'That 64-character string is the full container ID. Docker names the container\'s cgroup after it: `/sys/fs/cgroup/system.slice/docker-<ID>.scope/` on cgroup v2 with systemd, `/sys/fs/cgroup/memory/docker/<ID>/` on v1.',
    cgroupBytes: ({ bytes, mib }) => `The kernel holds this container to **${bytes}** bytes, which is ${mib} MiB. Docker only wrote that number into the cgroup file; the kernel does the enforcing.`,
    cgroupFromFlag: ({ flag, bytes, mib }) => `**${bytes}** = ${mib} × 1024 × 1024: exactly the \`${flag}\` you gave \`docker run\`. Docker wrote your limit into this cgroup file, and the kernel enforces it.`,
    cgroupNoLimit: 'No limit here: `max` (or a huge number on v1) means this container may use as much memory as the host has. Start one with `--memory=128m` to see a limit appear.',
  },
  controllersMissing: "There's no `cgroup.controllers` here because this host uses **cgroup v1**: every controller (memory, cpu, pids…) has its own directory instead of one unified tree. Try `ls /sys/fs/cgroup` to see them. On cgroup v2 hosts (Ubuntu 22.04+, Docker Desktop) the file lists the controllers, like `cpuset cpu io memory pids`.",
  labLost: {
    what: "I'm sorry: the machine your lab containers were running on stopped answering, so they are gone with it 🙇 Nothing you did caused this, and your lesson progress is safe.",
    next: 'Your next `docker run` starts a fresh lab on another machine: start your container again and carry on from where you were.',
    tip: "💡 This is what happens to containers when their host goes down: they are processes on one machine's kernel, so they stop with it. That's why real clusters start them again elsewhere, from the image.",
    question: 'Shall we start the container again?',
  },
};
