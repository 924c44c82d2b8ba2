// What the lab says when it will not run a command. A refusal is a teaching moment: each one says, in
// Japanese and English, what the thing would really do and why a shared lab keeps it away.
import type { ShellOperator, ShellProblem } from './shell.js';

export interface LabRefusal {
  code: string;
  ja: string;
  en: string;
  /** The flag, subcommand, operator or value the refusal is about, as the learner typed it. */
  subject?: string;
}

export interface RefusedFlag {
  code: string;
  /** Every spelling docker accepts, e.g. `-v` and `--volume`. */
  flags: readonly string[];
  /** Whether the flags consume a value, so parsing can skip it and find further problems... */
  takesValue: boolean;
  /** ...except these spellings, which are plain switches. */
  switches?: readonly string[];
  ja: string;
  en: string;
}

/** Flags that weaken isolation. Listed for `run` (and `exec` where docker has them). */
export const refusedFlags: readonly RefusedFlag[] = [
  {
    code: 'flag-privileged',
    flags: ['--privileged'],
    takesValue: false,
    ja: '--privileged はコンテナにホストのほぼすべての権限を渡すオプションだよ。全 capability、/dev 以下の全デバイス、seccomp や AppArmor の制限なし。中の root がホストのディスクをマウントしたりカーネルモジュールを読み込んだりできてしまう、コンテナエスケープの定番ルートなんだ。ラボは他の学習者と同じマシンを共有しているから、ここでは使えないよ。普通のコンテナに許されている権限は `docker exec 名前 grep Cap /proc/self/status` で覗けるよ。',
    en: "--privileged gives the container nearly all of the host's powers: every capability, every device under /dev, no seccomp or AppArmor filter. Root inside can mount the host's disks or load kernel modules: it is the classic way out of a container. The lab shares one machine with other learners, so it is never allowed here. To see what a normal container may do, try `docker exec NAME grep Cap /proc/self/status`.",
  },
  {
    code: 'flag-volume',
    flags: ['-v', '--volume', '--mount', '--volumes-from'],
    takesValue: true,
    ja: '-v / --volume / --mount はホストのファイルやディレクトリをコンテナの中に見せる機能だよ。たとえば -v /:/host とすれば、コンテナからホストの全ファイル（他の人の作業や Docker のソケットも）を読み書きできてしまう。ラボのコンテナは自分のファイルシステムだけを見るようにしているんだ。コンテナのマウントの様子は `docker exec 名前 cat /proc/self/mountinfo` で観察できるよ。',
    en: "-v/--volume and --mount put the host's files and directories inside the container. With -v /:/host the container could read and change everything on the host, other learners' work and the Docker socket included. Lab containers see only their own filesystem. To study a container's mounts, try `docker exec NAME cat /proc/self/mountinfo`.",
  },
  {
    code: 'flag-pid',
    flags: ['--pid'],
    takesValue: true,
    ja: '--pid=host はコンテナをホストの PID namespace に入れるオプションだよ。ホスト上の全プロセスが見え、root なら他のプロセスにシグナルを送ったりトレースしたりできてしまう。まさに今学んでいる「隔離」を外すことになるんだ（--pid=container:名前 は別のコンテナのプロセス空間に入る）。外からプロセスを見たいときは `docker top 名前` や `ps aux | grep 単語` を使ってね。',
    en: "--pid=host puts the container in the host's PID namespace: it sees every process on the host and, as root, can signal or trace them. That removes exactly the isolation you are studying (--pid=container:NAME joins another container's process space instead). To look at a container's processes from outside, use `docker top NAME` or `ps aux | grep WORD`.",
  },
  {
    code: 'flag-network',
    flags: ['--network', '--net', '--link', '--add-host', '--dns'],
    takesValue: true,
    ja: '--network / --net はコンテナをどのネットワークにつなぐかを決めるオプションだよ。--network=host ならホストのネットワーク（ポートやインターフェース）をそのまま共有してしまう。ラボのコンテナはネットワークなしで動いていて、インターネットにも他のコンテナにもつながらないようにしているんだ。',
    en: "--network/--net chooses the network a container joins; --network=host would share the host's network stack, its ports and interfaces. Lab containers run with no network at all, so they cannot reach the internet or each other.",
  },
  {
    code: 'flag-cap-add',
    flags: ['--cap-add'],
    takesValue: true,
    ja: '--cap-add は Linux の capability（root の権限を細かく分けたもの）をコンテナに足すオプションだよ。たとえば SYS_ADMIN はマウントや namespace 操作ができてほぼ root と同じ、NET_ADMIN はネットワーク設定を変えられる。ラボのコンテナは capability をすべて外して動かしているよ。`docker exec 名前 grep Cap /proc/self/status` で確かめてみてね。',
    en: "--cap-add gives Linux capabilities (slices of root's power) back to the container: SYS_ADMIN allows mounts and namespace tricks and is nearly full root, NET_ADMIN reconfigures networking. Lab containers run with every capability dropped; see for yourself with `docker exec NAME grep Cap /proc/self/status`.",
  },
  {
    code: 'flag-device',
    flags: ['--device', '--gpus', '--device-cgroup-rule'],
    takesValue: true,
    ja: '--device はホストのデバイス（/dev/sda のようなディスク、GPU など）をコンテナに渡すオプションだよ。ディスクを渡せば、コンテナからホストのディスクを生のまま読み書きできてしまう。ラボではデバイスを渡さないよ。',
    en: '--device passes a host device into the container, such as a disk like /dev/sda or a GPU. With a disk, the container could read and write the raw host disk. The lab passes no devices.',
  },
  {
    code: 'flag-security-opt',
    flags: ['--security-opt'],
    takesValue: true,
    ja: '--security-opt は seccomp（危険なシステムコールを止めるフィルタ）や AppArmor / SELinux を外したり（seccomp=unconfined など）、権限昇格を許したりできるオプションだよ。どれもコンテナを守る最後の柵だから、ラボでは常にオンのままにしているんだ。',
    en: '--security-opt can switch off seccomp (the filter that blocks dangerous system calls) and AppArmor/SELinux, e.g. seccomp=unconfined, or allow privilege gain. Those are the last guard rails around a container, so the lab always keeps them on.',
  },
  {
    code: 'flag-ipc',
    flags: ['--ipc'],
    takesValue: true,
    ja: '--ipc=host はホストの IPC namespace（共有メモリ、セマフォ、メッセージキュー）を共有するオプションだよ。ほかのプログラムの共有メモリを読んだり壊したりできてしまうから、ラボでは使えないよ。',
    en: "--ipc=host shares the host's IPC namespace (shared memory, semaphores, message queues), so the container could read or disturb other programs' shared memory. Not in the lab.",
  },
  {
    code: 'flag-userns',
    flags: ['--userns'],
    takesValue: true,
    ja: '--userns=host は user namespace による UID の付け替えを止めて、コンテナ内の root をホストの root（uid 0）と同じにするオプションだよ。ラボではユーザーの対応づけをこちらで決めているから、変えられないんだ。',
    en: '--userns=host turns off user-namespace remapping, so root in the container is the very same uid 0 as root on the host. The lab decides the user mapping itself.',
  },
  {
    code: 'flag-publish',
    flags: ['-p', '--publish', '-P', '--publish-all', '--expose'],
    takesValue: true,
    switches: ['-P', '--publish-all'],
    ja: '-p / --publish はホストのポートを開けてコンテナに転送し、マシンの外からつながるようにするオプションだよ。ラボのコンテナにはネットワークがないし、共有しているホストにポートを開けることもしないんだ。',
    en: '-p/--publish opens a port on the host and forwards it to the container, so it can be reached from outside the machine. Lab containers have no network, and we never open ports on the shared host.',
  },
  {
    code: 'flag-uts',
    flags: ['--uts'],
    takesValue: true,
    ja: '--uts=host はホストのホスト名（UTS namespace）を共有するオプションで、コンテナからホストのホスト名を変えられてしまうよ。コンテナのホスト名を決めたいときは --hostname を使ってね。',
    en: "--uts=host shares the host's UTS namespace, so the container could change the host's hostname. To name the container's host, use --hostname instead.",
  },
  {
    code: 'flag-cgroup',
    flags: ['--cgroupns', '--cgroup-parent'],
    takesValue: true,
    ja: '--cgroupns=host はホストの cgroup ツリーを丸見えにし、--cgroup-parent はコンテナを別の cgroup の下に移すオプションだよ。ラボのメモリや CPU の制限から抜け出せてしまうので使えないんだ。制限は --memory / --cpus / --pids-limit で体験してね。',
    en: "--cgroupns=host shows the host's whole cgroup tree and --cgroup-parent moves the container under another cgroup, which could escape the lab's memory and CPU limits. Explore limits with --memory, --cpus and --pids-limit instead.",
  },
  {
    code: 'flag-sysctl',
    flags: ['--sysctl'],
    takesValue: true,
    ja: '--sysctl はコンテナ用にカーネルのパラメータを変えるオプションだよ。カーネルはホストと共有しているから、ラボでは触らないようにしているんだ。',
    en: '--sysctl changes kernel parameters for the container. The kernel is shared with the host, so the lab leaves them alone.',
  },
  {
    code: 'flag-oom',
    flags: ['--oom-kill-disable', '--oom-score-adj'],
    takesValue: true,
    switches: ['--oom-kill-disable'],
    ja: '--oom-kill-disable / --oom-score-adj は、メモリが足りなくなったときにカーネルがどのプロセスを止めるかを変えるオプションだよ。共有ホストでは、代わりに他の人のプロセスが止められてしまうかもしれない。メモリ不足でコンテナが止まる様子（exit 137）はラボでそのまま観察できるよ。',
    en: "--oom-kill-disable and --oom-score-adj change which process the kernel kills when memory runs out; on a shared host someone else's process might be killed instead. In the lab you can watch a container hit its memory limit (exit 137) as it really happens.",
  },
  {
    code: 'flag-runtime',
    flags: ['--runtime', '--isolation'],
    takesValue: true,
    ja: '--runtime はコンテナを動かす低レベルランタイム（普段は runc）を取り替えるオプションだよ。ラボは決まったランタイムと設定でだけ動かしているんだ。',
    en: '--runtime swaps the low-level runtime that starts the container (normally runc). The lab runs containers with one known runtime and configuration only.',
  },
  {
    code: 'flag-restart',
    flags: ['--restart'],
    takesValue: true,
    ja: '--restart はコンテナが終了したりホストが再起動したりしたときに Docker が自動で起こし直す設定だよ。ラボのコンテナは一時的なもので、時間がたつと片付けられるから使えないんだ。',
    en: '--restart makes Docker bring a container back after it exits or the host reboots. Lab containers are temporary and get cleaned up, so they never come back on their own.',
  },
];

/** Subcommands the lab will not run, grouped by the reason. */
export interface RefusedSubcommand {
  code: string;
  subcommands: readonly string[];
  ja: string;
  en: string;
}

export const refusedSubcommands: readonly RefusedSubcommand[] = [
  {
    code: 'subcommand-registry',
    subcommands: ['pull', 'push', 'login', 'logout', 'search', 'manifest', 'trust'],
    ja: 'ラボにはインターネットもイメージレジストリ（Docker Hub など）もないんだ。イメージはあらかじめ用意したものを使うから、pull しなくても `docker run -d --name my-alpine alpine sleep 1000` のようにそのまま動かせるよ。',
    en: 'The lab has no internet and no image registry (Docker Hub and friends). Images come prepared, so there is nothing to pull: `docker run -d --name my-alpine alpine sleep 1000` works as it is.',
  },
  {
    code: 'subcommand-image',
    subcommands: ['build', 'buildx', 'builder', 'commit', 'image', 'images', 'rmi', 'tag', 'save', 'load', 'import', 'export', 'history'],
    ja: 'イメージのビルドや管理は、みんなで共有している Docker エンジンの中身を書き換えることになるから、ラボでは扱わないんだ。ラボでは用意済みのイメージでコンテナを動かして、その中を観察しよう。',
    en: 'Building and managing images would change what the Docker engine stores for everyone who shares it, so the lab leaves images alone. Here you run containers from the prepared image and look inside them.',
  },
  {
    code: 'subcommand-engine',
    subcommands: ['system', 'info', 'version', 'events', 'network', 'volume', 'plugin', 'context', 'swarm', 'service', 'stack', 'node', 'secret', 'config', 'compose', 'checkpoint'],
    ja: 'これは Docker エンジンそのもの（ネットワーク、ボリューム、設定など）を管理するコマンドだよ。エンジンは他の学習者と共有しているから、ラボでは自分のコンテナを扱うコマンドだけを使えるようにしているんだ。',
    en: 'This command manages the Docker engine itself (its networks, volumes, settings). The engine is shared with other learners, so the lab only runs commands that act on your own containers.',
  },
  {
    code: 'subcommand-cp',
    subcommands: ['cp'],
    ja: 'docker cp はホストとコンテナの間でファイルをコピーするコマンドで、ホストのファイルに触れることになるからラボでは使えないよ。コンテナの中のファイルは `docker exec 名前 cat /etc/os-release` のように中で見てみてね。',
    en: "docker cp copies files between the host and a container, which touches the host's files, so it is not in the lab. Read files from inside instead, e.g. `docker exec NAME cat /etc/os-release`.",
  },
];

const SUPPORTED_SUBCOMMANDS = 'run, exec, ps, inspect, top, stats, logs, stop, kill, rm';

function refusal(code: string, ja: string, en: string, subject?: string): LabRefusal {
  return subject === undefined ? { code, ja, en } : { code, ja, en, subject };
}

export function refusedFlagFor(flag: string): RefusedFlag | undefined {
  return refusedFlags.find((entry) => entry.flags.includes(flag));
}

export function refusedFlagTakesValue(entry: RefusedFlag, flag: string): boolean {
  return entry.takesValue && !(entry.switches ?? []).includes(flag);
}

export function flagRefusal(entry: RefusedFlag, typed: string): LabRefusal {
  return refusal(entry.code, entry.ja, entry.en, typed);
}

/** Several dangerous flags in one command: one refusal that explains each of them. */
export function combineRefusals(refusals: LabRefusal[]): LabRefusal {
  const [first, ...rest] = refusals as [LabRefusal, ...LabRefusal[]];
  if (rest.length === 0) return first;
  return {
    ...first,
    ja: refusals.map((r) => r.ja).join('\n\n'),
    en: refusals.map((r) => r.en).join('\n\n'),
    subject: refusals.map((r) => r.subject ?? r.code).join(' '),
  };
}

export function subcommandRefusal(sub: string): LabRefusal {
  const entry = refusedSubcommands.find((e) => e.subcommands.includes(sub));
  if (entry) {
    return refusal(
      entry.code,
      `\`docker ${sub}\` はラボでは使えないよ。${entry.ja}\nラボで使えるのは ${SUPPORTED_SUBCOMMANDS} だよ。`,
      `\`docker ${sub}\` is not available in the lab. ${entry.en}\nThe lab runs: ${SUPPORTED_SUBCOMMANDS}.`,
      sub,
    );
  }
  return refusal(
    'subcommand-unsupported',
    `\`docker ${sub}\` はラボではまだ扱っていないんだ。ラボで使えるのは ${SUPPORTED_SUBCOMMANDS} だよ。`,
    `\`docker ${sub}\` is not part of the lab (yet). The lab runs: ${SUPPORTED_SUBCOMMANDS}.`,
    sub,
  );
}

export function unknownFlagRefusal(flag: string, sub: string, supported: readonly string[]): LabRefusal {
  const list = supported.length > 0 ? supported.join(', ') : '(なし / none)';
  return refusal(
    'flag-unsupported',
    `\`docker ${sub}\` の ${flag} はラボでは使えないオプションだよ。ラボで使える \`docker ${sub}\` のオプションは ${list} だよ。`,
    `${flag} is not an option the lab supports for \`docker ${sub}\`. Supported options: ${list}.`,
    flag,
  );
}

export function helpRefusal(sub: string, supported: readonly string[]): LabRefusal {
  const list = supported.join(', ');
  return refusal(
    'help',
    `ラボの \`docker ${sub}\` で使えるオプションは ${list} だよ。`,
    `In the lab, \`docker ${sub}\` takes: ${list}.`,
    '--help',
  );
}

const OPERATOR_TEXT: Record<ShellOperator, { ja: string; en: string }> = {
  '|': {
    ja: 'パイプ（|）はホストのシェルで2つのコマンドをつなぐ仕組みだよ。',
    en: 'A pipe (|) joins two commands in a shell on the host.',
  },
  '||': { ja: '「||」は前のコマンドが失敗したら次を実行するシェルの仕組みだよ。', en: '"||" runs the next command when the first fails, in a host shell.' },
  '&&': { ja: '「&&」は前のコマンドが成功したら次を実行するシェルの仕組みだよ。', en: '"&&" runs the next command when the first succeeds, in a host shell.' },
  ';': { ja: '「;」は複数のコマンドを続けて実行するシェルの仕組みだよ。', en: '";" runs several commands one after another, in a host shell.' },
  ';;': { ja: '「;;」はシェルの case 文の記号だよ。', en: '";;" belongs to a shell case statement.' },
  newline: {
    ja: '1つのメッセージに複数の行（複数のコマンド）が入っているよ。',
    en: 'The message holds several lines, that is several commands.',
  },
  '&': { ja: '「&」はコマンドをホストのシェルでバックグラウンド実行する仕組みだよ。', en: '"&" runs a command in the background of a host shell.' },
  '>': { ja: 'リダイレクト（>）はホストのファイルに出力を書き込む仕組みだよ。', en: "A redirection (>) writes output into a file on the host." },
  '>>': { ja: 'リダイレクト（>>）はホストのファイルに出力を追記する仕組みだよ。', en: 'A redirection (>>) appends output to a file on the host.' },
  '<': { ja: 'リダイレクト（<）はホストのファイルを入力として読み込む仕組みだよ。', en: 'A redirection (<) feeds a file from the host as input.' },
  '<<': { ja: 'ヒアドキュメント（<<）はホストのシェルの入力の仕組みだよ。', en: 'A here-document (<<) is input handled by a host shell.' },
  '(': { ja: '括弧（ ）はホストでサブシェルを作る仕組みだよ。', en: 'Parentheses start a subshell on the host.' },
  ')': { ja: '括弧（ ）はホストでサブシェルを作る仕組みだよ。', en: 'Parentheses start a subshell on the host.' },
};

const NO_HOST_SHELL_JA =
  'ラボでは1メッセージにつき1つの docker コマンドを、ホストのシェルを通さずに実行しているんだ（ホストのシェルこそ、サンドボックスが学習者から遠ざけているものだからね）。コマンドは1つずつ送ってね。シェルの機能を試したいなら、コンテナの中のシェルで動かせるよ：`docker exec 名前 sh -c \'ps aux | grep sleep\'`（シングルクォートで囲めば中のシェルに渡るよ）。';
const NO_HOST_SHELL_EN =
  "The lab runs one docker command per message, without a shell on the host (a host shell is exactly what the sandbox keeps away from learners). Send the commands one at a time. To play with shell features, use the shell inside your container: `docker exec NAME sh -c 'ps aux | grep sleep'` (single quotes hand it to the container's shell).";

export function operatorRefusal(op: ShellOperator, column: number): LabRefusal {
  const text = OPERATOR_TEXT[op];
  return refusal(
    op === 'newline' ? 'shell-multiple-commands' : 'shell-operator',
    `${text.ja}（${column} 文字目）${NO_HOST_SHELL_JA}`,
    `${text.en} (column ${column}) ${NO_HOST_SHELL_EN}`,
    op === 'newline' ? '\\n' : op,
  );
}

export function shellProblemRefusal(problem: ShellProblem): LabRefusal {
  const at = problem.column;
  switch (problem.code) {
    case 'unclosed-single-quote':
      return refusal(
        'quote-unclosed',
        `${at} 文字目のシングルクォート（'）が閉じていないよ。'…' のように対にしてね。`,
        `The single quote (') at column ${at} is never closed. Quotes come in pairs: '...'.`,
        "'",
      );
    case 'unclosed-double-quote':
      return refusal(
        'quote-unclosed',
        `${at} 文字目のダブルクォート（"）が閉じていないよ。"…" のように対にしてね。`,
        `The double quote (") at column ${at} is never closed. Quotes come in pairs: "...".`,
        '"',
      );
    case 'trailing-backslash':
      return refusal(
        'trailing-backslash',
        '行の最後がバックスラッシュ（\\）で終わっているよ。シェルなら次の行に続く合図だけど、ここではコマンドは1行で送ってね。',
        'The line ends with a backslash (\\). A shell would wait for the next line; here, send the command on one line.',
        '\\',
      );
    case 'command-substitution':
      return refusal(
        'shell-substitution',
        `${at} 文字目の ${problem.text} はコマンド置換で、ホストのシェルで別のコマンドを実行してその結果を埋め込む仕組みだよ。ラボではホストでコマンドを実行しないんだ。先にそのコマンドを単独で実行して、出てきた値を貼り付けてね。`,
        `${problem.text} at column ${at} is command substitution: a host shell would run another command and paste in its output. The lab never runs commands on the host. Run that command on its own first, then paste the value it printed.`,
        problem.text,
      );
    case 'shell-variable':
      return refusal(
        'shell-variable',
        `${at} 文字目の ${problem.text} はシェル変数で、ホストのシェルが値に置き換えるものだよ。ラボでは展開しないから、値をそのまま書いてね。コンテナの中の変数を見たいなら \`docker exec 名前 sh -c 'echo $HOME'\` のようにシングルクォートで囲もう。`,
        `${problem.text} at column ${at} is a shell variable, which a host shell would replace with its value. The lab does not expand it: write the value itself. To read a variable inside the container, single-quote it: \`docker exec NAME sh -c 'echo $HOME'\`.`,
        problem.text,
      );
  }
}

export const simpleRefusals = {
  empty: () => refusal('empty', 'コマンドが空っぽだよ。たとえば `docker ps` を試してみてね。', 'The command is empty. Try `docker ps`, for example.'),
  tooLong: (max: number) =>
    refusal('too-long', `コマンドが長すぎるよ（${max} 文字まで）。`, `The command is too long (at most ${max} characters).`),
  notDocker: (word: string) =>
    refusal(
      'not-docker',
      `\`${word}\` はホストで実行するコマンドだね。ラボではホストのシェルは使えなくて、docker コマンド（${SUPPORTED_SUBCOMMANDS}）と、ホストから見たプロセス一覧 \`ps aux | grep 単語\` だけを実行できるよ。コンテナの中で動かしたいなら \`docker exec 名前 ${word} …\` としてね。ホストから見たあなたのラボコンテナの様子は \`ls -l /proc/PID/ns\`、\`readlink /proc/PID/ns/pid\`、\`cat /sys/fs/cgroup/system.slice/docker-ID.scope/memory.max\` の形なら見られるよ（PID は \`ps aux | grep 単語\`、ID は \`docker inspect -f '{{.Id}}' 名前\` で分かるよ）。`,
      `\`${word}\` is a command for the host. The lab has no host shell: it runs docker commands (${SUPPORTED_SUBCOMMANDS}) and the host's process list \`ps aux | grep WORD\`. To run it inside a container, use \`docker exec NAME ${word} ...\`. What the host sees of your own lab containers you can read as \`ls -l /proc/PID/ns\`, \`readlink /proc/PID/ns/pid\` and \`cat /sys/fs/cgroup/system.slice/docker-ID.scope/memory.max\` (PID from \`ps aux | grep WORD\`, ID from \`docker inspect -f '{{.Id}}' NAME\`).`,
      word,
    ),
  containerPrompt: (inside: string) => {
    const example = inside.trim() === '' || inside.trim() === 'exit' ? 'ps aux' : inside.trim();
    return refusal(
      'container-prompt',
      `先頭の「/ #」はコンテナの中のシェルのプロンプトだよ（レッスンの例でコンテナの中で打つコマンドを表しているんだ）。ラボでは、コンテナの中のコマンドは \`docker exec 名前 ${example}\` のように送ってね（例: \`docker exec my-alpine ${example}\`）。`,
      `The leading "/ #" is the prompt of the shell inside a container (the lesson uses it for commands typed inside). In the lab, send commands for inside a container as \`docker exec NAME ${example}\` (e.g. \`docker exec my-alpine ${example}\`).`,
      '/ #',
    );
  },
  globalFlag: (flag: string) =>
    refusal(
      'flag-global',
      `docker 自体のオプション ${flag}（-H / --context などは接続先の Docker エンジンを切り替える）はラボでは使えないよ。\`docker run ...\` のようにサブコマンドから書いてね。`,
      `${flag} is an option of docker itself (-H, --context and friends switch the Docker engine you talk to); the lab does not take them. Start with the subcommand, e.g. \`docker run ...\`.`,
      flag,
    ),
  missingSubcommand: () =>
    refusal(
      'missing-subcommand',
      `docker のあとにサブコマンドが必要だよ。ラボで使えるのは ${SUPPORTED_SUBCOMMANDS} だよ。`,
      `docker needs a subcommand. The lab runs: ${SUPPORTED_SUBCOMMANDS}.`,
    ),
  missingFlagValue: (flag: string) =>
    refusal('flag-missing-value', `${flag} のあとに値が必要だよ。`, `${flag} needs a value after it.`, flag),
  badBoolean: (flag: string, value: string) =>
    refusal(
      'flag-bad-boolean',
      `${flag} に付けられるのは true か false だけだよ（「${value}」が付いていた）。`,
      `${flag} takes only true or false (got "${value}").`,
      flag,
    ),
  missingArgument: (sub: string, what: { ja: string; en: string }, usage: string) =>
    refusal(
      'missing-argument',
      `\`docker ${sub}\` には${what.ja}が必要だよ。使い方: \`${usage}\``,
      `\`docker ${sub}\` needs ${what.en}. Usage: \`${usage}\``,
      sub,
    ),
  invalid: (detail: string) =>
    refusal('invalid', `コマンドの形が正しくないみたい（${detail}）。`, `The command does not look right (${detail}).`, detail),
  tooManyArguments: (sub: string, extra: string, usage: string) =>
    refusal(
      'too-many-arguments',
      `\`docker ${sub}\` に余分な引数「${extra}」があるよ。使い方: \`${usage}\``,
      `\`docker ${sub}\` got an extra argument "${extra}". Usage: \`${usage}\``,
      extra,
    ),
  badContainerName: (name: string) =>
    refusal(
      'bad-container-name',
      `コンテナ名「${name}」は使えないよ。Docker の名前は英数字で始まり、英数字と _ . - だけを使った 64 文字以内にしてね（例: my-alpine）。`,
      `"${name}" is not a valid container name. Docker names start with a letter or digit, use only letters, digits, _ . and -, and are at most 64 characters (e.g. my-alpine).`,
      name,
    ),
  envNeedsValue: (key: string) =>
    refusal(
      'env-needs-value',
      `-e ${key} のように値なしで書くと、Docker はホスト側の同じ名前の環境変数をコピーしてしまうんだ（ホストの秘密が漏れる原因にもなる）。ラボでは -e ${key}=値 のように値を書いてね。`,
      `-e ${key} without a value makes Docker copy the host's variable of that name into the container, which is how host secrets leak. In the lab, give the value: -e ${key}=VALUE.`,
      key,
    ),
  badEnv: (entry: string) =>
    refusal(
      'bad-env',
      `環境変数「${entry}」は KEY=VALUE の形にしてね。KEY は英字か _ で始まり、英数字と _ だけを使うよ。`,
      `The environment variable "${entry}" should look like KEY=VALUE, where KEY starts with a letter or _ and has only letters, digits and _.`,
      entry,
    ),
  badHostname: (value: string) =>
    refusal(
      'bad-hostname',
      `ホスト名「${value}」は使えないよ。英数字とハイフン（と区切りのドット）で、63 文字以内にしてね。`,
      `"${value}" is not a valid hostname: use letters, digits and hyphens (dots between parts), at most 63 characters.`,
      value,
    ),
  badUser: (value: string) =>
    refusal(
      'bad-user',
      `ユーザー「${value}」は 名前 / UID、または 名前:グループ / UID:GID の形で書いてね（例: 1000:1000, nobody）。`,
      `The user "${value}" should be NAME or UID, optionally with :GROUP or :GID (e.g. 1000:1000, nobody).`,
      value,
    ),
  badMemory: (value: string) =>
    refusal(
      'bad-memory',
      `メモリの指定「${value}」が読めなかったよ。128m や 1g のように、数字に b / k / m / g を付けて書いてね（k=1024 バイト、m=1024k、g=1024m）。`,
      `Could not read the memory size "${value}". Write a number with b, k, m or g, like 128m or 1g (k = 1024 bytes, m = 1024k, g = 1024m).`,
      value,
    ),
  memoryTooSmall: (value: string) =>
    refusal(
      'memory-too-small',
      `メモリ「${value}」は小さすぎるよ。Docker が許すメモリ制限は 6MB 以上なんだ（本物の docker も "Minimum memory limit allowed is 6MB" と断るよ）。`,
      `A memory limit of "${value}" is too small: Docker allows 6MB at least (the real docker says "Minimum memory limit allowed is 6MB").`,
      value,
    ),
  badCpus: (value: string) =>
    refusal(
      'bad-cpus',
      `--cpus の値「${value}」が読めなかったよ。0.5 や 1 のような 0 以上の数で書いてね（0.5 は CPU 半分ぶん）。`,
      `Could not read --cpus "${value}". Use a non-negative number like 0.5 or 1 (0.5 means half a CPU).`,
      value,
    ),
  badPids: (value: string) =>
    refusal(
      'bad-pids-limit',
      `--pids-limit の値「${value}」は整数で書いてね（例: 32）。`,
      `--pids-limit "${value}" should be a whole number (e.g. 32).`,
      value,
    ),
  badTemplate: (template: string, error: string) =>
    refusal(
      'bad-template',
      `-f のテンプレート「${template}」を読めなかったよ: ${error}\nラボで使えるのは {{.Id}}、{{.State.Pid}}、{{.HostConfig.Memory}} のようなフィールドと、{{json .State}} だけだよ。`,
      `Could not read the -f template "${template}": ${error}\nThe lab supports fields like {{.Id}}, {{.State.Pid}}, {{.HostConfig.Memory}} and {{json .State}}.`,
      template,
    ),
  imageNotAvailable: (image: string, available: readonly string[]) =>
    refusal(
      'image-not-available',
      `イメージ「${image}」はラボにはないんだ。ラボにはインターネットもレジストリもないから、用意してある ${available.join(', ')} を使ってね（タグ付き、例: alpine:3.19 も OK）。`,
      `The image "${image}" is not in the lab. There is no internet or registry here, so use one of the prepared images: ${available.join(', ')} (tags like alpine:3.19 are fine).`,
      image,
    ),
  hostPsOnly: (detail: string) =>
    refusal(
      'host-ps-only',
      `ホストから見えるプロセスは \`ps aux\` か \`ps aux | grep 単語\` の形でだけ見られるよ（${detail}）。コンテナの中のプロセスは \`docker top 名前\` や \`docker exec 名前 ps aux\` で見てね。`,
      `The host's process list is available as \`ps aux\` or \`ps aux | grep WORD\` only (${detail}). For a container's processes, use \`docker top NAME\` or \`docker exec NAME ps aux\`.`,
      detail,
    ),
  hostViewOnly: (detail: string) =>
    refusal(
      'host-view-only',
      `ラボの「ホスト」で読めるのは、あなたのラボコンテナの様子だけなんだ（${detail}）。使える形は \`ls -l /proc/PID/ns\`、\`readlink /proc/PID/ns/pid\`（PID は \`ps aux | grep 単語\` で見つけたホスト側の PID）と、\`cat /sys/fs/cgroup/system.slice/docker-ID.scope/memory.max\` や \`cat /sys/fs/cgroup/memory/docker/ID/memory.limit_in_bytes\` のような cgroup の上限ファイル（memory.max, memory.limit_in_bytes, pids.max, cpu.max, cpu.cfs_quota_us, cpu.cfs_period_us。ID は \`docker inspect -f '{{.Id}}' 名前\` で取れるよ）だよ。`,
      `In the lab's host view you can read only your own lab containers (${detail}). What works: \`ls -l /proc/PID/ns\`, \`readlink /proc/PID/ns/pid\` (PID being the host PID \`ps aux | grep WORD\` shows) and a container's cgroup limit file such as \`cat /sys/fs/cgroup/system.slice/docker-ID.scope/memory.max\` or \`cat /sys/fs/cgroup/memory/docker/ID/memory.limit_in_bytes\` (memory.max, memory.limit_in_bytes, pids.max, cpu.max, cpu.cfs_quota_us, cpu.cfs_period_us; get the ID with \`docker inspect -f '{{.Id}}' NAME\`).`,
      detail,
    ),
} as const;
