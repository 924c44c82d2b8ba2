// Slash command definitions as plain data (what Discord receives), apart from the handlers in router.ts,
// and the small deploy step that sends them to Discord.

import { MAX_MESSAGE_CHARS } from '../text/limits.js';
import {
  ApplicationCommandOptionType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  REST,
  Routes,
  type APIApplicationCommandChannelOption,
  type APIApplicationCommandStringOption,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Config } from '../config.js';

const ja = (text: string) => ({ ja: text });

/** The channel the admin allow-list subcommands act on. */
const textChannelOption: APIApplicationCommandChannelOption = {
  type: ApplicationCommandOptionType.Channel,
  name: 'channel',
  description: 'A text channel',
  description_localizations: ja('テキストチャンネル'),
  required: true,
  channel_types: [ChannelType.GuildText],
};

/** A required string option whose values are a fixed list of choices. */
function choiceOption(
  name: string,
  description: string,
  jaDescription: string,
  choices: { name: string; ja?: string; value: string }[],
): APIApplicationCommandStringOption {
  return {
    type: ApplicationCommandOptionType.String,
    name,
    description,
    description_localizations: ja(jaDescription),
    required: true,
    choices: choices.map((c) => ({ name: c.name, ...(c.ja ? { name_localizations: ja(c.ja) } : {}), value: c.value })),
  };
}

export const COMMAND_DEFINITIONS = [
  {
    name: 'lesson',
    description: 'Lessons: list them, start one, or continue where you left off',
    description_localizations: ja('レッスン：一覧・開始・続きから'),
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'list',
        description: 'Show every lesson',
        description_localizations: ja('レッスンの一覧を見る'),
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'start',
        description: 'Start a lesson in your own private thread',
        description_localizations: ja('自分専用のスレッドでレッスンを始める'),
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'id',
            description: 'Lesson id or number, e.g. 1',
            description_localizations: ja('レッスンのIDか番号（例: 1）'),
            required: true,
            max_length: 64,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'continue',
        description: 'Continue your current lesson',
        description_localizations: ja('今のレッスンの続きから'),
      },
    ],
  },
  {
    name: 'run',
    description: 'Run a shell command in your sandbox container',
    description_localizations: ja('サンドボックスのコンテナでコマンドを実行する'),
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'command',
        description: 'The shell command, e.g. ps aux',
        description_localizations: ja('シェルのコマンド（例: ps aux）'),
        required: true,
        max_length: MAX_MESSAGE_CHARS,
      },
    ],
  },
  { name: 'hint', description: 'A hint for the current step', description_localizations: ja('今のステップのヒント') },
  { name: 'next', description: 'Go on to the next step', description_localizations: ja('次のステップへ進む') },
  { name: 'progress', description: 'Your progress through the lessons', description_localizations: ja('これまでの進み具合') },
  {
    name: 'platform',
    description: 'The computer you use at home, for commands to try there',
    description_localizations: ja('手元で使っているOS（家で試すコマンド用）'),
    options: [
      choiceOption('os', 'Your operating system', 'あなたのOS', [
        { name: 'Linux', value: 'linux' },
        { name: 'macOS', value: 'mac' },
        { name: 'Windows', value: 'windows' },
      ]),
    ],
  },
  {
    name: 'where',
    description: 'Where your commands run: your sandbox, or the host (to look at your lab containers from outside)',
    description_localizations: ja('コマンドを動かす場所：自分のサンドボックスか、ホスト（ラボのコンテナを外から見る）'),
    options: [
      choiceOption('place', 'sandbox or host', 'sandbox か host', [
        { name: 'sandbox', ja: 'サンドボックス', value: 'sandbox' },
        { name: 'host', ja: 'ホスト', value: 'host' },
      ]),
    ],
  },
  {
    name: 'language',
    description: 'The language the tutor speaks to you',
    description_localizations: ja('先生が話す言葉'),
    options: [
      choiceOption('lang', 'Japanese or English', '日本語か英語', [
        { name: '日本語', value: 'ja' },
        { name: 'English', value: 'en' },
      ]),
    ],
  },
  {
    name: 'style',
    description: 'Short replies (the point first, "More" for the rest) or detailed ones',
    description_localizations: ja('返事の長さ：短め（要点から、続きは「もっと詳しく」）か詳しめ'),
    options: [
      choiceOption('style', 'short or detailed', 'short（短め）か detailed（詳しめ）', [
        { name: 'short', ja: '短め', value: 'short' },
        { name: 'detailed', ja: '詳しめ', value: 'detailed' },
      ]),
    ],
  },
  { name: 'reset', description: 'Start your progress over', description_localizations: ja('進み具合を最初からやり直す') },
  {
    name: 'forget',
    description: 'Delete everything Container Sensei stores about you',
    description_localizations: ja('Container Sensei が保存しているあなたのデータをすべて消す'),
  },
  {
    name: 'sensei-admin',
    description: 'Server settings for Container Sensei',
    description_localizations: ja('Container Sensei のサーバー設定'),
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    contexts: [InteractionContextType.Guild],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'allow-channel',
        description: 'Let learners use the tutor in a channel (once any is allowed, only those are)',
        description_localizations: ja('このチャンネルで使えるようにする（1つでも許可すると許可したものだけ）'),
        options: [textChannelOption],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'disallow-channel',
        description: 'Remove a channel from the allowed list',
        description_localizations: ja('許可リストからチャンネルを外す'),
        options: [textChannelOption],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'cooldown',
        description: 'Seconds a learner waits between two commands (0 = none)',
        description_localizations: ja('コマンドとコマンドの間に待つ秒数（0 = なし）'),
        options: [
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'seconds',
            description: 'Seconds, 0 to 3600',
            description_localizations: ja('秒（0〜3600）'),
            required: true,
            min_value: 0,
            max_value: 3600,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'settings',
        description: 'Show the settings and check the bot’s permissions here',
        description_localizations: ja('設定の表示と、ここでのBotの権限チェック'),
      },
    ],
  },
] as const satisfies RESTPostAPIApplicationCommandsJSONBody[];

export type CommandName = (typeof COMMAND_DEFINITIONS)[number]['name'];
export const COMMAND_NAMES: readonly CommandName[] = COMMAND_DEFINITIONS.map((c) => c.name);

export interface DeployResult {
  scope: 'guild' | 'global';
  guildId?: string;
  names: string[];
}

/**
 * Sends the definitions to Discord by bulk overwrite: to one guild (instant, for development) when a guild
 * id is given, otherwise globally (for production; Discord may take a while to show them everywhere).
 */
export async function deployCommands(config: Config, opts: { guildId?: string } = {}): Promise<DeployResult> {
  if (!config.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set: the bot token from the Discord developer portal');
  const rest = new REST({ version: '10', ...(config.DISCORD_API_BASE ? { api: config.DISCORD_API_BASE } : {}) }).setToken(config.DISCORD_TOKEN);
  const appId = config.DISCORD_APP_ID ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  // Servers only: in a DM with the bot, /run would skip the server's channel allow-list and cooldown.
  const body: RESTPostAPIApplicationCommandsJSONBody[] = COMMAND_DEFINITIONS.map((c) => ({ ...c, contexts: [InteractionContextType.Guild] }));
  const route = opts.guildId ? Routes.applicationGuildCommands(appId, opts.guildId) : Routes.applicationCommands(appId);
  const deployed = (await rest.put(route, { body })) as { name: string }[];
  return { scope: opts.guildId ? 'guild' : 'global', ...(opts.guildId ? { guildId: opts.guildId } : {}), names: deployed.map((c) => c.name) };
}
