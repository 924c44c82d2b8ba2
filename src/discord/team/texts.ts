// What the Discord side of the team features says about Discord things (roles, channels, threads, buttons),
// in both languages. Boards, digests and exports are worded in src/team/words-*.ts.

import type { Lang } from '../../lessons/index.js';

const WEEKDAYS: Record<Lang, readonly string[]> = {
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  ja: ['月曜', '火曜', '水曜', '木曜', '金曜', '土曜', '日曜'],
};

const pick = (lang: Lang, ja: string, en: string) => (lang === 'ja' ? ja : en);

export const TEAM_TEXT = {
  weekday: (lang: Lang, weekday: number) => WEEKDAYS[lang][weekday - 1] ?? '?',
  tzSet: (lang: Lang, tz: string, localNow: string) => pick(lang, `タイムゾーンを **${tz}** にしました（いまの現地時刻: ${localNow}）。連続記録・週・まとめの時刻はこれで数えます。`, `The server's time zone is now **${tz}** (local time there: ${localNow}). Streaks, weeks and digest times follow it.`),
  tzInvalid: (lang: Lang, given: string) => pick(lang, `「${given}」はタイムゾーンとして読めませんでした。\`Asia/Tokyo\` や \`America/New_York\` のような IANA の名前で指定してください。`, `“${given}” is not a time zone I know. Use an IANA name such as \`Asia/Tokyo\` or \`America/New_York\`.`),
  langSet: (lang: Lang, chosen: Lang) => pick(lang, `サーバー全体への投稿（ボード・まとめ・質問カード）は${chosen === 'ja' ? '日本語' : '英語'}にします。`, `Server-wide posts (board, digests, help cards) are now in ${chosen === 'ja' ? 'Japanese' : 'English'}.`),
  boardsSet: (lang: Lang, on: boolean) => (on ? pick(lang, '学習ボードをオンにしました。', 'The study board is on.') : pick(lang, '学習ボードをオフにしました。`/board` は使えなくなります。', 'The study board is off; `/board` now says so.')),
  digestSet: (lang: Lang, a: { channelId: string; weekday: string; hour: number; tz: string; monthly: boolean }) =>
    pick(
      lang,
      `まとめを <#${a.channelId}> に、毎週${a.weekday} ${a.hour}:00（${a.tz}）に投稿します。${a.monthly ? '毎月1日にも月間まとめを投稿します。' : ''}`,
      `The digest goes to <#${a.channelId}> every ${a.weekday} at ${a.hour}:00 (${a.tz}).${a.monthly ? ' A monthly digest goes there on the 1st as well.' : ''}`,
    ),
  digestStopped: (lang: Lang) => pick(lang, 'まとめの投稿を止めました。', 'Digests are stopped.'),
  helpChannelSet: (lang: Lang, channelId: string) => pick(lang, `つまずいた人の「チームに聞く」カードは <#${channelId}> にスレッドとして投稿します。`, `“Ask the team” cards are posted as threads in <#${channelId}>.`),
  channelCannot: (lang: Lang, channelId: string, missing: string) => pick(lang, `<#${channelId}> で私に足りない権限があります: ${missing}。付けてからもう一度どうぞ。`, `I am missing permissions in <#${channelId}>: ${missing}. Please grant them and try again.`),
  exportRoleSet: (lang: Lang, roleId: string | undefined) =>
    roleId ? pick(lang, `<@&${roleId}> の人も \`/team export\` を使えるようにしました。`, `Members with <@&${roleId}> may now use \`/team export\`.`) : pick(lang, '`/team export` は管理者だけが使えるようにしました。', '`/team export` is for admins only again.'),
  roleSet: (lang: Lang, target: string, roleId: string) => pick(lang, `${target} を終えた人に <@&${roleId}> を付けます（終えてから60秒以内）。`, `Members who finish ${target} get <@&${roleId}> (within 60 s of finishing).`),
  roleRemoved: (lang: Lang, target: string) => pick(lang, `${target} のロール付与をやめました（付いたロールはそのままです）。`, `No role for ${target} any more (roles already given stay).`),
  roleList: (lang: Lang, lines: readonly string[]) => (lines.length ? lines.join('\n') : pick(lang, '修了ロールはまだ設定されていません。`/sensei-admin roles target:1 role:@ロール` で設定できます。', 'No completion roles yet. Set one with `/sensei-admin roles target:1 role:@Role`.')),
  roleUnknownTarget: (lang: Lang, given: string) => pick(lang, `「${given}」はレッスンでもフェーズでもありません。レッスンのIDか番号（例: \`1\`）、またはフェーズ（例: \`phase 2\`）で指定してください。`, `“${given}” is neither a lesson nor a phase. Use a lesson id or number (e.g. \`1\`) or a phase (e.g. \`phase 2\`).`),
  roleNeedsBoth: (lang: Lang) => pick(lang, '`target` と `role` の両方を指定してください（外すときは `remove:True`）。', 'Give both `target` and `role` (or `remove:True` to stop giving one).'),
  needManageRoles: (lang: Lang) => pick(lang, '⚠️ 私に **ロールの管理** 権限がないので、ロールを付けられません。サーバー設定 → ロール → 私のロールで「ロールの管理」をオンにしてください。', '⚠️ I lack the **Manage Roles** permission, so I cannot give roles. Server Settings → Roles → my role → switch on “Manage Roles”.'),
  roleAboveBot: (lang: Lang, roleId: string, botRole: string) => pick(lang, `⚠️ <@&${roleId}> が私のいちばん上のロール（${botRole}）と同じか上にあるので、付けられません。サーバー設定 → ロールで、私のロールを <@&${roleId}> より上にドラッグしてください。`, `⚠️ <@&${roleId}> sits at or above my highest role (${botRole}), so I cannot give it. Server Settings → Roles: drag my role above <@&${roleId}>.`),
  roleManaged: (lang: Lang, roleId: string) => pick(lang, `⚠️ <@&${roleId}> はBotや連携が管理するロールなので、人には付けられません。別のロールを選んでください。`, `⚠️ <@&${roleId}> is managed by an integration and cannot be given to members. Please pick another role.`),
  roleGrantFailed: (lang: Lang, roleId: string, userId: string, why: string) => pick(lang, `<@${userId}> さんに <@&${roleId}> を付けられませんでした: ${why}`, `I could not give <@&${roleId}> to <@${userId}>: ${why}`),
  cohortCreated: (lang: Lang, name: string, lessons: string, deadline: string) => pick(lang, `コホート「${name}」を作りました。目標: ${lessons}、締め切り ${deadline}。メンバーは \`/cohort join name:${name}\` で参加できます。`, `Cohort “${name}” is set: ${lessons} by ${deadline}. Members join with \`/cohort join name:${name}\`.`),
  cohortBadName: (lang: Lang) => pick(lang, 'コホート名は英小文字・数字・ハイフン・下線で32文字までにしてください（例: `spring-2026`）。', 'A cohort name is up to 32 lowercase letters, digits, hyphens or underscores (e.g. `spring-2026`).'),
  cohortBadLessons: (lang: Lang, given: string) => pick(lang, `「${given}」の中に知らないレッスンがあります。IDか番号をカンマ区切りで（例: \`1,2,3\`）。`, `Some of “${given}” are not lessons. List ids or numbers separated by commas (e.g. \`1,2,3\`).`),
  cohortBadDeadline: (lang: Lang, given: string) => pick(lang, `締め切り「${given}」は \`2026-12-31\` の形で書いてください。`, `Write the deadline “${given}” as \`2026-12-31\`.`),
  cohortJoined: (lang: Lang, name: string) => pick(lang, `コホート「${name}」に参加しました。\`/board cohort:${name}\` でみんなの進み具合が見られます。`, `You joined cohort “${name}”. See everyone with \`/board cohort:${name}\`.`),
  cohortLeft: (lang: Lang, name: string) => pick(lang, `コホート「${name}」から抜けました。`, `You left cohort “${name}”.`),
  askOffer: (lang: Lang) => pick(lang, '🤝 ひとりで悩まなくて大丈夫。サーバーのみんなに聞いてみませんか？ 実行したコマンドと出力をカードにして、ヘルプ用チャンネルにスレッドを立てます。', "🤝 You don't have to figure this out alone. Ask the team? I'll post a short card — your step, the command you ran and its output — as a thread in the help channel."),
  askNamed: (lang: Lang) => pick(lang, 'チームに聞く（名前を出す）', 'Ask the team (with my name)'),
  askAnon: (lang: Lang) => pick(lang, '名前を出さずに聞く', 'Ask without my name'),
  askModalTitle: (lang: Lang) => pick(lang, 'チームに聞く', 'Ask the team'),
  askModalLabel: (lang: Lang) => pick(lang, 'どうなると思っていましたか？', 'What did you expect to happen?'),
  askGone: (lang: Lang) => pick(lang, 'この質問カードの下書きは期限が切れました。もう一度コマンドを実行してから聞いてみてね。', 'This question’s draft has expired. Run the command again, then ask.'),
  noHelpChannel: (lang: Lang) => pick(lang, 'このサーバーではヘルプ用チャンネルがまだ決まっていません。管理者さんに `/sensei-admin help-channel` をお願いしてね。', 'This server has no help channel yet; ask an admin to set one with `/sensei-admin help-channel`.'),
  cardTitle: (lang: Lang, lessonTitle: string, step: number, stepTitle: string) => pick(lang, `🆘 ${lessonTitle}・ステップ ${step}「${stepTitle}」`, `🆘 ${lessonTitle} · step ${step}: ${stepTitle}`),
  cardAsker: (lang: Lang, name: string | undefined) => (name ? pick(lang, `${name} さんからの質問`, `A question from ${name}`) : pick(lang, '学習者さんからの質問（名前なし）', 'A question from a learner (no name)')),
  cardCommand: (lang: Lang) => pick(lang, '実行したコマンド', 'Command they ran'),
  cardOutput: (lang: Lang) => pick(lang, '出力（抜粋）', 'Output (trimmed)'),
  cardExpected: (lang: Lang) => pick(lang, '期待していたこと', 'What they expected'),
  cardNothing: (lang: Lang) => pick(lang, '（なし）', '(none)'),
  threadName: (lang: Lang, lessonTitle: string, step: number) => pick(lang, `質問: ${lessonTitle} ステップ${step}`, `Help: ${lessonTitle} step ${step}`),
  threadIntro: (lang: Lang) => pick(lang, 'わかる人はこのスレッドで答えてあげてください 🙏 解決したら質問した人が「解決した」を押します。', 'If you can help, answer in this thread 🙏 The learner presses “Solved” when it is.'),
  askPosted: (lang: Lang, threadId: string) => pick(lang, `聞いてみました 👉 <#${threadId}>　答えが来たらここにも知らせます。`, `Asked 👉 <#${threadId}> — answers will be waiting there.`),
  askLink: (lang: Lang, threadId: string) => pick(lang, `🤝 チームに質問しました: <#${threadId}>\n解決したら下のボタンを押してね。`, `🤝 You asked the team: <#${threadId}>\nPress the button below once it is solved.`),
  solvedButton: (lang: Lang) => pick(lang, '解決した ✅', 'Solved ✅'),
  solvedDone: (lang: Lang) => pick(lang, '✅ 解決！ 助けてくれた人にお礼を伝えておきました。', '✅ Solved! I thanked the people who helped.'),
  solvedInThread: (lang: Lang, helpers: readonly string[]) =>
    helpers.length
      ? pick(lang, `✅ 解決しました！ 助けてくれた ${helpers.join('、')} さん、ありがとう 🙌`, `✅ Solved! Thank you ${helpers.join(', ')} for helping 🙌`)
      : pick(lang, '✅ 解決しました！ ありがとう 🙌', '✅ Solved! Thank you 🙌'),
  alreadySolved: (lang: Lang) => pick(lang, 'この質問はもう解決済みです。', 'This question is already solved.'),
  notYours: (lang: Lang) => pick(lang, 'このボタンは質問した人だけが押せます。', 'Only the learner who asked can press this.'),
};
