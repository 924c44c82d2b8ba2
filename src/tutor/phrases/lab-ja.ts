// 日本語: what the tutor says about the lab. One function per code of src/lab/notes.ts and src/lab/refusals.ts.
import { labSubcommands } from '../../lab/command.js';
import { formatBytes } from '../../lab/limits.js';
import type { ShellOperator } from '../../lab/shell.js';
import type { LabWords } from './lab-words.js';

/** 学習者自身の値を入れた行（そのまま打てる形）。 */
const yoursJa = (yours: readonly { name: string; line: string }[]) => `君のコンテナの値を入れると：\n${yours.map((y) => `\`${y.line}\`（${y.name}）`).join('\n')}`;

const SUPPORTED = labSubcommands.join(', ');

const subcommand = (why: string) => (p: { sub: string }) =>
  `\`docker ${p.sub}\` はラボでは使えないよ。${why}\nラボで使えるのは ${SUPPORTED} だよ。`;

const OPERATOR: Record<ShellOperator, string> = {
  '|': 'パイプ（|）はホストのシェルで2つのコマンドをつなぐ仕組みだよ。',
  '||': '「||」は前のコマンドが失敗したら次を実行するシェルの仕組みだよ。',
  '&&': '「&&」は前のコマンドが成功したら次を実行するシェルの仕組みだよ。',
  ';': '「;」は複数のコマンドを続けて実行するシェルの仕組みだよ。',
  ';;': '「;;」はシェルの case 文の記号だよ。',
  newline: '1つのメッセージに複数の行（複数のコマンド）が入っているよ。',
  '&': '「&」はコマンドをホストのシェルでバックグラウンド実行する仕組みだよ。',
  '>': 'リダイレクト（>）はホストのファイルに出力を書き込む仕組みだよ。',
  '>>': 'リダイレクト（>>）はホストのファイルに出力を追記する仕組みだよ。',
  '<': 'リダイレクト（<）はホストのファイルを入力として読み込む仕組みだよ。',
  '<<': 'ヒアドキュメント（<<）はホストのシェルの入力の仕組みだよ。',
  '(': '括弧（ ）はホストでサブシェルを作る仕組みだよ。',
  ')': '括弧（ ）はホストでサブシェルを作る仕組みだよ。',
};

const NO_HOST_SHELL =
  'ラボでは1メッセージにつき1つの docker コマンドを、ホストのシェルを通さずに実行しているんだ（ホストのシェルこそ、サンドボックスが学習者から遠ざけているものだからね）。コマンドは1つずつ送ってね。シェルの機能を試したいなら、コンテナの中のシェルで動かせるよ：`docker exec 名前 sh -c \'ps aux | grep sleep\'`（シングルクォートで囲めば中のシェルに渡るよ）。';

const operator = (op: ShellOperator, column: number) => `${OPERATOR[op]}（${column} 文字目）${NO_HOST_SHELL}`;

const MISSING = { image: 'イメージ名', container: 'コンテナ名', command: '実行するコマンド（例: sh, ps aux）' } as const;

const HOST_FROM = {
  init: 'ホストの PID 1（/proc/1/ns）',
  worker: 'ホストで動いているラボのワーカー自身（/proc/self/ns。/proc/1/ns は読めなかったよ）',
  none: '（ホスト側の値は読めなかったよ）',
} as const;

export const labJa: LabWords = {
  note: {
    'image-mapped': (p) =>
      `ラボにはレジストリがないから、「${p.asked}」の代わりにラボ用のサンドボックスイメージでコンテナを動かすよ。カーネルの機能（namespaces や cgroups）は本物と同じだけど、入っているコマンドやバージョンは少し違うかもしれないよ。`,
    interactive: () =>
      '-i / -t は端末でやり取りするためのオプションだけど、チャットは端末じゃないんだ。コマンドは1回実行されて、その出力がここに表示されるよ。',
    clamped: (p) => {
      const show = (n: number): string => (p.field === 'memory' ? formatBytes(n) : String(n));
      const flag = `--${p.field}`;
      return p.asked <= 0
        ? `${flag} の「無制限」はラボでは使えないから、上限の ${show(p.used)} にしたよ。`
        : `${flag} の ${show(p.asked)} はラボの上限を超えているから、${show(p.used)} にしたよ。`;
    },
    'sudo-ignored': () => 'ラボでは sudo は要らないよ（付けなくても同じように実行するよ）。',
    typography: () =>
      '全角スペースや “ ” ‘ ’ のような飾りのクォートは、シェルでは普通の文字として扱われてしまうから、半角のスペースと " \' に置き換えて読んだよ。',
    'stats-no-stream': () => 'docker stats は本来ずっと更新し続けるけど、チャットでは1回分だけ表示するよ（--no-stream と同じ）。',
    'running-quota': (p) =>
      `ラボでは同時に動かせるコンテナは1人 ${p.max} 個までなんだ。\`docker ps\` で確認して、使っていないものを \`docker rm -f 名前\` で片付けてからもう一度試してね。`,
    'container-quota': (p) =>
      `止まっているものも含めて、ラボに置けるコンテナは1人 ${p.max} 個までなんだ。\`docker ps -a\` で確認して、要らないものを \`docker rm 名前\` で消してね。`,
    'root-refused': (p) =>
      `--user ${p.user} は root（uid 0）として動かす指定だね。ラボは他の学習者と同じマシンを共有しているから、コンテナの中でも root では動かさないんだ。--user を付けずに試してみてね（ラボ用の一般ユーザーで動くよ）。`,
    'user-mapped': (p) =>
      `--user ${p.user} の代わりに、ラボ用の一般ユーザーで動かしたよ（メインのプロセスは uid 1001、docker exec のコマンドは uid 1000）。`,
    'timed-out': (p) =>
      `コマンドがラボの制限時間（${p.timeoutMs / 1000} 秒）を超えたから止めたよ。ずっと動かしたいときは \`docker run -d\` でバックグラウンドにしてね。`,
    'oom-killed': () => 'メモリの上限（cgroup の memory limit）に達したから、カーネルの OOM killer がプロセスを止めたよ。',
    truncated: (p) => `出力が長すぎたから、最初の ${Math.round(p.bytes / 1024)} KiB だけ表示しているよ。`,
    'cpu-budget-spent': (p) =>
      `コンテナ \`${p.name}\` は CPU 時間（CPU ${p.seconds} 秒分）を使い切ったので、ラボが止めたよ。このマシンの CPU はみんなで共有しているからね。\`docker ps -a\` で確かめてみてね。\`sleep 1000\` のように待っているだけのコンテナなら、CPU はほとんど使わないよ。`,
    'lab-full': () =>
      'いまラボが満員なんだ。このマシンでラボに使える場所が、動いているコンテナでいっぱいになっているよ。数分たってからもう一度試してね。今あるコンテナはそのまま使えるし、もう使わないものを `docker rm -f 名前` で消すと場所が空くよ。',
    'container-stopped': (p) =>
      `\`${p.name}\` は動いていないよ（終了コード ${p.exitCode}${p.exitCode === 137 ? '。ラボが止めたか、マシンが再起動したみたい' : ''}）。ラボには \`docker start\` がないから、\`docker rm ${p.name}\` で消してから \`docker run -d --name ${p.name} …\` でもう一度起動してね。`,
    'name-in-use': (p) => `\`docker ps -a\` にまだ \`${p.name}\` が残っているよ。\`docker rm -f ${p.name}\` で消して（下のボタンでも実行できるよ）、同じ \`docker run\` をもう一度送ってね。`,
    'logs-gone': (p) =>
      `\`${p.name}\` はあなたの \`docker stop\` や \`docker kill\` ではなく止まった（コマンドが終わったか、ラボが止めた）から、ラボには出力が残っていないんだ。ラボのバックグラウンドのコンテナは、みんなで使う Docker エンジンを大量の出力から守るために、出力をコンテナの中にだけ置いていて、コンテナが終わると一緒に消えるんだよ。\`docker stop\` や \`docker kill\` で止めたときは、ラボが出力を取っておくよ。手元のマシンならどちらでも \`docker logs\` で見られるんだ。短いコマンドの出力を見たいときは \`-d\` なしで実行してね。`,
    'pids-full': () =>
      'コンテナの PID を全部使い切ったから（fork bomb だね 💣）、ラボがこのコマンドのプロセスを止めたよ。`--pids-limit`（cgroup の pids コントローラー）がコンテナの中のプロセス数に上限をかけているから、ホストや他の人のコンテナは無事なんだ。手元のマシンなら、止めるまで上限いっぱいで暴れ続けるよ。',
    zombies: (p) =>
      `\`<defunct>\` の ${p.count} 行は「ゾンビ」プロセスだよ 🧟 親が先に終わったプロセスは PID 1 に引き取られて、終わったあとは親が \`wait()\` で終了コードを受け取るまで一覧に残るんだ。この PID 1 は君のコマンド（たとえば \`sleep\`）で、引き取った子を待たないから、ゾンビがたまっていく。手元のマシンでも同じことが起きるよ。ゾンビは PID を一つずつ使うから、増えすぎると新しいプロセスが作れなくなる。\`docker run --init\` なら小さな init（tini）が PID 1 になって回収してくれるよ。`,
    'exited-at-once': (p) =>
      `\`${p.name}\` は起動したけれど、そのコマンドはもう終わっているよ（終了コード ${p.exitCode}）。だから動いてはいなくて、\`docker ps\` には出ず、\`docker ps -a\` で Exited と表示されるんだ。コンテナは PID 1 が生きている間だけ動いている。動き続けてほしいなら、\`sleep 1000\` のように続くコマンドを渡してね。`,
    'stop-waited': (p) =>
      `\`docker stop\` は ${p.seconds} 秒待ってから止めたよ（終了コード 137 = SIGKILL）。\`${p.name}\` の PID 1 はシグナルの受け取り方を決めていないプロセスで、カーネルは PID 1 には「自分で決めたシグナルしか届けない」んだ。だから最初の SIGTERM は無視されて、猶予の ${p.seconds} 秒のあとに Docker が SIGKILL で止めたんだよ。手元でも同じだよ。すぐ止めたいなら \`docker kill\`、最初から \`docker run --init\` にすると init が SIGTERM を中継してすぐ終わるよ。`,
    'no-interactive-shell': () =>
      'チャットは端末じゃないから、シェルの中に「入る」ことはできないんだ。中で試したいコマンドは `docker exec 名前 コマンド` のように1つずつ送ってね（例: `docker exec 名前 ps aux`）。',
    'host-view': () => 'ラボの「ホスト」では、あなたのラボコンテナのプロセスだけを、ホストから見た PID で表示しているよ。',
    'host-ns': (p) => {
      if (p.hostFrom === 'none') return `各リンクの [ ] の数字が namespace の inode 番号だよ。${HOST_FROM.none}`;
      const differing = p.differing.length > 0 ? `${p.differing.join(', ')} はホストと番号が違う＝コンテナ専用の隔離空間なんだ。` : '';
      const shared = p.shared.length > 0 ? `${p.shared.join(', ')} はホストと同じ namespace を共有しているよ。` : '';
      return `「# host:」は${HOST_FROM[p.hostFrom]}の同じ種類の namespace だよ。${differing}${shared}`;
    },
    'not-your-process': (p) =>
      p.yours && p.yours.length > 0
        ? `PID ${p.pid} は、あなたのラボコンテナのプロセスじゃないみたい（テキストの例の番号かな？）。${yoursJa(p.yours)}`
        : `PID ${p.pid} は、あなたのラボコンテナのプロセスじゃないから見せられないんだ（ホストには他の学習者やシステムのプロセスもあるからね）。\`ps aux | grep 単語\` で、自分のコンテナのプロセスのホスト側 PID を探してから試してね。`,
    placeholder: (p) =>
      `\`${p.token}\` はテキストの「ここに入れてね」の印なんだ。${p.want === 'pid' ? 'コンテナのホスト側の PID' : 'コンテナの長い ID'} に置き換えてね。` +
      (p.yours.length > 0
        ? yoursJa(p.yours)
        : `まだ動いているラボコンテナがないから、先に起動してね（例: \`docker run -d --name deep-dive-container --memory=128m alpine sleep 7777\`）。${p.want === 'pid' ? "PID は \`docker inspect -f '{{.State.Pid}}' 名前\`" : "ID は \`docker inspect -f '{{.Id}}' 名前\`"} で分かるよ。`),
    'proc-not-visible': (p) =>
      `ラボのワーカーからはホストの /proc/${p.pid} が見えないんだ（ワーカーがホストとは別の PID namespace で動いているから）。コンテナの PID は \`docker inspect -f '{{.State.Pid}}' 名前\` で、中から見た namespace は \`docker exec 名前 ls -l /proc/1/ns\` で確かめてね。`,
    'not-your-container': (p) =>
      `「${p.id}」は、あなたのラボコンテナの ID じゃないみたい。ID は \`docker inspect -f '{{.Id}}' 名前\` で取れるよ（他の人のコンテナの cgroup は見せられないんだ）。`,
    'cgroup-mapped': (p) =>
      `このラボのホストは cgroup v${p.version} だから、入力したパス（${p.typed}）はここには無いんだ。同じ値を、このホストでの本当のファイル ${p.real.join(' + ')} から読んで表示したよ${
        p.version === 1
          ? '（v2 の memory.max は v1 では memory.limit_in_bytes、cpu.max は cpu.cfs_quota_us と cpu.cfs_period_us に当たるよ）'
          : '（v1 の memory.limit_in_bytes は v2 では memory.max、cpu.cfs_quota_us / cpu.cfs_period_us は cpu.max に当たるよ）'
      }。`,
    'cgroup-missing': () =>
      'そのコンテナの cgroup が見つからなかったよ。cgroup はコンテナが動いている間だけあるから、`docker ps` で動いているか確かめてね。',
  },
  refusal: {
    'flag-privileged': () =>
      '--privileged はコンテナにホストのほぼすべての権限を渡すオプションだよ。全 capability、/dev 以下の全デバイス、seccomp や AppArmor の制限なし。中の root がホストのディスクをマウントしたりカーネルモジュールを読み込んだりできてしまう、コンテナエスケープの定番ルートなんだ。ラボは他の学習者と同じマシンを共有しているから、ここでは使えないよ。普通のコンテナに許されている権限は `docker exec 名前 grep Cap /proc/self/status` で覗けるよ。',
    'flag-volume': () =>
      '-v / --volume / --mount はホストのファイルやディレクトリをコンテナの中に見せる機能だよ。たとえば -v /:/host とすれば、コンテナからホストの全ファイル（他の人の作業や Docker のソケットも）を読み書きできてしまう。ラボのコンテナは自分のファイルシステムだけを見るようにしているんだ。コンテナのマウントの様子は `docker exec 名前 cat /proc/self/mountinfo` で観察できるよ。',
    'flag-pid': () =>
      '--pid=host はコンテナをホストの PID namespace に入れるオプションだよ。ホスト上の全プロセスが見え、root なら他のプロセスにシグナルを送ったりトレースしたりできてしまう。まさに今学んでいる「隔離」を外すことになるんだ（--pid=container:名前 は別のコンテナのプロセス空間に入る）。外からプロセスを見たいときは `docker top 名前` や `ps aux | grep 単語` を使ってね。',
    'flag-network': () =>
      '--network / --net はコンテナをどのネットワークにつなぐかを決めるオプションだよ。--network=host ならホストのネットワーク（ポートやインターフェース）をそのまま共有してしまう。ラボのコンテナはネットワークなしで動いていて、インターネットにも他のコンテナにもつながらないようにしているんだ。',
    'flag-cap-add': () =>
      '--cap-add は Linux の capability（root の権限を細かく分けたもの）をコンテナに足すオプションだよ。たとえば SYS_ADMIN はマウントや namespace 操作ができてほぼ root と同じ、NET_ADMIN はネットワーク設定を変えられる。ラボのコンテナは capability をすべて外して動かしているよ。`docker exec 名前 grep Cap /proc/self/status` で確かめてみてね。',
    'flag-device': () =>
      '--device はホストのデバイス（/dev/sda のようなディスク、GPU など）をコンテナに渡すオプションだよ。ディスクを渡せば、コンテナからホストのディスクを生のまま読み書きできてしまう。ラボではデバイスを渡さないよ。',
    'flag-security-opt': () =>
      '--security-opt は seccomp（危険なシステムコールを止めるフィルタ）や AppArmor / SELinux を外したり（seccomp=unconfined など）、権限昇格を許したりできるオプションだよ。どれもコンテナを守る最後の柵だから、ラボでは常にオンのままにしているんだ。',
    'flag-ipc': () =>
      '--ipc=host はホストの IPC namespace（共有メモリ、セマフォ、メッセージキュー）を共有するオプションだよ。ほかのプログラムの共有メモリを読んだり壊したりできてしまうから、ラボでは使えないよ。',
    'flag-userns': () =>
      '--userns=host は user namespace による UID の付け替えを止めて、コンテナ内の root をホストの root（uid 0）と同じにするオプションだよ。ラボではユーザーの対応づけをこちらで決めているから、変えられないんだ。',
    'flag-publish': () =>
      '-p / --publish はホストのポートを開けてコンテナに転送し、マシンの外からつながるようにするオプションだよ。ラボのコンテナにはネットワークがないし、共有しているホストにポートを開けることもしないんだ。',
    'flag-uts': () =>
      '--uts=host はホストのホスト名（UTS namespace）を共有するオプションで、コンテナからホストのホスト名を変えられてしまうよ。コンテナのホスト名を決めたいときは --hostname を使ってね。',
    'flag-cgroup': () =>
      '--cgroupns=host はホストの cgroup ツリーを丸見えにし、--cgroup-parent はコンテナを別の cgroup の下に移すオプションだよ。ラボのメモリや CPU の制限から抜け出せてしまうので使えないんだ。制限は --memory / --cpus / --pids-limit で体験してね。',
    'flag-sysctl': () =>
      '--sysctl はコンテナ用にカーネルのパラメータを変えるオプションだよ。カーネルはホストと共有しているから、ラボでは触らないようにしているんだ。',
    'flag-oom': () =>
      '--oom-kill-disable / --oom-score-adj は、メモリが足りなくなったときにカーネルがどのプロセスを止めるかを変えるオプションだよ。共有ホストでは、代わりに他の人のプロセスが止められてしまうかもしれない。メモリ不足でコンテナが止まる様子（exit 137）はラボでそのまま観察できるよ。',
    'flag-runtime': () =>
      '--runtime はコンテナを動かす低レベルランタイム（普段は runc）を取り替えるオプションだよ。ラボは決まったランタイムと設定でだけ動かしているんだ。',
    'flag-restart': () =>
      '--restart はコンテナが終了したりホストが再起動したりしたときに Docker が自動で起こし直す設定だよ。ラボのコンテナは一時的なもので、時間がたつと片付けられるから使えないんだ。',
    'subcommand-registry': subcommand(
      'ラボにはインターネットもイメージレジストリ（Docker Hub など）もないんだ。イメージはあらかじめ用意したものを使うから、pull しなくても `docker run -d --name my-alpine alpine sleep 1000` のようにそのまま動かせるよ。',
    ),
    'subcommand-image': subcommand(
      'イメージのビルドや管理は、みんなで共有している Docker エンジンの中身を書き換えることになるから、ラボでは扱わないんだ。ラボでは用意済みのイメージでコンテナを動かして、その中を観察しよう。',
    ),
    'subcommand-engine': subcommand(
      'これは Docker エンジンそのもの（ネットワーク、ボリューム、設定など）を管理するコマンドだよ。エンジンは他の学習者と共有しているから、ラボでは自分のコンテナを扱うコマンドだけを使えるようにしているんだ。',
    ),
    'subcommand-cp': subcommand(
      'docker cp はホストとコンテナの間でファイルをコピーするコマンドで、ホストのファイルに触れることになるからラボでは使えないよ。コンテナの中のファイルは `docker exec 名前 cat /etc/os-release` のように中で見てみてね。',
    ),
    'subcommand-unsupported': (p) => `\`docker ${p.sub}\` はラボではまだ扱っていないんだ。ラボで使えるのは ${SUPPORTED} だよ。`,
    'flag-unsupported': (p) =>
      `\`docker ${p.sub}\` の ${p.flag} はラボでは使えないオプションだよ。ラボで使える \`docker ${p.sub}\` のオプションは ${p.supported.length > 0 ? p.supported.join(', ') : '(なし / none)'} だよ。`,
    help: (p) => `ラボの \`docker ${p.sub}\` で使えるオプションは ${p.supported.join(', ')} だよ。`,
    'shell-operator': (p) => operator(p.op, p.column),
    'shell-multiple-commands': (p) => operator('newline', p.column),
    'quote-unclosed': (p) =>
      p.quote === "'"
        ? `${p.column} 文字目のシングルクォート（'）が閉じていないよ。'…' のように対にしてね。`
        : `${p.column} 文字目のダブルクォート（"）が閉じていないよ。"…" のように対にしてね。`,
    'trailing-backslash': () =>
      '行の最後がバックスラッシュ（\\）で終わっているよ。シェルなら次の行に続く合図だけど、ここではコマンドは1行で送ってね。',
    'shell-substitution': (p) =>
      `${p.column} 文字目の ${p.text} はコマンド置換で、ホストのシェルで別のコマンドを実行してその結果を埋め込む仕組みだよ。ラボではホストでコマンドを実行しないんだ。先にそのコマンドを単独で実行して、出てきた値を貼り付けてね。`,
    'shell-variable': (p) =>
      `${p.column} 文字目の ${p.text} はシェル変数で、ホストのシェルが値に置き換えるものだよ。ラボでは展開しないから、値をそのまま書いてね。コンテナの中の変数を見たいなら \`docker exec 名前 sh -c 'echo $HOME'\` のようにシングルクォートで囲もう。`,
    empty: () => 'コマンドが空っぽだよ。たとえば `docker ps` を試してみてね。',
    'too-long': (p) => `コマンドが長すぎるよ（${p.max} 文字まで）。`,
    'not-docker': (p) =>
      `ホストの視点はふつうのシェルじゃなくて、君のラボコンテナを覗くための窓なんだ。だから \`${p.word}\` はこの形ではここで動かないよ。動くのは \`ps aux | grep 単語\`、\`ls -l /proc/PID/ns\`、\`cat …/docker-ID.scope/memory.max\`、それと \`docker …\`（コンテナの中なら \`docker exec 名前 ${p.word} …\`）。`,
    'container-prompt': (p) =>
      `先頭の「/ #」はコンテナの中のシェルのプロンプトだよ（レッスンの例でコンテナの中で打つコマンドを表しているんだ）。ラボでは、コンテナの中のコマンドは \`docker exec 名前 ${p.example}\` のように送ってね（例: \`docker exec my-alpine ${p.example}\`）。`,
    'flag-global': (p) =>
      `docker 自体のオプション ${p.flag}（-H / --context などは接続先の Docker エンジンを切り替える）はラボでは使えないよ。\`docker run ...\` のようにサブコマンドから書いてね。`,
    'missing-subcommand': () => `docker のあとにサブコマンドが必要だよ。ラボで使えるのは ${SUPPORTED} だよ。`,
    'flag-missing-value': (p) => `${p.flag} のあとに値が必要だよ。`,
    'flag-bad-boolean': (p) => `${p.flag} に付けられるのは true か false だけだよ（「${p.value}」が付いていた）。`,
    'missing-argument': (p) => `\`docker ${p.sub}\` には${MISSING[p.what]}が必要だよ。使い方: \`${p.usage}\``,
    invalid: (p) => `コマンドの形が正しくないみたい（${p.detail}）。`,
    'too-many-arguments': (p) => `\`docker ${p.sub}\` に余分な引数「${p.extra}」があるよ。使い方: \`${p.usage}\``,
    'bad-container-name': (p) =>
      `コンテナ名「${p.name}」は使えないよ。Docker の名前は英数字で始まり、英数字と _ . - だけを使った 64 文字以内にしてね（例: my-alpine）。`,
    'too-many-containers': (p) =>
      `この \`docker ${p.sub}\` には ${p.given} 個のコンテナが指定されているよ。ラボで一度に扱えるのは ${p.max} 個までなんだ（名前ひとつごとに、みんなで共有しているマシンの仕事が増えるからね）。いくつかに分けて送ってみてね。`,
    'env-needs-value': (p) =>
      `-e ${p.key} のように値なしで書くと、Docker はホスト側の同じ名前の環境変数をコピーしてしまうんだ（ホストの秘密が漏れる原因にもなる）。ラボでは -e ${p.key}=値 のように値を書いてね。`,
    'bad-env': (p) => `環境変数「${p.entry}」は KEY=VALUE の形にしてね。KEY は英字か _ で始まり、英数字と _ だけを使うよ。`,
    'bad-hostname': (p) => `ホスト名「${p.value}」は使えないよ。英数字とハイフン（と区切りのドット）で、63 文字以内にしてね。`,
    'bad-user': (p) => `ユーザー「${p.value}」は 名前 / UID、または 名前:グループ / UID:GID の形で書いてね（例: 1000:1000, nobody）。`,
    'bad-memory': (p) =>
      `メモリの指定「${p.value}」が読めなかったよ。128m や 1g のように、数字に b / k / m / g を付けて書いてね（k=1024 バイト、m=1024k、g=1024m）。`,
    'memory-too-small': (p) =>
      `メモリ「${p.value}」は小さすぎるよ。Docker が許すメモリ制限は 6MB 以上なんだ（本物の docker も "Minimum memory limit allowed is 6MB" と断るよ）。`,
    'bad-cpus': (p) => `--cpus の値「${p.value}」が読めなかったよ。0.5 や 1 のような 0 以上の数で書いてね（0.5 は CPU 半分ぶん）。`,
    'bad-pids-limit': (p) => `--pids-limit の値「${p.value}」は整数で書いてね（例: 32）。`,
    'bad-template': (p) =>
      `-f のテンプレート「${p.template}」を読めなかったよ: ${p.error}\nラボで使えるのは {{.Id}}、{{.State.Pid}}、{{.HostConfig.Memory}} のようなフィールドと、{{json .State}} だけだよ。`,
    'image-not-available': (p) =>
      `イメージ「${p.image}」はラボにはないんだ。ラボにはインターネットもレジストリもないから、用意してある ${p.available.join(', ')} を使ってね（タグ付き、例: alpine:3.19 も OK）。`,
    'host-ps-only': (p) =>
      `ホストから見えるプロセスは \`ps aux\` か \`ps aux | grep 単語\` の形でだけ見られるよ（${p.detail}）。コンテナの中のプロセスは \`docker top 名前\` や \`docker exec 名前 ps aux\` で見てね。`,
    'host-view-only': (p) =>
      `ラボの「ホスト」が答えるのは、あなたのラボコンテナについての決まった形だけで、パスは一度に一つなんだ（\`${p.detail}\` は読めないよ）。使える形は \`ls -l /proc/PID/ns\`、\`readlink /proc/PID/ns/pid\`（PID は \`ps aux | grep 単語\` で見つけたホスト側の PID）と、\`cat /sys/fs/cgroup/system.slice/docker-ID.scope/memory.max\` や \`cat /sys/fs/cgroup/memory/docker/ID/memory.limit_in_bytes\` のような cgroup の上限ファイル（memory.max, memory.limit_in_bytes, pids.max, cpu.max, cpu.cfs_quota_us, cpu.cfs_period_us。ID は \`docker inspect -f '{{.Id}}' 名前\` で取れるよ）だよ。`,
    // conv-c: ホストの視点での短いお断り。
    'host-shell': (p) =>
      `\`${p.word}\` はホストのシェルを開くコマンドだね。ホストはみんなで使っているから、ラボではシェルは渡さないんだ。でもコンテナがホストからどう見えるかはここで見られるよ：\`ps aux | grep "sleep 7777"\`、それから \`sudo ls -l /proc/<PID>/ns\`。`,
    'cgroup-file-not-offered': (p) =>
      `ホストの視点で読めるのは、君のコンテナの cgroup の上限のファイル（memory.max、memory.limit_in_bytes、pids.max、cpu.max など）だけで、\`${p.file}\` は読めないんだ。いま使っている量なら \`docker stats --no-stream 名前\` を試してね。`,
  },
};
