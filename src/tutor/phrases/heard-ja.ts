import { example, type HeardWords } from './heard-words.js';

export const heardJa: HeardWords = {
  hostile: [
    'うまくいかなくて、もどかしい思いをさせちゃったね。ごめんね 🙇',
    'そう感じさせてしまってごめんね。一緒に立て直そう。',
    'イライラさせちゃったみたいだね、ごめん。ちゃんと手伝うよ。',
  ],
  hostileHelp: ({ inLesson }) =>
    inLesson
      ? '何がうまくいかなかったか教えてくれたら一緒に見るよ。`ヒント` と打てばこのステップの手がかりを出すし、`skip` で先に進むこともできるよ。'
      : '何がうまくいかなかったか教えてね。`/lessons` で興味のありそうなレッスンを選ぶこともできるよ。',
  pastedText: ({ lines }) =>
    `長い貼り付け（${lines} 行）だね。コマンドじゃなくて出力やログみたいだから、1 行ずつ実行したり返事したりはしなかったよ 🙂 ` +
    '気になる 1 行をコピーして質問するか、それが出たときに何をしていたか教えてね。',
  pasteLong: ({ lines, max }) => `${lines} 行の貼り付けだね。最初の ${max} 行を 1 行ずつ実行して、どこまで進んだか伝えるね。`,
  stepAhead: ({ step, total, title, where }) => `それは次のステップのコマンドだね。ステップ ${step}/${total}「**${title}**」に進んで、${where}で実行したよ 🚀`,
  here: ({ step }) =>
    step
      ? `うん、ここにいるよ 🙂 いまはステップ ${step.number}/${step.total}「**${step.title}**」だよ。準備ができたら続けよう。\`ヒント\` と打てば手がかりを出すね。`
      : 'うん、ここにいるよ 🙂 コンテナのことなら何でも聞いてね。`/lessons` でレッスンを選ぶこともできるよ。',
  commandNeeds: ({ name, usage }) => `\`${name}\` にはもう一言いるよ。書き方は \`${usage}\`（例：\`${example(usage)}\`）だよ。`,
};
