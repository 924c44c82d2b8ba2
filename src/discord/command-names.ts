// How the tutor's sentences name commands on Discord. Whether learners can type commands depends on the
// Message Content intent, which is known only after login (and may be refused), so this object is mutable
// and read by the tutor at every reply.

/** The tutor's command names on Discord, plus whether typed messages reach the bot. */
export interface DiscordCommandNames {
  readonly lessons: string;
  readonly start: string;
  readonly hint: string;
  /** `$ ` when learners can type (an explicit "run this"), else the slash command that runs a line. */
  readonly run: string;
  /** True when typed messages reach the bot: the Message Content intent is granted. */
  canType: boolean;
}

export const RUN_SLASH_COMMAND = '/run command:';

export function discordCommandNames(canType: boolean): DiscordCommandNames {
  return {
    lessons: '/lesson list',
    // As Discord shows the option once picked (`id:`): the tutor's sentences add ` <id>` after it.
    start: '/lesson start id:',
    hint: '/hint',
    canType,
    // A getter on the object itself, so a spread ({ ...names }) reads the current value.
    get run() {
      return this.canType ? '$ ' : RUN_SLASH_COMMAND;
    },
  };
}
