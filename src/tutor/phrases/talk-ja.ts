import type { TalkWords } from './talk-words.js';

export const talkJa: TalkWords = {
  label: { runIt: '▶ 実行して', wasTalking: '💬 話しかけただけ', more: '📖 もっと詳しく', hostView: '🖥️ ホストの視点', sandbox: '📦 サンドボックス', runFilled: (name) => `▶ ${name} の値で実行`, removeTaken: (name) => `🧹 docker rm -f ${name}` },
  unsure: ({ command, where }) => `これはコマンドのつもりかな？ \`${command}\` を${where}で実行することもできるし、このままおしゃべりを続けてもいいよ 🙂`,
  didYouMean: ({ typed, fixed, where }) => `\`${typed}\` というコマンドは見当たらないみたい。\`${fixed}\` のことかな？ ${where}で実行できるよ 🙂`,
  notPassedYet: 'このステップはまだ終わっていないよ 🙂 コマンドを実行するか（▶ を押すか打ってね）、`skip` と打てば先に進めるよ。',
  comment: 'それはシェルのコメントだね。シェルは読み飛ばすから、ぼくも飛ばしたよ 🙂',
  whichOne: ({ count }) => (count === 1 ? '今選べるのは 1 だけだよ。1 と打てば押せるよ 🙂' : `どれにする？ 1〜${count} の番号で選んでね 🙂`),
  sad: [
    'うう、それはつらかったね 🫂 コンテナは最初はみんなつまずくんだ。何が起きたか教えてくれるか、`ヒント` と打ってみてね。',
    '大丈夫、詰まるのは自然なことだよ！ `ヒント` と打てば手がかりを出すし、何でも聞いてね。',
  ],
  containerGone: ({ name, where }) => `${name} はもうないから、中から出たよ。コマンドはまた${where}で動くよ。`,
  fillIn: ({ placeholder, kind }) =>
    `\`${placeholder}\` は置き換える場所だよ。君の値を入れてもう一度送ってね 🙂 ` +
    (kind === 'id' ? "長い ID は `docker inspect -f '{{.Id}}' deep-dive-container`（または君のコンテナ名）で表示されるよ。" : kind === 'pid' ? 'PID はホストの視点で `ps aux | grep "sleep 7777"` を実行すると 2 列目に出るよ。' : ''),
  aboutStep: ({ title }) => `今のステップ「**${title}**」のことだね：`,
  unsureGone: '実行を待っている行はもうないみたい。もう一度コマンドを送ってくれたら実行するよ。',
  wasTalking: [
    '了解、おしゃべりだったんだね 🙂 続きを聞かせて。コンテナのことなら何でも聞いてね。',
    'OK、実行はしないよ。何か気になることはあるかな？',
    'わかった、お話ししよう！ 質問はいつでも歓迎だよ。',
    '了解、実行しないでおくね。聞いてるよ 👂',
  ],
  nothingToLeave: '今はコンテナの中でもホストの視点でもないから、抜けるものはないよ。コマンドはもう君のサンドボックスで動いているよ 🙂',
  sessionLost: 'お知らせだよ。こちら側のマシンが再起動したので、君のサンドボックスも作り直されて、このコマンドは新しいサンドボックスで動いたんだ。前に作ったファイルは消えてしまったけど、レッスンの進み具合はちゃんと残っているよ。',
  leftHost: 'ホストの視点から戻ったよ。コマンドはまた君のサンドボックスで動くよ 👋',
  alreadyInSandbox: 'もう君のサンドボックスにいるよ。打ったコマンドはここで動くよ。',
  movedToHost: '🖥️ このステップはホスト側から見るから、ホストの視点に切り替えたよ。ホストから見た君のラボのコンテナを覗けるんだ。`exit` でサンドボックスに戻れるよ。',
  movedToSandbox: '📦 このステップはまた君のサンドボックスで動かすから、ホストの視点から戻ってきたよ。',
  mac: {
    what: 'それはシードに出てくる Docker Desktop の裏技だね 🕵️ Mac ではコンテナは隠れた Linux VM の中で動いているんだ。`--privileged --pid=host` はその VM の PID namespace で全権限つきのコンテナを起動し、`nsenter -t 1 -m -u -n -i sh` は VM の PID 1 の namespace に入る。つまり VM そのものの root シェルが手に入るんだ。',
    whyNot: 'ここのラボは本物の Linux ホストを他の学習者と共有しているから、特権コンテナや PID 1 の namespace に入ることはマシン全体を渡すのと同じなんだ。だからここでは実行しないよ。',
    seeHere: 'でも安心して。ここには潜り込むべき VM がないから、ホストの視点ですぐに同じ事実が見られるよ。コンテナのホスト上の PID（`ps aux | grep …`）、namespace（`ls -l /proc/<PID>/ns`）、cgroup の制限（`cat …/memory.max`）だね。',
    movedHere: '🖥️ だから代わりにホストの視点に切り替えたよ。ここで打つコマンド（`ps aux | grep …`、`ls -l /proc/<PID>/ns`、`cat …/memory.max`）はホスト側で動いて、VM なしで同じ事実が見られるよ。`exit` でサンドボックスに戻れるよ。',
  },
  heardGeneric: [
    '答えてくれてありがとう！ 上の出力と照らし合わせてみてね。同じことが書いてあるかな？',
    'なるほど、受け取ったよ 🙂 実際の出力と比べてみて。もし違っていたら、その違いこそが学びどころだよ。',
    'ありがとう！ 言葉にしてみるのは理解への近道だよ。自信がなければ `ヒント` と打ってね。',
    'メモしたよ 👀 準備ができたら「次へ」を押すか、気になることを何でも聞いてね。',
  ],
  heardOnward: 'よし、次に進もう 🚀',
  pasteRest: ({ ran, left }) => `貼り付けてくれた行のうち、最初の ${ran} 行を順番に実行したよ。残りの ${left} 行はまだ実行していないから、少しずつ分けてもう一度送ってね。`,
  style: {
    short: 'これからは短めに、要点から答えるね。背景やヒントが欲しいときは **もっと詳しく** を押してね。',
    detailed: 'これからは詳しく答えるね。結果ごとに背景とヒントも添えるよ。',
  },
  moreNothing: 'そこで付け加えることはこれで全部だよ ✨',
  fromLesson: (title) => `（これはレッスン「**${title}**」で見る内容でもあるよ）`,
  where: { sandbox: 'サンドボックス', lab: 'ラボ', host: 'ホストの視点', container: (name) => `${name} の中` },
  host: {
    psFound: ({ pids }) => `ホストから見ると、このプロセスの PID は **${pids}** で、1 じゃないね。コンテナの中では同じプロセスが自分を PID 1 だと思っている。PID namespace が番号を付け直していて、ホストからはただのプロセスに見えるんだ。`,
    nsLinks: '1 行が 1 つの namespace で、inode 番号（`pid:[4026…]`）で区別されているよ。コンテナの番号がホストと違えば、そのコンテナは自分専用の namespace を持っているということ。これが「隔離」の正体だよ。',
    inspectId: 'この 64 文字がコンテナの完全な ID だよ。Docker はこの ID で cgroup に名前を付けるんだ。cgroup v2 + systemd なら `/sys/fs/cgroup/system.slice/docker-<ID>.scope/`、v1 なら `/sys/fs/cgroup/memory/docker/<ID>/` だね。',
    cgroupBytes: ({ bytes, mib }) => `カーネルはこのコンテナを **${bytes}** バイト（${mib} MiB）に抑えているよ。Docker は cgroup のファイルにこの数字を書いただけで、実際に制限しているのはカーネルなんだ。`,
    cgroupFromFlag: ({ flag, bytes, mib }) => `**${bytes}** = ${mib} × 1024 × 1024。君が \`docker run\` に付けた \`${flag}\` そのものだね！ Docker がこの制限を cgroup ファイルに書き込み、カーネルがそれを守らせているんだ。`,
    cgroupNoLimit: 'ここは制限なしだよ。`max`（v1 ではとても大きな数）は、ホストにあるだけメモリを使えるという意味。`--memory=128m` を付けて起動すると、制限が現れるのが見られるよ。',
  },
  controllersMissing: 'ここに `cgroup.controllers` がないのは、このホストが **cgroup v1** だからなんだ。v1 ではコントローラー（memory、cpu、pids…）ごとに別々のディレクトリがあって、ひとつにまとまったツリーがないんだよ。`ls /sys/fs/cgroup` で見てみてね。cgroup v2 のホスト（Ubuntu 22.04 以降や Docker Desktop）なら、このファイルに `cpuset cpu io memory pids` のようにコントローラーが並ぶよ。',
  labLost: {
    what: 'ごめんね、君のラボのコンテナが動いていたマシンが応答しなくなって、コンテナも一緒に消えてしまったんだ 🙇 君の操作のせいじゃないし、レッスンの進み具合はちゃんと残っているよ。',
    next: '次の `docker run` で、別のマシンに新しいラボができるよ。コンテナをもう一度起動すれば、さっきの続きから進められるよ。',
    tip: '💡 ホストが止まるとコンテナも一緒に止まる、これがコンテナの本当の姿なんだ。コンテナは 1 台のマシンのカーネルの上で動くプロセスだから、本番のクラスタではイメージから別のマシンで起動し直すんだよ。',
    question: 'もう一度コンテナを起動してみようか？',
  },
};
