// What the Discord adapter itself says (about Discord things: threads, permissions, buttons, waiting), in
// both languages. Everything about lessons and commands comes from the tutor core instead.

import type { Lang } from '../lessons/index.js';

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
} as const;

export type PermissionName = keyof typeof PERMISSION_NAMES;

export const TEXT = {
  notYourButtons: (lang: Lang) =>
    lang === 'ja'
      ? 'このボタンは別の学習者さん用です。自分で始めるには `/lesson start` をどうぞ 🙂\nThese buttons belong to another learner; use `/lesson start` for your own.'
      : 'These buttons belong to another learner. Start your own with `/lesson start` 🙂',
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
  queued: (lang: Lang, position: number) =>
    lang === 'ja' ? `⏳ 順番待ちです（${position} 番目）…` : `⏳ Waiting in line (number ${position})…`,
  running: (lang: Lang) => (lang === 'ja' ? '▶️ サンドボックスで実行中です…' : '▶️ Running in your sandbox…'),
  forgetQuestion: (lang: Lang) =>
    lang === 'ja'
      ? 'あなたについて保存している進み具合・設定・スレッドの記録をすべて消します。本当に消しますか？（元に戻せません）'
      : 'This deletes everything stored about you: progress, settings and your thread records. Really delete? (This cannot be undone.)',
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
  settings: (lang: Lang, allowed: readonly string[], cooldownSeconds: number, missing: readonly PermissionName[]) => {
    const channels = allowed.length ? allowed.map((id) => `<#${id}>`).join(' ') : lang === 'ja' ? '（指定なし: どこでも）' : '(none: everywhere)';
    const names = missing.map((p) => PERMISSION_NAMES[p][lang]).join(', ');
    return lang === 'ja'
      ? `許可チャンネル: ${channels}\nクールダウン: ${cooldownSeconds} 秒\nこのチャンネルでの権限: ${missing.length ? `足りません → ${names}` : 'すべてそろっています ✅'}`
      : `Allowed channels: ${channels}\nCooldown: ${cooldownSeconds} s\nPermissions here: ${missing.length ? `missing → ${names}` : 'all present ✅'}`;
  },
  failed: (lang: Lang) =>
    lang === 'ja'
      ? 'ごめんなさい、こちらで問題が起きました。少し待ってからもう一度試してください。'
      : 'Sorry, something went wrong on my side. Please try again in a moment.',
} as const;
