// What the Discord adapter itself says (about Discord things: threads, permissions, buttons, waiting), in
// both languages. Everything about lessons and commands comes from the tutor core instead.

import type { Lang } from '../lessons/index.js';
import type { AskReplies } from './store.js';

/** Where a command runs, as the live status names it. */
export type RunPlace = { kind: 'sandbox' } | { kind: 'lab' } | { kind: 'host' } | { kind: 'container'; name: string };

/** A fixed text in both languages, picked by the reader's. */
const inLang = (ja: string, en: string) => (lang: Lang): string => (lang === 'ja' ? ja : en);

export function langFromLocale(locale: string | null | undefined): Lang {
  return locale?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export const PERMISSION_NAMES = {
  ViewChannel: { ja: 'チャンネルを見る', en: 'View Channel' },
  SendMessages: { ja: 'メッセージを送信', en: 'Send Messages' },
  SendMessagesInThreads: { ja: 'スレッドでメッセージを送信', en: 'Send Messages in Threads' },
  CreatePrivateThreads: { ja: 'プライベートスレッドの作成', en: 'Create Private Threads' },
  AttachFiles: { ja: 'ファイルを添付', en: 'Attach Files' },
  ReadMessageHistory: { ja: 'メッセージ履歴を読む', en: 'Read Message History' },
  CreatePublicThreads: { ja: '公開スレッドの作成', en: 'Create Public Threads' },
  EmbedLinks: { ja: '埋め込みリンク', en: 'Embed Links' },
} as const;

export type PermissionName = keyof typeof PERMISSION_NAMES;

export const TEXT = {
  notYourButtons: inLang(
    'このボタンは別の学習者さん用です。自分で始めるには `/lesson start` をどうぞ 🙂\nThese buttons belong to another learner; use `/lesson start` for your own.',
    'These buttons belong to another learner. Start your own with `/lesson start` 🙂',
  ),
  staleButton: (lang: Lang) =>
    lang === 'ja' ? 'このボタンはもう使えません。もう一度コマンドからどうぞ。' : 'This button no longer works; please use the command again.',
  missingPermissions: (lang: Lang, where: string, missing: readonly PermissionName[]) => {
    const names = missing.map((p) => `**${PERMISSION_NAMES[p][lang]}**`).join(lang === 'ja' ? '、' : ', ');
    return lang === 'ja'
      ? `ごめんなさい、${where} で私に足りない権限があります: ${names}\nサーバーの管理者さんに、このチャンネルで Bot にこの権限を付けてもらってください。`
      : `Sorry, I am missing permissions in ${where}: ${names}\nPlease ask a server admin to grant the bot these permissions in this channel.`;
  },
  channelNotAllowed: (lang: Lang, allowed: readonly string[]) => {
    const list = allowed.map((id) => `<#${id}>`).join(' ');
    return lang === 'ja' ? `このチャンネルではレッスンをしていません。こちらでどうぞ: ${list}` : `Lessons don't happen in this channel. Please use: ${list}`;
  },
  cooldown: (lang: Lang, seconds: number) =>
    lang === 'ja' ? `少し待ってね。あと ${seconds} 秒で次のコマンドを実行できます ⏳` : `Just a moment: you can run the next command in ${seconds} s ⏳`,
  threadReady: (lang: Lang, threadId: string) =>
    lang === 'ja' ? `あなた専用のスレッドで続けましょう 👉 <#${threadId}>` : `Let's continue in your own thread 👉 <#${threadId}>`,
  threadName: (lang: Lang, username: string) => (lang === 'ja' ? `🐳 ${username} さんの教室` : `🐳 ${username}'s classroom`),
  /** Only said when someone really is ahead: a job that is next in line is about to start. */
  queued: (lang: Lang, ahead: number) =>
    lang === 'ja' ? `⏳ 順番待ちです（前に ${ahead} 件）…` : `⏳ Waiting in line: ${ahead} ahead of you…`,
  running: (lang: Lang, place: RunPlace) => {
    switch (place.kind) {
      case 'host':
        return lang === 'ja' ? '▶️ ホスト側から見て実行中です…' : "▶️ Running on the host's view…";
      case 'container':
        return lang === 'ja' ? `▶️ コンテナ ${place.name} の中で実行中です…` : `▶️ Running inside ${place.name}…`;
      case 'lab':
        return lang === 'ja' ? '▶️ ラボで実行中です…' : '▶️ Running in your lab…';
      case 'sandbox':
        return lang === 'ja' ? '▶️ サンドボックスで実行中です…' : '▶️ Running in your sandbox…';
    }
  },
  forgetQuestion: inLang(
    'あなたについて保存している進み具合・設定・スレッドの記録をすべて消します。本当に消しますか？（元に戻せません）',
    'This deletes everything stored about you: progress, settings and your thread records. Really delete? (This cannot be undone.)',
  ),
  forgetYes: (lang: Lang) => (lang === 'ja' ? 'すべて消す' : 'Delete everything'),
  forgetNo: (lang: Lang) => (lang === 'ja' ? 'やめておく' : 'Keep it'),
  forgetKept: (lang: Lang) => (lang === 'ja' ? '何も消していません。これからもよろしくね！' : 'Nothing was deleted. Glad you are staying!'),
  notAdmin: (lang: Lang) =>
    lang === 'ja' ? 'この設定には「サーバー管理」の権限が必要です。' : 'This setting needs the Manage Server permission.',
  guildOnly: (lang: Lang) => (lang === 'ja' ? 'これはサーバーの中でだけ使えます。' : 'This works only inside a server.'),
  channelAllowed: (lang: Lang, channelId: string) =>
    lang === 'ja' ? `<#${channelId}> を許可しました。` : `Learners can now use <#${channelId}>.`,
  channelDisallowed: (lang: Lang, channelId: string) =>
    lang === 'ja' ? `<#${channelId}> を許可リストから外しました。` : `<#${channelId}> is no longer on the allowed list.`,
  cooldownSet: (lang: Lang, seconds: number) =>
    lang === 'ja' ? `クールダウンを ${seconds} 秒にしました。` : `The cooldown is now ${seconds} s.`,
  askRepliesSet: (lang: Lang, replies: AskReplies) =>
    replies === 'private'
      ? lang === 'ja' ? '`/ask` の答えは、これから質問した人にだけ見えます。' : '`/ask` answers are now visible only to the member who asked.'
      : lang === 'ja' ? '`/ask` の答えは、これからチャンネルのみんなに見えます（みんなの学びになります）。' : '`/ask` answers are now posted for everyone in the channel, so others learn too.',
  askRepliesLine: (lang: Lang, replies: AskReplies) =>
    lang === 'ja'
      ? `/ask の答え: ${replies === 'private' ? '質問した人だけ' : 'チャンネルのみんなに公開'}`
      : `/ask answers: ${replies === 'private' ? 'only the asker sees them' : 'public in the channel'}`,
  settings: (lang: Lang, allowed: readonly string[], cooldownSeconds: number, missing: readonly PermissionName[], canType: boolean) => {
    const channels = allowed.length ? allowed.map((id) => `<#${id}>`).join(' ') : lang === 'ja' ? '（指定なし: どこでも）' : '(none: everywhere)';
    const names = missing.map((p) => PERMISSION_NAMES[p][lang]).join(', ');
    const typing = canType
      ? lang === 'ja' ? 'オン ✅（Message Content インテントあり）' : 'on ✅ (Message Content intent granted)'
      : lang === 'ja' ? 'オフ（`/run` のみ）→ Developer Portal → Bot → Privileged Gateway Intents → Message Content Intent' : 'off (`/run` only) → Developer Portal → Bot → Privileged Gateway Intents → Message Content Intent';
    return lang === 'ja'
      ? `許可チャンネル: ${channels}\nクールダウン: ${cooldownSeconds} 秒\nスレッドでのコマンド入力: ${typing}\nこのチャンネルでの権限: ${missing.length ? `足りません → ${names}` : 'すべてそろっています ✅'}`
      : `Allowed channels: ${channels}\nCooldown: ${cooldownSeconds} s\nTyping commands in threads: ${typing}\nPermissions here: ${missing.length ? `missing → ${names}` : 'all present ✅'}`;
  },
  /** To a learner whose typed message reached us empty: the server has not granted the Message Content intent. */
  runPointer: (lang: Lang, example: string) =>
    lang === 'ja'
      ? `ごめんね、このサーバーでは、スレッドに打ったメッセージの中身が私に届かない設定になっているんだ 🙏\nコマンドは \`/run command:${example}\` で送ってね。各ステップの「▶ これを実行」ボタンも使えるよ。（サーバーの管理者さんにも設定方法を伝えておくね）`
      : `Sorry, on this server the messages you type here reach me empty 🙏\nRun commands with \`/run command:${example}\` instead, or press "▶ Run this" under a step. (I'll let the server admins know how to change this.)`,
  /** To an admin (and the log): how to let learners type commands. */
  intentMissingAdmin: inLang(
    '⚠️ Discord が **Message Content インテント** を許可していないため、学習者がスレッドに打ったコマンドが Bot に届きません（今は `/run` だけが使えます）。\n有効にするには: Discord Developer Portal → アプリケーション → **Bot** → **Privileged Gateway Intents** → **Message Content Intent** をオンにして保存し、Bot を再起動してください。',
    "⚠️ Discord has not granted the bot the **Message Content intent**, so commands learners type in their threads never reach it (only `/run` works for now).\nTo enable it: Discord Developer Portal → your application → **Bot** → **Privileged Gateway Intents** → switch on **Message Content Intent**, save, and restart the bot.",
  ),
  /** Once to a member who writes in another learner's thread. */
  notYourThread: (lang: Lang, ownThreadId?: string) =>
    ownThreadId
      ? lang === 'ja'
        ? `ここは別の学習者さんのスレッドなので、ここでのメッセージは実行しないよ。あなたのスレッドはこちら 👉 <#${ownThreadId}>`
        : `This is another learner's thread, so I don't run messages here. Yours is here 👉 <#${ownThreadId}>`
      : lang === 'ja'
        ? 'ここは別の学習者さんのスレッドなので、ここでのメッセージは実行しないよ。自分のスレッドは `/lesson start` で作れるよ 🙂'
        : "This is another learner's thread, so I don't run messages here. Start your own with `/lesson start` 🙂",
  more: inLang('もっと詳しく', 'More'),
  moreGone: inLang(
    'この続きはもう表示できません。いつも全部見たいときは `/style detailed` にしてね。',
    'This part is no longer available. Use `/style detailed` to always see everything.',
  ),
  failed: inLang(
    'ごめんなさい、こちらで問題が起きました。少し待ってからもう一度試してください。',
    'Sorry, something went wrong on my side. Please try again in a moment.',
  ),
} as const;
