// English: what the tutor says about real outputs and typed lines the lessons cannot word (explain-words.ts).
import type { ExplainWords } from './explain-words.js';

export const explainEn: ExplainWords = {
  onlyGrep:
    'Only `grep` found itself: every line here is your search (and the shell that started it), not the process you looked for. ' +
    'Your sandbox is its own PID namespace, so processes of your lab containers are invisible from here. The host\'s view shows them with their host PIDs.',
  labLeadAgain: 'In the lab, type it just like this:',
  hostOnlyElsewhere: ({ platform }) =>
    `On ${platform} these lines need a Linux host, and with Docker Desktop that host is a hidden VM (\`sudo\` and \`/proc\` of your machine will not show it). ` +
    "Enter the VM first, as the seed does, and type them there without `sudo`; or see the same facts right here with the lab's host view (`/host` in the console, `/where host` on Discord):",
  hostOneOff: "(this one ran on the host's view; you're still in your sandbox)",
  started: ({ name }) =>
    `That long hexadecimal string is the ID of ${name ? `\`${name}\`, your new container,` : 'your new container,'} now running in the background. ` +
    `\`docker ps\` lists it${name ? `, and \`docker exec -it ${name} sh\` takes you inside` : ''}.`,
  removed: ({ names }) => `${names} is gone: Docker prints the name of each container it removed, and its processes, namespaces and cgroup went with it.`,
};
