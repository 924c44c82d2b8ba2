// The team features' slash commands beyond the learner commands: the admins' settings (subcommands of
// /sensei-admin), the team lead's export, and cohorts. Plain data, as Discord receives it.

import {
  ApplicationCommandOptionType,
  ChannelType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

const ja = (text: string) => ({ ja: text });

function sub(name: string, en: string, jaText: string, options: APIApplicationCommandBasicOption[] = []): APIApplicationCommandSubcommandOption {
  return { type: ApplicationCommandOptionType.Subcommand, name, description: en, description_localizations: ja(jaText), ...(options.length ? { options } : {}) };
}

function text(name: string, en: string, jaText: string, required: boolean, maxLength = 100): APIApplicationCommandBasicOption {
  return { type: ApplicationCommandOptionType.String, name, description: en, description_localizations: ja(jaText), required, max_length: maxLength };
}

const channel = (en: string, jaText: string): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.Channel,
  name: 'channel',
  description: en,
  description_localizations: ja(jaText),
  required: true,
  channel_types: [ChannelType.GuildText],
});

const role = (required: boolean): APIApplicationCommandBasicOption => ({ type: ApplicationCommandOptionType.Role, name: 'role', description: 'A role', description_localizations: ja('ロール'), required });

const WEEKDAY_CHOICES = [
  ['Monday', '月曜', 1],
  ['Tuesday', '火曜', 2],
  ['Wednesday', '水曜', 3],
  ['Thursday', '木曜', 4],
  ['Friday', '金曜', 5],
  ['Saturday', '土曜', 6],
  ['Sunday', '日曜', 7],
] as const;

/** Subcommands of /sensei-admin for the team features. */
export const TEAM_ADMIN_SUBCOMMANDS: APIApplicationCommandSubcommandOption[] = [
  sub('timezone', "The server's time zone for streaks, weeks and digests (default Asia/Tokyo)", 'サーバーのタイムゾーン（連続記録・週・まとめ用。既定 Asia/Tokyo）', [text('tz', 'IANA name, e.g. Asia/Tokyo or America/New_York', 'IANA名（例: Asia/Tokyo, America/New_York）', true, 64)]),
  sub('server-language', 'The language of server-wide posts (board, digests, help cards)', 'サーバー全体への投稿の言語（ボード・まとめ・質問カード）', [
    { type: ApplicationCommandOptionType.String, name: 'lang', description: 'Japanese or English', description_localizations: ja('日本語か英語'), required: true, choices: [{ name: '日本語', value: 'ja' }, { name: 'English', value: 'en' }] },
  ]),
  sub('boards', 'Turn the study board on or off for everyone', '学習ボードをオン・オフする', [
    { type: ApplicationCommandOptionType.String, name: 'state', description: 'on or off', description_localizations: ja('on か off'), required: true, choices: [{ name: 'on', value: 'on' }, { name: 'off', value: 'off' }] },
  ]),
  sub('digest', 'Post a weekly digest to a channel at a weekday and hour', '週間まとめを投稿するチャンネルと曜日・時刻', [
    channel('Where digests are posted', 'まとめを投稿するチャンネル'),
    { type: ApplicationCommandOptionType.Integer, name: 'weekday', description: 'Day of the week', description_localizations: ja('曜日'), required: true, choices: WEEKDAY_CHOICES.map(([en, jaName, value]) => ({ name: en, name_localizations: ja(jaName), value })) },
    { type: ApplicationCommandOptionType.Integer, name: 'hour', description: 'Hour, 0 to 23, in the server time zone', description_localizations: ja('時（0〜23、サーバーのタイムゾーン）'), required: true, min_value: 0, max_value: 23 },
    { type: ApplicationCommandOptionType.Boolean, name: 'monthly', description: 'Also a monthly digest on the 1st', description_localizations: ja('毎月1日に月間まとめも'), required: false },
  ]),
  sub('digest-stop', 'Stop posting digests', 'まとめの投稿を止める'),
  sub('help-channel', 'Where "Ask the team" cards are posted as threads', '「チームに聞く」カードをスレッドで投稿するチャンネル', [channel('The help channel', 'ヘルプ用チャンネル')]),
  sub('roles', 'Give a role on finishing a lesson or phase (no options: list them)', 'レッスンやフェーズを終えた人にロールを付ける（指定なしで一覧）', [
    text('target', 'A lesson id or number, or "phase N"', 'レッスンのIDか番号、または「phase N」', false, 64),
    role(false),
    { type: ApplicationCommandOptionType.Boolean, name: 'remove', description: 'Stop giving a role for this target', description_localizations: ja('この対象のロール付与をやめる'), required: false },
  ]),
  sub('export-role', 'A role (besides admins) that may use /team export; none: admins only', '/team export を使えるロール（指定なしで管理者のみ）', [role(false)]),
];

/** /team export and /cohort. */
export const TEAM_COMMAND_DEFINITIONS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  {
    name: 'team',
    description: "The team lead's view of the server's learners",
    description_localizations: ja('チームリーダー向け：サーバーの学習者の一覧'),
    contexts: [InteractionContextType.Guild],
    options: [sub('export', 'A CSV with one row per learner (admins, or the role they named)', '学習者ごとに1行のCSV（管理者か指定ロールの人）', [text('cohort', 'Only this cohort', 'このコホートだけ', false, 32)])],
  },
  {
    name: 'cohort',
    description: 'Study groups with a shared goal and deadline',
    description_localizations: ja('共通の目標と締め切りを持つ学習グループ'),
    contexts: [InteractionContextType.Guild],
    options: [
      sub('create', 'Create a cohort (admins): its lessons and deadline', 'コホートを作る（管理者）：レッスンと締め切り', [
        text('name', 'Short name, e.g. spring-2026', '短い名前（例: spring-2026）', true, 32),
        text('lessons', 'Lesson ids or numbers, comma-separated, e.g. 1,2,3', 'レッスンのIDか番号をカンマ区切りで（例: 1,2,3）', true, 200),
        text('deadline', 'Last day, YYYY-MM-DD', '締め切り日（YYYY-MM-DD）', true, 10),
      ]),
      sub('join', 'Join a cohort', 'コホートに参加する', [text('name', 'The cohort', 'コホート名', true, 32)]),
      sub('leave', 'Leave a cohort', 'コホートから抜ける', [text('name', 'The cohort', 'コホート名', true, 32)]),
    ],
  },
];
