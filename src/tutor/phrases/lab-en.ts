// English: what the tutor says about the lab. One function per code of src/lab/notes.ts and src/lab/refusals.ts.
import { labSubcommands } from '../../lab/command.js';
import { formatBytes } from '../../lab/limits.js';
import type { ShellOperator } from '../../lab/shell.js';
import type { LabWords } from './lab-words.js';

const SUPPORTED = labSubcommands.join(', ');

/** The line with each of the learner's own values filled in, ready to type. */
const yoursEn = (yours: readonly { name: string; line: string }[]) =>
  `Filled in for ${yours.length === 1 ? 'your container' : 'each of your containers'}:\n${yours.map((y) => `\`${y.line}\` (${y.name})`).join('\n')}`;

const subcommand = (why: string) => (p: { sub: string }) => `\`docker ${p.sub}\` is not available in the lab. ${why}\nThe lab runs: ${SUPPORTED}.`;

const OPERATOR: Record<ShellOperator, string> = {
  '|': 'A pipe (|) joins two commands in a shell on the host.',
  '||': '"||" runs the next command when the first fails, in a host shell.',
  '&&': '"&&" runs the next command when the first succeeds, in a host shell.',
  ';': '";" runs several commands one after another, in a host shell.',
  ';;': '";;" belongs to a shell case statement.',
  newline: 'The message holds several lines, that is several commands.',
  '&': '"&" runs a command in the background of a host shell.',
  '>': 'A redirection (>) writes output into a file on the host.',
  '>>': 'A redirection (>>) appends output to a file on the host.',
  '<': 'A redirection (<) feeds a file from the host as input.',
  '<<': 'A here-document (<<) is input handled by a host shell.',
  '(': 'Parentheses start a subshell on the host.',
  ')': 'Parentheses start a subshell on the host.',
};

const NO_HOST_SHELL =
  "The lab runs one docker command per message, without a shell on the host (a host shell is exactly what the sandbox keeps away from learners). Send the commands one at a time. To play with shell features, use the shell inside your container: `docker exec NAME sh -c 'ps aux | grep sleep'` (single quotes hand it to the container's shell).";

const operator = (op: ShellOperator, column: number) => `${OPERATOR[op]} (column ${column}) ${NO_HOST_SHELL}`;

const MISSING = { image: 'an image', container: 'a container name', command: 'a command to run (e.g. sh, ps aux)' } as const;

const HOST_FROM = {
  init: "the host's PID 1 (/proc/1/ns)",
  worker: "the lab's worker on the host (/proc/self/ns; /proc/1/ns was not readable)",
  none: "(the host's own links were not readable)",
} as const;

export const labEn: LabWords = {
  note: {
    'image-mapped': (p) =>
      `The lab has no registry, so the container runs the lab's sandbox image in place of "${p.asked}". The kernel features (namespaces, cgroups) are the real thing; the commands and versions inside may differ a little.`,
    interactive: () => '-i/-t ask for an interactive terminal, and chat is not one: the command runs once and its output shows up here.',
    clamped: (p) => {
      const show = (n: number): string => (p.field === 'memory' ? formatBytes(n) : String(n));
      const flag = `--${p.field}`;
      return p.asked <= 0
        ? `${flag} "unlimited" is not available in the lab, so it is set to the lab's maximum, ${show(p.used)}.`
        : `${flag} ${show(p.asked)} is above the lab's maximum, so it is set to ${show(p.used)}.`;
    },
    'sudo-ignored': () => 'No sudo needed in the lab; the command runs the same without it.',
    typography: () =>
      'Full-width spaces and curly quotes (“ ” ‘ ’) are plain characters to a shell, so they were read as ordinary spaces and " \' quotes.',
    'stats-no-stream': () => 'docker stats normally keeps updating forever; in chat it shows one snapshot, as with --no-stream.',
    'running-quota': (p) =>
      `The lab runs at most ${p.max} containers per learner at a time. Check with \`docker ps\`, remove one you no longer need with \`docker rm -f NAME\`, then try again.`,
    'container-quota': (p) =>
      `The lab keeps at most ${p.max} containers per learner, stopped ones included. Check with \`docker ps -a\` and remove the ones you no longer need with \`docker rm NAME\`.`,
    'root-refused': (p) =>
      `--user ${p.user} asks for root (uid 0). The lab shares one machine with other learners, so nothing runs as root, not even inside a container. Try it without --user: it runs as the lab's ordinary user.`,
    'user-mapped': (p) =>
      `In place of --user ${p.user}, the lab runs the container as its own ordinary users (the main process as uid 1001, docker exec commands as uid 1000).`,
    'timed-out': (p) =>
      `The command went past the lab's time limit (${p.timeoutMs / 1000} s) and was stopped. To keep something running, start it in the background with \`docker run -d\`.`,
    'oom-killed': () => "The command hit its memory limit (the cgroup's memory limit) and the kernel's OOM killer ended it.",
    truncated: (p) => `The output was too long; only the first ${Math.round(p.bytes / 1024)} KiB are shown.`,
    'cpu-budget-spent': (p) =>
      `Your container \`${p.name}\` used up its CPU time (${p.seconds} s of CPU), so the lab stopped it: everyone shares this machine's CPUs. Check with \`docker ps -a\`; a container that just waits (like \`sleep 1000\`) uses almost none.`,
    'lab-full': () =>
      'The lab is full right now: every place it has on this machine is taken by running containers. Please try again in a few minutes. Your existing containers keep working, and removing one you no longer need (`docker rm -f NAME`) frees a place.',
    'container-stopped': (p) =>
      `\`${p.name}\` is not running (it exited with code ${p.exitCode}${p.exitCode === 137 ? ', killed: the lab stopped it or its machine restarted' : ''}). The lab has no \`docker start\`, so remove it with \`docker rm ${p.name}\` and start a new one with \`docker run -d --name ${p.name} …\`.`,
    'name-in-use': (p) => `\`docker ps -a\` still lists a \`${p.name}\`. \`docker rm -f ${p.name}\` removes it (the button below runs it), then send the same \`docker run\` again.`,
    'logs-gone': (p) =>
      `\`${p.name}\` stopped without a \`docker stop\` or \`docker kill\` of yours (its command ended, or the lab stopped it), so the lab has none of its output left. A detached lab container keeps its output inside itself (so a flood of output cannot load the Docker engine everyone shares), and that goes when the container ends. The lab keeps it when you stop a container with \`docker stop\` or \`docker kill\`; on a laptop \`docker logs\` shows it either way. For a short command's output, run it without \`-d\`.`,
    'pids-full': () =>
      "The command's processes took every PID the container has (a fork bomb 💣), so the lab ended them. `--pids-limit` (the cgroup's pids controller) caps how many processes the container may hold, which is why the host and everyone else's containers were safe. On a laptop it would keep thrashing at the limit until you stopped it.",
    zombies: (p) =>
      `The ${p.count} \`<defunct>\` line${p.count === 1 ? ' is a zombie' : 's are zombies'} 🧟 A process whose parent ended first is handed to PID 1, and once it ends it stays listed until its parent collects its exit status with \`wait()\`. This PID 1 is your command (\`sleep\`, say), which never waits for what it inherits, so zombies pile up, on a laptop too. Each one holds a PID, so too many and no new process can start. With \`docker run --init\` a small init (tini) is PID 1 and reaps them.`,
    'exited-at-once': (p) =>
      `\`${p.name}\` started, and its command has already ended (exit code ${p.exitCode}), so it is not running: \`docker ps\` will not list it, \`docker ps -a\` shows it as Exited. A container lives exactly as long as its PID 1. For one that keeps running, give it a command that lasts, like \`sleep 1000\`.`,
    'stop-waited': (p) =>
      `\`docker stop\` waited ${p.seconds} seconds, then killed it (exit code 137 = SIGKILL). \`${p.name}\`'s PID 1 set no handler for SIGTERM, and the kernel delivers to PID 1 only the signals it handles, so the SIGTERM was ignored and Docker sent SIGKILL after the grace period. A laptop does the same. \`docker kill\` stops it at once, and \`docker run --init\` puts an init in front that passes SIGTERM on, so it ends right away.`,
    'no-interactive-shell': () =>
      'Chat is not a terminal, so you cannot stay inside a shell. Send each command you want to run inside as `docker exec NAME COMMAND` (e.g. `docker exec NAME ps aux`).',
    'host-view': () => "The lab's host view shows only your own lab containers' processes, with the PIDs the host sees.",
    'host-ns': (p) => {
      if (p.hostFrom === 'none') return `The number in [ ] is each namespace's inode. ${HOST_FROM.none}`;
      const differing = p.differing.length > 0 ? `${p.differing.join(', ')} differ from the host's: the container's own, isolated namespaces. ` : '';
      const shared = p.shared.length > 0 ? `${p.shared.join(', ')} are shared with the host.` : '';
      return `"# host:" is the same type of namespace of ${HOST_FROM[p.hostFrom]}. ${differing}${shared}`.trim();
    },
    'not-your-process': (p) =>
      p.yours && p.yours.length > 0
        ? `PID ${p.pid} is not one of your lab containers' processes (a number from the text, perhaps?). ${yoursEn(p.yours)}`
        : `PID ${p.pid} is not one of your lab containers' processes, so the lab will not show it (the host also runs other learners' and the system's processes). Find your container's host PID with \`ps aux | grep WORD\`, then try again.`,
    placeholder: (p) =>
      `\`${p.token}\` is a placeholder from the text: replace it with your value, ${p.want === 'pid' ? "your container's host PID" : "your container's full ID"}. ` +
      (p.yours.length > 0
        ? yoursEn(p.yours)
        : `You have no running lab container yet; start one (e.g. \`docker run -d --name deep-dive-container --memory=128m alpine sleep 7777\`), then find ${p.want === 'pid' ? "its PID with \`docker inspect -f '{{.State.Pid}}' NAME\`" : "its ID with \`docker inspect -f '{{.Id}}' NAME\`"}.`),
    'proc-not-visible': (p) =>
      `The lab's worker cannot see the host's /proc/${p.pid} (it runs in a PID namespace other than the host's). Check the container's PID with \`docker inspect -f '{{.State.Pid}}' NAME\` and its namespaces from inside with \`docker exec NAME ls -l /proc/1/ns\`.`,
    'not-your-container': (p) =>
      `"${p.id}" is not the id of one of your lab containers. Get the id with \`docker inspect -f '{{.Id}}' NAME\` (other people's containers' cgroups are not shown).`,
    'cgroup-mapped': (p) =>
      `This lab's host uses cgroup v${p.version}, so the path you typed (${p.typed}) does not exist here. The same value was read from this host's real file ${p.real.join(' + ')}${
        p.version === 1
          ? " (v2's memory.max is v1's memory.limit_in_bytes; cpu.max is cpu.cfs_quota_us and cpu.cfs_period_us)"
          : " (v1's memory.limit_in_bytes is v2's memory.max; cpu.cfs_quota_us / cpu.cfs_period_us are cpu.max)"
      }.`,
    'cgroup-missing': () => "That container's cgroup was not found. A container has its cgroup only while it runs; check with `docker ps` that it is running.",
  },
  refusal: {
    'flag-privileged': () =>
      "--privileged gives the container nearly all of the host's powers: every capability, every device under /dev, no seccomp or AppArmor filter. Root inside can mount the host's disks or load kernel modules: it is the classic way out of a container. The lab shares one machine with other learners, so it is never allowed here. To see what a normal container may do, try `docker exec NAME grep Cap /proc/self/status`.",
    'flag-volume': () =>
      "-v/--volume and --mount put the host's files and directories inside the container. With -v /:/host the container could read and change everything on the host, other learners' work and the Docker socket included. Lab containers see only their own filesystem. To study a container's mounts, try `docker exec NAME cat /proc/self/mountinfo`.",
    'flag-pid': () =>
      "--pid=host puts the container in the host's PID namespace: it sees every process on the host and, as root, can signal or trace them. That removes exactly the isolation you are studying (--pid=container:NAME joins another container's process space instead). To look at a container's processes from outside, use `docker top NAME` or `ps aux | grep WORD`.",
    'flag-network': () =>
      "--network/--net chooses the network a container joins; --network=host would share the host's network stack, its ports and interfaces. Lab containers run with no network at all, so they cannot reach the internet or each other.",
    'flag-cap-add': () =>
      "--cap-add gives Linux capabilities (slices of root's power) back to the container: SYS_ADMIN allows mounts and namespace tricks and is nearly full root, NET_ADMIN reconfigures networking. Lab containers run with every capability dropped; see for yourself with `docker exec NAME grep Cap /proc/self/status`.",
    'flag-device': () =>
      '--device passes a host device into the container, such as a disk like /dev/sda or a GPU. With a disk, the container could read and write the raw host disk. The lab passes no devices.',
    'flag-security-opt': () =>
      '--security-opt can switch off seccomp (the filter that blocks dangerous system calls) and AppArmor/SELinux, e.g. seccomp=unconfined, or allow privilege gain. Those are the last guard rails around a container, so the lab always keeps them on.',
    'flag-ipc': () =>
      "--ipc=host shares the host's IPC namespace (shared memory, semaphores, message queues), so the container could read or disturb other programs' shared memory. Not in the lab.",
    'flag-userns': () =>
      '--userns=host turns off user-namespace remapping, so root in the container is the very same uid 0 as root on the host. The lab decides the user mapping itself.',
    'flag-publish': () =>
      '-p/--publish opens a port on the host and forwards it to the container, so it can be reached from outside the machine. Lab containers have no network, and we never open ports on the shared host.',
    'flag-uts': () =>
      "--uts=host shares the host's UTS namespace, so the container could change the host's hostname. To name the container's host, use --hostname instead.",
    'flag-cgroup': () =>
      "--cgroupns=host shows the host's whole cgroup tree and --cgroup-parent moves the container under another cgroup, which could escape the lab's memory and CPU limits. Explore limits with --memory, --cpus and --pids-limit instead.",
    'flag-sysctl': () => '--sysctl changes kernel parameters for the container. The kernel is shared with the host, so the lab leaves them alone.',
    'flag-oom': () =>
      "--oom-kill-disable and --oom-score-adj change which process the kernel kills when memory runs out; on a shared host someone else's process might be killed instead. In the lab you can watch a container hit its memory limit (exit 137) as it really happens.",
    'flag-runtime': () =>
      '--runtime swaps the low-level runtime that starts the container (normally runc). The lab runs containers with one known runtime and configuration only.',
    'flag-restart': () =>
      '--restart makes Docker bring a container back after it exits or the host reboots. Lab containers are temporary and get cleaned up, so they never come back on their own.',
    'subcommand-registry': subcommand(
      'The lab has no internet and no image registry (Docker Hub and friends). Images come prepared, so there is nothing to pull: `docker run -d --name my-alpine alpine sleep 1000` works as it is.',
    ),
    'subcommand-image': subcommand(
      'Building and managing images would change what the Docker engine stores for everyone who shares it, so the lab leaves images alone. Here you run containers from the prepared image and look inside them.',
    ),
    'subcommand-engine': subcommand(
      'This command manages the Docker engine itself (its networks, volumes, settings). The engine is shared with other learners, so the lab only runs commands that act on your own containers.',
    ),
    'subcommand-cp': subcommand(
      "docker cp copies files between the host and a container, which touches the host's files, so it is not in the lab. Read files from inside instead, e.g. `docker exec NAME cat /etc/os-release`.",
    ),
    'subcommand-unsupported': (p) => `\`docker ${p.sub}\` is not part of the lab (yet). The lab runs: ${SUPPORTED}.`,
    'flag-unsupported': (p) =>
      `${p.flag} is not an option the lab supports for \`docker ${p.sub}\`. Supported options: ${p.supported.length > 0 ? p.supported.join(', ') : '(なし / none)'}.`,
    help: (p) => `In the lab, \`docker ${p.sub}\` takes: ${p.supported.join(', ')}.`,
    'shell-operator': (p) => operator(p.op, p.column),
    'shell-multiple-commands': (p) => operator('newline', p.column),
    'quote-unclosed': (p) =>
      p.quote === "'"
        ? `The single quote (') at column ${p.column} is never closed. Quotes come in pairs: '...'.`
        : `The double quote (") at column ${p.column} is never closed. Quotes come in pairs: "...".`,
    'trailing-backslash': () => 'The line ends with a backslash (\\). A shell would wait for the next line; here, send the command on one line.',
    'shell-substitution': (p) =>
      `${p.text} at column ${p.column} is command substitution: a host shell would run another command and paste in its output. The lab never runs commands on the host. Run that command on its own first, then paste the value it printed.`,
    'shell-variable': (p) =>
      `${p.text} at column ${p.column} is a shell variable, which a host shell would replace with its value. The lab does not expand it: write the value itself. To read a variable inside the container, single-quote it: \`docker exec NAME sh -c 'echo $HOME'\`.`,
    empty: () => 'The command is empty. Try `docker ps`, for example.',
    'too-long': (p) => `The command is too long (at most ${p.max} characters).`,
    'not-docker': (p) =>
      `The host's view is not a full shell: it only looks at your own lab containers, so \`${p.word}\` like this does not run here. It runs \`ps aux | grep WORD\`, \`ls -l /proc/PID/ns\`, \`cat …/docker-ID.scope/memory.max\` and \`docker …\` (inside a container: \`docker exec NAME ${p.word} …\`).`,
    'container-prompt': (p) =>
      `The leading "/ #" is the prompt of the shell inside a container (the lesson uses it for commands typed inside). In the lab, send commands for inside a container as \`docker exec NAME ${p.example}\` (e.g. \`docker exec my-alpine ${p.example}\`).`,
    'flag-global': (p) =>
      `${p.flag} is an option of docker itself (-H, --context and friends switch the Docker engine you talk to); the lab does not take them. Start with the subcommand, e.g. \`docker run ...\`.`,
    'missing-subcommand': () => `docker needs a subcommand. The lab runs: ${SUPPORTED}.`,
    'flag-missing-value': (p) => `${p.flag} needs a value after it.`,
    'flag-bad-boolean': (p) => `${p.flag} takes only true or false (got "${p.value}").`,
    'missing-argument': (p) => `\`docker ${p.sub}\` needs ${MISSING[p.what]}. Usage: \`${p.usage}\``,
    invalid: (p) => `The command does not look right (${p.detail}).`,
    'too-many-arguments': (p) => `\`docker ${p.sub}\` got an extra argument "${p.extra}". Usage: \`${p.usage}\``,
    'bad-container-name': (p) =>
      `"${p.name}" is not a valid container name. Docker names start with a letter or digit, use only letters, digits, _ . and -, and are at most 64 characters (e.g. my-alpine).`,
    'too-many-containers': (p) =>
      `That \`docker ${p.sub}\` names ${p.given} containers; the lab answers for up to ${p.max} at once, because every name is work for the machine all learners share. Send it in a few smaller groups.`,
    'env-needs-value': (p) =>
      `-e ${p.key} without a value makes Docker copy the host's variable of that name into the container, which is how host secrets leak. In the lab, give the value: -e ${p.key}=VALUE.`,
    'bad-env': (p) =>
      `The environment variable "${p.entry}" should look like KEY=VALUE, where KEY starts with a letter or _ and has only letters, digits and _.`,
    'bad-hostname': (p) => `"${p.value}" is not a valid hostname: use letters, digits and hyphens (dots between parts), at most 63 characters.`,
    'bad-user': (p) => `The user "${p.value}" should be NAME or UID, optionally with :GROUP or :GID (e.g. 1000:1000, nobody).`,
    'bad-memory': (p) =>
      `Could not read the memory size "${p.value}". Write a number with b, k, m or g, like 128m or 1g (k = 1024 bytes, m = 1024k, g = 1024m).`,
    'memory-too-small': (p) =>
      `A memory limit of "${p.value}" is too small: Docker allows 6MB at least (the real docker says "Minimum memory limit allowed is 6MB").`,
    'bad-cpus': (p) => `Could not read --cpus "${p.value}". Use a non-negative number like 0.5 or 1 (0.5 means half a CPU).`,
    'bad-pids-limit': (p) => `--pids-limit "${p.value}" should be a whole number (e.g. 32).`,
    'bad-template': (p) =>
      `Could not read the -f template "${p.template}": ${p.error}\nThe lab supports fields like {{.Id}}, {{.State.Pid}}, {{.HostConfig.Memory}} and {{json .State}}.`,
    'image-not-available': (p) =>
      `The image "${p.image}" is not in the lab. There is no internet or registry here, so use one of the prepared images: ${p.available.join(', ')} (tags like alpine:3.19 are fine).`,
    'host-ps-only': (p) =>
      `The host's process list is available as \`ps aux\` or \`ps aux | grep WORD\` only (${p.detail}). For a container's processes, use \`docker top NAME\` or \`docker exec NAME ps aux\`.`,
    'host-view-only': (p) =>
      `The lab's host view answers a few forms about your own lab containers, one path at a time (not \`${p.detail}\`): \`ls -l /proc/PID/ns\`, \`readlink /proc/PID/ns/pid\` (PID being the host PID \`ps aux | grep WORD\` shows) and a container's cgroup limit file such as \`cat /sys/fs/cgroup/system.slice/docker-ID.scope/memory.max\` or \`cat /sys/fs/cgroup/memory/docker/ID/memory.limit_in_bytes\` (memory.max, memory.limit_in_bytes, pids.max, cpu.max, cpu.cfs_quota_us, cpu.cfs_period_us; get the ID with \`docker inspect -f '{{.Id}}' NAME\`).`,
    // conv-c: short refusals for the host's view.
    'host-shell': (p) =>
      `\`${p.word}\` would open a shell on the host, and the lab never gives one out (the host is shared). What the host sees of your containers is right here, though: \`ps aux | grep "sleep 7777"\`, then \`sudo ls -l /proc/<PID>/ns\`.`,
    'cgroup-file-not-offered': (p) =>
      `The host's view reads only the limit files of your containers' cgroups (memory.max, memory.limit_in_bytes, pids.max, cpu.max…), not \`${p.file}\`. For what it uses right now, try \`docker stats --no-stream NAME\`.`,
  },
};
