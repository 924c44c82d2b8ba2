import type { TutorEvent } from '../tutor/engine.js';
import {
  commandRequest,
  learnerCommand,
  usageOf,
  type CommandArgs,
  type CommandUsage,
  type LearnerCommandId,
  type Localized,
  type TeamAction,
} from '../tutor/commands.js';


/**
 * How each learner command is written in the console (the first name is the one shown). A command missing
 * here fails to compile; test/tutor/commands.test.ts checks that each one parses.
 */
export const CONSOLE_NAMES = {
  lessons: ['/lessons'],
  start: ['/start'],
  next: ['/next', '/continue'],
  skip: ['/skip'],
  run: ['/run'],
  hint: ['/hint'],
  more: ['/more'],
  progress: ['/progress'],
  platform: ['/platform'],
  language: ['/lang', '/language'],
  style: ['/style'],
  where: ['/where'],
  ask: ['/ask'],
  reset: ['/reset'],
  forget: ['/forget'],
  help: ['/help', '/?'],
  board: ['/board'],
  privacy: ['/privacy'],
} as const satisfies Record<LearnerCommandId, readonly string[]>;

/** Console shortcuts: one word for a command with its argument. */
const SHORTCUTS: Readonly<Record<string, { id: LearnerCommandId; args: CommandArgs; description: Localized }>> = {
  '/host': { id: 'where', args: { place: 'host' }, description: { en: "Look from the host's view (the same as `/where host`)", ja: 'ホストの視点に移る（`/where host` と同じ）' } },
  '/sandbox': { id: 'where', args: { place: 'sandbox' }, description: { en: 'Back to your own sandbox (the same as `/where sandbox`)', ja: '自分のサンドボックスに戻る（`/where sandbox` と同じ）' } },
};

const QUIT = ['/quit', '/exit'];
const QUIT_DESCRIPTION: Localized = { en: 'Leave the chat (your progress is kept)', ja: 'チャットを終える（進み具合は残るよ）' };

/** Every console command as it is written, for the help text and "did you mean". */
export const CONSOLE_USAGES: readonly CommandUsage[] = [
  ...(Object.entries(CONSOLE_NAMES) as [LearnerCommandId, readonly string[]][]).map(([id, names]) => ({ id, usage: usageOf(names[0]!, learnerCommand(id)) })),
  ...Object.entries(SHORTCUTS).map(([usage, { id, description }]) => ({ id, usage, description })),
  { usage: QUIT[0]!, description: QUIT_DESCRIPTION },
];

export const CONSOLE_COMMANDS: readonly string[] = CONSOLE_USAGES.map((u) => u.usage);

export type ConsoleInput = { kind: 'event'; event: TutorEvent } | { kind: 'team'; action: TeamAction } | { kind: 'quit' } | { kind: 'nothing' };

const event = (e: TutorEvent): ConsoleInput => ({ kind: 'event', event: e });

/**
 * One line typed in the console: a `/command`, `$ ` and a command to run for sure, or anything else the
 * tutor reads as a person would (a command, chat, the number of a choice it offered).
 */
export function parseConsoleLine(line: string): ConsoleInput {
  const text = line.replace(/\r$/, '');
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'nothing' };
  if (trimmed === '$' || trimmed.startsWith('$ ')) return event({ type: 'command', command: trimmed.slice(1).trim() });
  // `/bin/ls` and `/proc/1/status` are paths to run, not console commands.
  if (!/^\/[A-Za-z?]+(?:\s|$)/.test(trimmed)) return event({ type: 'line', text });
  const name = (/^\S+/.exec(trimmed)?.[0] ?? '').toLowerCase();
  const rest = trimmed.slice(name.length).trim();
  if (QUIT.includes(name)) return { kind: 'quit' };
  const unknown = event({ type: 'unknown-command', given: trimmed, known: CONSOLE_COMMANDS });
  const shortcut = SHORTCUTS[name];
  const id = shortcut?.id ?? (Object.entries(CONSOLE_NAMES) as [LearnerCommandId, readonly string[]][]).find(([, names]) => names.includes(name))?.[0];
  if (!id) return unknown;
  const request = commandRequest(id, shortcut ? shortcut.args : positionalArgs(id, rest));
  if (request.kind === 'invalid') return unknown;
  return request.kind === 'team' ? { kind: 'team', action: request.action } : event(request.event);
}

/** Arguments by position, in the command's option order; the last option takes the rest of the line. */
function positionalArgs(id: LearnerCommandId, rest: string): CommandArgs {
  const options = learnerCommand(id).options;
  const args: Record<string, string> = {};
  let remaining = rest;
  options.forEach((option, index) => {
    if (remaining === '') return;
    if (index === options.length - 1) {
      args[option.name] = remaining;
      remaining = '';
      return;
    }
    const word = /^\S+/.exec(remaining)?.[0] ?? '';
    args[option.name] = word;
    remaining = remaining.slice(word.length).trim();
  });
  return args;
}
