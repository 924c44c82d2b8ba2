// Word lists the line classifier (line-kind.ts) weighs. Data, not logic: extend them freely.

/** Shell builtins and keywords (bash and busybox sh) that are on no PATH but run all the same. */
export const SHELL_BUILTINS: readonly string[] = [
  '.', ':', 'alias', 'bg', 'break', 'builtin', 'case', 'cd', 'command', 'continue', 'declare', 'dirs', 'disown',
  'echo', 'eval', 'exec', 'exit', 'export', 'false', 'fc', 'fg', 'for', 'function', 'getopts', 'hash', 'help',
  'history', 'if', 'jobs', 'kill', 'let', 'local', 'logout', 'mapfile', 'popd', 'printf', 'pushd', 'pwd', 'read',
  'readonly', 'return', 'select', 'set', 'shift', 'shopt', 'source', 'test', 'time', 'times', 'trap', 'true',
  'type', 'typeset', 'ulimit', 'umask', 'unalias', 'unset', 'until', 'wait', 'while', '[[', '{', '(',
];

/** Commands the seed and the lessons type that live outside the sandbox image (the lab, the host's view). */
export const LESSON_COMMANDS: readonly string[] = ['docker', 'sudo', 'nsenter', 'unshare'];

/** Shell grammar words that start a compound command; their lines are shell even with English-looking words. */
export const SHELL_KEYWORDS: readonly string[] = ['for', 'while', 'until', 'if', 'case', 'select', 'function', '{', '(', '[[', '['];

/**
 * Commands learners type on their own machines, in Alpine (busybox) or on a Docker Desktop VM: not in
 * the sandbox image, yet a line starting with one is meant as a command (it may fail, it is not chat).
 */
export const COMMON_COMMANDS: readonly string[] = [
  'apk', 'brew', 'busybox', 'colima', 'crictl', 'ctr', 'curl', 'dig', 'docker-compose', 'file', 'git', 'htop', 'ifconfig',
  'iptables', 'jq', 'kubectl', 'less', 'lima', 'limactl', 'lsof', 'make', 'man', 'nano', 'nc', 'nerdctl', 'netstat',
  'nft', 'node', 'npm', 'nslookup', 'orb', 'orbctl', 'ping', 'podman', 'python', 'python3', 'rsync', 'runc', 'scp',
  'ssh', 'strace', 'systemctl', 'journalctl', 'traceroute', 'tree', 'vi', 'vim', 'wget', 'wsl', 'zsh', 'fish',
  'skopeo', 'buildah', 'crun', 'youki', 'containerd', 'dockerd', 'systemd-cgls', 'systemd-cgtop', 'bpftool', 'pstree',
  'll', 'lsmod', 'modprobe', 'locate', 'updatedb', 'killall', 'reboot', 'shutdown', 'poweroff', 'ncdu', 'tmux', 'screen',
];

/**
 * Commands (and shell words) that are everyday chat words too. Alone, they are chat while talking to
 * the tutor; in a shell 'chat' ones stay chat, 'ask' ones are asked about and 'run' ones run.
 */
export const CHATTY_COMMANDS: ReadonlyMap<string, 'chat' | 'ask' | 'run'> = new Map([
  ['yes', 'ask'], ['help', 'ask'], ['more', 'ask'], ['time', 'ask'], ['test', 'ask'], ['watch', 'ask'], ['wait', 'ask'],
  ['last', 'ask'], ['continue', 'chat'], ['nice', 'chat'], ['next', 'chat'], ['sure', 'chat'], ['done', 'chat'],
  ['who', 'run'], ['true', 'run'], ['false', 'run'], ['reset', 'ask'],
  ['man', 'ask'], ['make', 'ask'], ['file', 'ask'], ['tree', 'ask'], ['less', 'ask'], ['node', 'ask'], ['ping', 'ask'],
]);

/** The subcommands of tools whose first argument must be one: `docker desktop` is talk, `docker ps` is not. */
export const SUBCOMMANDS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['docker', new Set([
    'attach', 'build', 'builder', 'buildx', 'commit', 'compose', 'config', 'container', 'context', 'cp', 'create', 'diff',
    'events', 'exec', 'export', 'history', 'image', 'images', 'import', 'info', 'init', 'inspect', 'kill', 'load', 'login',
    'logout', 'logs', 'network', 'node', 'pause', 'plugin', 'port', 'ps', 'pull', 'push', 'rename', 'restart', 'rm', 'rmi',
    'run', 'save', 'search', 'secret', 'service', 'stack', 'start', 'stats', 'stop', 'swarm', 'system', 'tag', 'top',
    'trust', 'unpause', 'update', 'version', 'volume', 'wait', 'scout', 'debug',
  ])],
  ['apt', new Set(['install', 'update', 'upgrade', 'remove', 'purge', 'search', 'show', 'list', 'autoremove', 'policy', 'download'])],
  ['apt-get', new Set(['install', 'update', 'upgrade', 'remove', 'purge', 'autoremove', 'clean', 'download', 'source', 'check'])],
  ['ip', new Set([
    'a', 'addr', 'address', 'l', 'link', 'r', 'route', 'n', 'neigh', 'neighbour', 'netns', 'rule', 'maddr', 'mroute',
    'monitor', 'netconf', 'ntable', 'tunnel', 'tuntap', 'token', 'xfrm', 'help',
  ])],
]);

/**
 * Commands that take a bare word as a matter of course, so `CMD word` is no sign of talk: options as bare
 * letters (`ps aux`, `tar czf`) or text to print (`echo done`).
 */
export const BARE_WORD_COMMANDS: ReadonlySet<string> = new Set(['ps', 'tar', 'ar', 'echo', 'printf']);

/**
 * What the arguments of commands with a narrow grammar look like. `exit code 137`, `sleep well` and
 * `date night` break it, and read as talk.
 */
export const ARGUMENT_SHAPES: ReadonlyMap<string, RegExp> = new Map([
  ['exit', /^\d{1,3}$/],
  ['logout', /^\d{1,3}$/],
  ['return', /^\d{1,3}$/],
  ['sleep', /^(?:\d+(?:\.\d+)?[smhd]?|inf|infinity|-.+)$/],
  ['kill', /^(?:-.+|%\d*|\d+|[A-Z0-9]+)$/],
  ['date', /^(?:[-+].*|\d+)$/],
  ['history', /^(?:-.+|\d+)$/],
  ['free', /^-.+$/],
  ['uptime', /^-.+$/],
  ['nproc', /^-.+$/],
  ['whoami', /^-.+$/],
  ['pwd', /^-.+$/],
  ['clear', /^-.+$/],
  ['reset', /^-.+$/],
  ['jobs', /^(?:-.+|%\d*)$/],
]);

/** Words that open or are a chat line: acknowledgements, greetings, thanks, feelings. */
export const CHAT_WORDS: ReadonlySet<string> = new Set([
  'ok', 'okay', 'okey', 'k', 'kk', 'yes', 'yeah', 'yep', 'yup', 'ya', 'no', 'nope', 'nah', 'sure', 'thanks', 'thank',
  'thx', 'ty', 'tysm', 'cheers', 'hi', 'hello', 'hey', 'yo', 'hiya', 'bye', 'goodbye', 'cool', 'nice', 'great', 'good',
  'awesome', 'perfect', 'wow', 'whoa', 'oh', 'ah', 'aha', 'hmm', 'hm', 'um', 'uh', 'lol', 'haha', 'right', 'alright',
  'understood', 'gotcha', 'got', 'done', 'next', 'continue', 'go', 'sorry', 'please', 'interesting', 'amazing',
  'neat', 'fine', 'sounds', 'agreed', 'exactly', 'indeed', 'correct', 'wrong', 'maybe', 'why', 'what', 'how', 'huh',
  'wait', 'again', 'more', 'ready', 'later', 'morning', 'evening', 'night', 'welcome', 'love', 'same', 'also',
  'really', 'definitely', 'absolutely', 'certainly', 'yay', 'omg', 'lets', 'let', 'im', 'ive', 'dont', 'idk',
]);

/** English words that hardly ever stand bare in a shell command but fill sentences. */
export const SENTENCE_WORDS: ReadonlySet<string> = new Set([
  'is', 'are', 'was', 'were', 'am', 'the', 'what', 'why', 'how', 'does', 'did', 'this', 'that', 'these', 'those',
  'should', 'would', 'could', 'can', 'please', 'thanks', 'thank', 'you', 'your', 'i', 'me', 'my', 'we', 'our', 'there',
  'here', 'because', 'about', 'really', 'very', 'also', 'shows', 'showed', 'says', 'said', 'printed', 'returned', 'saw',
  'seems', 'seem', 'looks', 'mean', 'means', 'meant', 'happened', 'happens', 'worked', 'works', 'failed', 'just',
  'still', 'when', 'where', 'will', 'have', 'has', 'had', 'been', 'be', 'not', 'it', 'its', 'they', 'them', 'their',
  'he', 'she', 'his', 'her', 'something', 'anything', 'nothing', 'everything', 'understand', 'know', 'think', 'want',
  'need', 'explain', 'tell', 'difference', 'between', 'why', 'which', 'im', 'ive', 'dont', 'cant', 'whats', 'thats',
  'much', 'many', 'lot', 'got', 'see', 'tried', 'try', 'ran', 'typed', 'gives', 'gave', 'instead', 'same', 'different',
  'mine', 'yours', 'anyway', 'actually', 'though', 'maybe', 'probably', 'sure', 'cool', 'nice', 'great', 'itself',
  'themselves', 'guess', 'perhaps', 'vs', 'versus',
]);

/** Short English words that also turn up as arguments (`ls up`, `touch a`); they weigh less. */
export const FILLER_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'of', 'to', 'in', 'on', 'at', 'for', 'with', 'and', 'or', 'but', 'so', 'no', 'do', 'if', 'then', 'as',
  'from', 'by', 'all', 'one', 'out', 'up', 'into', 'over', 'now', 'again', 'too', 'more', 'some', 'any', 'other',
  'only', 'like', 'first', 'next', 'before', 'after', 'yes', 'ok', 'okay', 'step', 'command', 'output', 'number',
]);
