// 日本語: レッスンだけでは言えない、実際の出力や打たれた行についての言葉（explain-words.ts の形）。
import type { ExplainWords } from './explain-words.js';

export const explainJa: ExplainWords = {
  onlyGrep:
    '見つかったのは `grep` 自身だけだね。ここに並んだ行はどれも今の検索（とそれを起動したシェル）で、探していたプロセスじゃないんだ。' +
    'サンドボックスは自分だけの PID namespace を持っているから、ラボコンテナのプロセスはここからは見えない。ホストの視点なら、ホストの PID 付きで見えるよ。',
  labLeadAgain: 'ラボで、このまま打ってみて：',
  hostOnlyElsewhere: ({ platform }) =>
    `${platform}では、これは Linux ホストで打つ行なんだ。Docker Desktop ではそのホストが隠れた VM だから、手元の \`sudo\` や \`/proc\` では見えないよ。` +
    'シードのやり方で先に VM に入って、`sudo` なしで打ってね。同じ事実はここのラボの「ホストの視点」（コンソールなら `/host`、Discord なら `/where host`）でもすぐ見られるよ：',
  hostOneOff: '（これはホストの視点で実行したよ。君はいまもサンドボックスにいるよ）',
  started: ({ name }) =>
    `長い 16 進数は、${name ? `新しいコンテナ \`${name}\`` : '新しいコンテナ'} の ID だよ。いまバックグラウンドで動いているんだ。` +
    `\`docker ps\` で一覧に出るし${name ? `、\`docker exec -it ${name} sh\` で中に入れる` : ''}よ。`,
  removed: ({ names }) => `${names} は消えたよ。Docker は削除したコンテナの名前を表示するんだ。そのプロセスも namespace も cgroup も一緒になくなったよ。`,
  notInImage: ({ program, near, name }) =>
    `\`${program}\` はイメージの中にないプログラムなんだ${near ? `（\`${near}\` のつもりだったかな？）` : ''}。だから Docker はコンテナを作ったけど、そのコマンドを起動できなかったんだよ。終了コード 127 は「コマンドが見つからない」という意味。` +
    `コンテナ自体は起動しないまま残っていて（\`docker ps -a\` で Created と表示されるよ）${name ? `、名前 \`${name}\` も使われたまま。もう一度実行する前に \`docker rm ${name}\` で空けてね` : ''}。`,
};
