// Slash command definitions as plain data (what Discord receives), apart from the handlers in router.ts, and
// the small deploy step that sends them to Discord. The learner commands come from src/tutor/commands.ts.

import {
  ApplicationCommandOptionType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  REST,
  Routes,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandChannelOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIApplicationCommandsJSONBody,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Config } from '../config.js';
import { TEAM_ADMIN_SUBCOMMANDS, TEAM_COMMAND_DEFINITIONS } from './team/commands.js';
import { learnerCommand, usageOf, type CommandOption, type CommandUsage, type LearnerCommandId } from '../tutor/commands.js';
import { requireDiscordToken, tokenRefused } from './token.js';

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

/**
 * Where each learner command lives on Discord: a top-level slash command, a subcommand of /lesson, or a button
 * (pressed, not typed). A command missing here fails to compile; test/tutor/commands.test.ts checks the rest.
 */
type DiscordPlacement = { slash: string } | { group: 'lesson'; sub: string } | { button: string };

/** Commands that are a slash command of their own name, and nothing else. */
const OWN_SLASH = ['run', 'hint', 'skip', 'progress', 'platform', 'language', 'style', 'where', 'ask', 'reset', 'forget', 'help', 'board', 'privacy'] as const;
/** Commands placed otherwise: in the /lesson group, under two names, or as a button. */
const PLACED_OTHERWISE = {
  lessons: [{ group: 'lesson', sub: 'list' }],
  start: [{ group: 'lesson', sub: 'start' }],
  next: [{ slash: 'next' }, { group: 'lesson', sub: 'continue' }],
  more: [{ button: 'the More button under a short reply expands it in place' }],
} as const satisfies Partial<Record<LearnerCommandId, readonly DiscordPlacement[]>>;
// A learner command in neither list fails to compile here.
type Unplaced = Exclude<LearnerCommandId, (typeof OWN_SLASH)[number] | keyof typeof PLACED_OTHERWISE>;
const everyCommandPlaced: [Unplaced] extends [never] ? true : Unplaced = true;
void everyCommandPlaced;

export const DISCORD_PLACEMENTS: Readonly<Record<LearnerCommandId, readonly DiscordPlacement[]>> = {
  ...(Object.fromEntries(OWN_SLASH.map((id) => [id, [{ slash: id }]])) as Record<string, readonly DiscordPlacement[]> as Record<(typeof OWN_SLASH)[number], readonly DiscordPlacement[]>),
  ...PLACED_OTHERWISE,
};

/** The /lesson group's own description (its subcommands come from the learner commands). */
const LESSON_GROUP = { en: 'Lessons: list them, start one, or continue where you left off', ja: 'レッスン：一覧・開始・続きから' };
/** /lesson continue is the in-thread spelling of next. */
const LESSON_CONTINUE = { en: 'Continue your current lesson', ja: '今のレッスンの続きから' };

/** Text options Discord suggests values for as the member types (router.ts answers them). */
export const AUTOCOMPLETED_OPTIONS: Partial<Record<LearnerCommandId, readonly string[]>> = { ask: ['question'] };

function discordOption(o: CommandOption, id: LearnerCommandId): APIApplicationCommandBasicOption {
  const common = { name: o.name, description: o.description.en, description_localizations: ja(o.description.ja), required: o.required };
  switch (o.kind) {
    case 'text':
      return { ...common, type: ApplicationCommandOptionType.String, max_length: o.maxLength, ...(AUTOCOMPLETED_OPTIONS[id]?.includes(o.name) ? { autocomplete: true } : {}) };
    case 'integer':
      return { ...common, type: ApplicationCommandOptionType.Integer, min_value: o.min, max_value: o.max };
    case 'choice':
      return {
        ...common,
        type: ApplicationCommandOptionType.String,
        choices: o.choices.map((c) => ({ name: c.label.en, ...(c.label.ja !== c.label.en ? { name_localizations: ja(c.label.ja) } : {}), value: c.value })),
      };
  }
}

/** Every placement, with the learner command it stands for. */
function placements(): { id: LearnerCommandId; placement: DiscordPlacement }[] {
  return (Object.entries(DISCORD_PLACEMENTS) as [LearnerCommandId, readonly DiscordPlacement[]][]).flatMap(([id, list]) => list.map((placement) => ({ id, placement })));
}

/** The learner commands as Discord slash commands, in the list's order, /lesson first. */
function learnerDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const lessonSubcommands: APIApplicationCommandSubcommandOption[] = [];
  const top: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
    { name: 'lesson', description: LESSON_GROUP.en, description_localizations: ja(LESSON_GROUP.ja), options: lessonSubcommands },
  ];
  for (const { id, placement } of placements()) {
    const command = learnerCommand(id);
    const options = command.options.map((o) => discordOption(o, id));
    if ('slash' in placement) {
      top.push({ name: placement.slash, description: command.description.en, description_localizations: ja(command.description.ja), ...(options.length ? { options } : {}) });
    } else if ('group' in placement) {
      const description = placement.sub === 'continue' ? LESSON_CONTINUE : command.description;
      lessonSubcommands.push({ type: ApplicationCommandOptionType.Subcommand, name: placement.sub, description: description.en, description_localizations: ja(description.ja), ...(options.length ? { options } : {}) });
    }
  }
  return top;
}

/** The learner command a slash command (and its subcommand) stands for, if it is one. */
export function discordCommandId(name: string, sub: string | null): LearnerCommandId | undefined {
  return placements().find(({ placement }) => ('slash' in placement && placement.slash === name) || ('group' in placement && placement.group === name && placement.sub === sub))?.id;
}

/** /help's order: a lesson first (start, list, continue, next), then the rest as listed, the team's, /help itself last. */
function helpRank(id: LearnerCommandId, placement: DiscordPlacement): number {
  if (id === 'start') return 0;
  if (id === 'lessons') return 1;
  // next lives in two places: /lesson continue first, beside its group, then /next.
  if (id === 'next') return 'group' in placement ? 2 : 3;
  return id === 'help' ? 6 : 4;
}
const TEAM_HELP_RANK = 5;

/** How learners write each command on Discord, for the help text and "did you mean"; the team commands too. */
export const DISCORD_USAGES: readonly CommandUsage[] = [
  ...placements().flatMap(({ id, placement }) => {
    if ('button' in placement) return [];
    const name = 'slash' in placement ? `/${placement.slash}` : `/${placement.group} ${placement.sub}`;
    const continues = 'group' in placement && placement.sub === 'continue';
    const usage: CommandUsage = { id, usage: usageOf(name, learnerCommand(id), (o) => `${o.name}:`), ...(continues ? { description: LESSON_CONTINUE } : {}) };
    return [{ usage, rank: helpRank(id, placement) }];
  }),
  ...teamUsages().map((usage) => ({ usage, rank: TEAM_HELP_RANK })),
]
  .sort((a, b) => a.rank - b.rank)
  .map(({ usage }) => usage);

/** /team and /cohort, one line per subcommand, written as Discord shows their options (`name:<name>`). */
function teamUsages(): CommandUsage[] {
  return TEAM_COMMAND_DEFINITIONS.flatMap((command) =>
    (command.options ?? []).flatMap((sub) => {
      if (sub.type !== ApplicationCommandOptionType.Subcommand) return [];
      const options = (sub.options ?? []).map((o) => (o.required ? `${o.name}:<${o.name}>` : `[${o.name}:<${o.name}>]`));
      const description = { en: sub.description, ja: sub.description_localizations?.ja ?? sub.description };
      return [{ usage: [`/${command.name} ${sub.name}`, ...options].join(' '), description }];
    }),
  );
}

export const COMMAND_DEFINITIONS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  ...learnerDefinitions(),
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
        name: 'ask-replies',
        description: 'Who sees /ask answers: everyone in the channel, or only the asker',
        description_localizations: ja('/ask の答えを見られる人：チャンネルのみんなか、質問した人だけか'),
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'visibility',
            description: 'public (others learn too) or private',
            description_localizations: ja('public（みんなの学びに）か private（本人だけ）'),
            required: true,
            choices: [
              { name: 'public: everyone in the channel', name_localizations: ja('公開：チャンネルのみんな'), value: 'public' },
              { name: 'private: only the asker', name_localizations: ja('非公開：質問した人だけ'), value: 'private' },
            ],
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'settings',
        description: 'Show the settings and check the bot’s permissions here',
        description_localizations: ja('設定の表示と、ここでのBotの権限チェック'),
      },
      ...TEAM_ADMIN_SUBCOMMANDS,
    ],
  },
  ...TEAM_COMMAND_DEFINITIONS,
];

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
  const rest = new REST({ version: '10', ...(config.DISCORD_API_BASE ? { api: config.DISCORD_API_BASE } : {}) }).setToken(requireDiscordToken(config));
  try {
    return await putCommands(rest, config.DISCORD_APP_ID, opts.guildId);
  } catch (err) {
    throw tokenRefused(err) ?? err;
  }
}

async function putCommands(rest: REST, knownAppId: string | undefined, guildId: string | undefined): Promise<DeployResult> {
  const appId = knownAppId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  // Servers only: in a DM with the bot, /run would skip the server's channel allow-list and cooldown.
  const body: RESTPostAPIApplicationCommandsJSONBody[] = COMMAND_DEFINITIONS.map((c) => ({ ...c, contexts: [InteractionContextType.Guild] }));
  const route = guildId ? Routes.applicationGuildCommands(appId, guildId) : Routes.applicationCommands(appId);
  const deployed = (await rest.put(route, { body })) as { name: string }[];
  return { scope: guildId ? 'guild' : 'global', ...(guildId ? { guildId } : {}), names: deployed.map((c) => c.name) };
}
