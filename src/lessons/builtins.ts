import type { Lang } from './schema.js';

export const builtinIds = [
  'timeout',
  'oom',
  'killed',
  'cgroup-v1-host',
  'cgroup-v2-host',
  'pids-limit',
  'read-only',
  'not-permitted',
  'permission-denied',
  'command-not-found',
  'no-network',
  'no-such-file',
  'truncated',
  'unmatched',
] as const;
export type BuiltinId = (typeof builtinIds)[number];

/** Explanations for surprises any step can meet; a lesson's own `unexpected` entries come first. */
export const builtinExplanations: Readonly<Record<BuiltinId, Readonly<Record<Lang, string>>>> = {
  timeout: {
    ja: 'コマンドが制限時間内に終わらなかったので、サンドボックスが止めたよ ⏱️ 終わらないループや、入力を待ち続けるコマンド（引数なしの `cat` など）になっていないか見てみよう。ここでは標準入力は空だから、何かを待つコマンドはずっと待ちぼうけになっちゃうんだ。',
    en: 'The command did not finish in time, so the sandbox stopped it ⏱️ Check for a loop that never ends, or a command waiting for input (like `cat` with no arguments). Standard input is empty here, so anything that waits for it will wait forever.',
  },
  oom: {
    ja: 'メモリの上限を超えたので、カーネルの OOM killer がプロセスを止めたよ 💥 終了コード 137 は 128 + 9、つまり SIGKILL で殺されたという意味なんだ。このサンドボックスのメモリ上限は cgroup で 256 MiB（スワップなし）に決められていて、それを超えた瞬間にカーネルが容赦なく止める。アプリのバグじゃなく「制限どおりに動いた」結果だよ。',
    en: 'The command went over its memory limit, so the kernel\'s OOM killer stopped it 💥 Exit code 137 is 128 + 9: killed by SIGKILL. This sandbox\'s cgroup caps memory at 256 MiB with no swap, and the kernel ends a process the moment it goes over. That is not a bug in the command: the limit did exactly its job.',
  },
  killed: {
    ja: '終了コード 137 は 128 + 9、つまりプロセスが SIGKILL で強制終了されたという意味だよ。コンテナでいちばん多い原因はメモリ上限による OOM kill、次が時間切れ後の強制終了。`dmesg` や `docker inspect` の `State.OOMKilled` で、どちらだったか確かめられるんだ。',
    en: 'Exit code 137 is 128 + 9: the process was ended with SIGKILL. In containers the usual cause is an OOM kill at the memory limit, the next is a forced stop after a timeout. On a host, `dmesg` or `State.OOMKilled` in `docker inspect` tells you which one it was.',
  },
  'cgroup-v1-host': {
    ja: 'cgroup v2 のパス（`/sys/fs/cgroup/cgroup.controllers` や `memory.max` など）が見つからなかったね。これはマシンが cgroup v1 で動いているサインだよ 🙂 v1 ではコントローラーごとにディレクトリが分かれていて、たとえばメモリ上限は `/sys/fs/cgroup/memory/memory.limit_in_bytes`、プロセス数は `/sys/fs/cgroup/pids/pids.max` にあるんだ。`ls /sys/fs/cgroup` で並び方を見てみよう。',
    en: 'A cgroup v2 path (such as `/sys/fs/cgroup/cgroup.controllers` or `memory.max`) is not there. That is the sign of a machine running cgroup v1 🙂 In v1 every controller has its own directory: the memory limit lives in `/sys/fs/cgroup/memory/memory.limit_in_bytes`, the process limit in `/sys/fs/cgroup/pids/pids.max`. Try `ls /sys/fs/cgroup` to see the layout.',
  },
  'cgroup-v2-host': {
    ja: 'cgroup v1 のパス（`/sys/fs/cgroup/memory/...` のようなコントローラー別ディレクトリ）が見つからなかったね。これはマシンが cgroup v2 で動いているサインだよ 🙂 v2 は一本の木にまとまっていて、メモリ上限は `/sys/fs/cgroup/memory.max`、プロセス数は `/sys/fs/cgroup/pids.max`、CPU は `/sys/fs/cgroup/cpu.max` にあるんだ。',
    en: 'A cgroup v1 path (a per-controller directory like `/sys/fs/cgroup/memory/...`) is not there. That is the sign of a machine running cgroup v2 🙂 v2 keeps one unified tree: the memory limit is `/sys/fs/cgroup/memory.max`, the process limit `/sys/fs/cgroup/pids.max`, CPU `/sys/fs/cgroup/cpu.max`.',
  },
  'pids-limit': {
    ja: '新しいプロセスを作れなかった（fork に失敗した）みたい。このサンドボックスは cgroup の pids コントローラーでプロセス数を 64 個までに制限しているんだ 🧯 いわゆる fork 爆弾からホストを守る仕組みだよ。バックグラウンドで動かしたままのプロセスがないか確かめてみてね。',
    en: 'A new process could not be created (fork failed). This sandbox limits itself to 64 processes with the cgroup pids controller 🧯 That is what protects the host from fork bombs. Check whether something is still running in the background.',
  },
  'read-only': {
    ja: 'ルートファイルシステムが読み取り専用だから書き込めなかったんだ 🔒 このサンドボックスは `--read-only` で動いていて、書き込めるのは `/tmp` とホームディレクトリ（`/home/learner`）の tmpfs だけ。ファイルを作って試したいときは `/tmp` か `~` を使ってね。',
    en: 'The root filesystem is read-only, so the write was refused 🔒 This sandbox runs with `--read-only`; only the tmpfs mounts `/tmp` and your home (`/home/learner`) are writable. Use `/tmp` or `~` for files you want to play with.',
  },
  'not-permitted': {
    ja: '「Operation not permitted」（EPERM）はカーネルが操作そのものを拒んだという意味だよ。このサンドボックスは capabilities を全部外し（`--cap-drop ALL`）、seccomp で危ないシステムコールを止め、no-new-privileges も付けている。だから root 向けの操作や名前空間づくりは断られるんだ。これも「隔離が効いている」証拠だね 🛡️',
    en: '"Operation not permitted" (EPERM) means the kernel refused the operation itself. This sandbox drops every capability (`--cap-drop ALL`), filters risky system calls with seccomp and sets no-new-privileges, so root-only operations and making namespaces are refused. That is the isolation working 🛡️',
  },
  'permission-denied': {
    ja: '「Permission denied」は、ファイルの権限で断られたという意味だよ。ここでのコマンドは uid 1000 の一般ユーザー `learner` として動いているから、root だけが読めるファイル（`/etc/shadow` など）は読めないんだ。もうひとつ、`/tmp` と `~` は noexec でマウントされていることがあって、そこに置いたスクリプトは直接実行できない。`sh ファイル名` で動かしてみてね。',
    en: '"Permission denied" means file permissions said no. Commands here run as the ordinary user `learner` (uid 1000), so files only root may read (like `/etc/shadow`) stay closed. Also, `/tmp` and `~` may be mounted noexec, so a script placed there cannot be executed directly: run it as `sh FILE` instead.',
  },
  'command-not-found': {
    ja: 'そのコマンドはこのサンドボックスに入っていないみたい 🔍 ここは Debian の最小構成（procps、util-linux、iproute2、coreutils、bash）だけのイメージなんだ。コンテナイメージは「必要なものだけ入れる」のが基本だから、手元の環境とは道具が違うことがあるよ。スペルも念のため確認してみてね。',
    en: 'That command is not in this sandbox 🔍 The image is a minimal Debian with just procps, util-linux, iproute2, coreutils and bash. Container images carry only what they need, so the tools can differ from your own machine. Double-check the spelling too.',
  },
  'no-network': {
    ja: 'このサンドボックスはネットワークなし（`--network none`）で動いているから、外には出られないんだ 🌐 見えるのはループバックの `lo` だけ。これも network namespace の働きで、空っぽの名前空間を渡されている状態だよ。',
    en: 'This sandbox runs with no network (`--network none`), so nothing can reach outside 🌐 Only the loopback interface `lo` exists. That is the network namespace at work: the container was given an empty one.',
  },
  'no-such-file': {
    ja: 'そのファイルやディレクトリは見つからなかったよ。パスのつづりを確認してみよう。カーネルのバージョンや設定によって `/proc` や `/sys` に出てくるファイルが違うこともあるし、最小構成のイメージには入っていないファイルもあるんだ。`ls` で一つ上のディレクトリを覗くと手がかりになるよ。',
    en: 'That file or directory does not exist. Check the path for typos. Which files appear under `/proc` and `/sys` depends on the kernel version and configuration, and a minimal image leaves many files out. Listing the parent directory with `ls` is a good first clue.',
  },
  truncated: {
    ja: '出力が長すぎたので、出力の上限で途中で切ったよ ✂️ 上限を超えても出し続けるコマンド（`yes` など）はそこで止めるから、終了コード 137 になることがあるけど、これは出力の上限による SIGKILL で、メモリ不足じゃないんだ。`| head -20` や `| grep キーワード` で、見たいところだけに絞ってみてね。',
    en: 'The output was too long, so it was cut at the output cap ✂️ A command that keeps printing past the cap (like `yes`) is stopped there, so you may see exit code 137: that is the cap\'s SIGKILL, not running out of memory. Narrow it down with `| head -20` or `| grep WORD` to see the part you want.',
  },
  unmatched: {
    ja: 'おっ、このレッスンが想定していなかった結果だね 🤔 でも、それ自体がいい手がかりだよ。エラーメッセージがあれば一行ずつ読んでみよう。コマンドをそのまま打ったかも確かめてね。ヒントを出すこともできるよ。',
    en: 'Oh, this lesson did not foresee that result 🤔 That is a good clue in itself. Read any error message line by line, and check the command was typed as given. I can give you a hint, too.',
  },
};
