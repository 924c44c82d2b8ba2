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
  notInImage: ({ program, near, name }) =>
    `\`${program}\` is not a program in the image${near ? ` (did you mean \`${near}\`?)` : ''}, so Docker created the container but could not start its command: exit code 127 means "command not found". ` +
    `The container is still there, never started (\`docker ps -a\` shows it as Created)${name ? `, and it keeps the name \`${name}\`: \`docker rm ${name}\` frees it before you run the line again` : ''}.`,
};
