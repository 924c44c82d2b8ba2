import { parseLang, parsePlatform } from '../tutor/intent.js';
import type { TutorEvent } from '../tutor/engine.js';

export const CONSOLE_COMMANDS = ['/lessons', '/start <id> [step]', '/next', '/skip', '/run', '/hint', '/more', '/progress', '/lang ja|en', '/platform linux|mac|windows', '/style short|detailed', '/host', '/sandbox', '/reset', '/forget', '/help', '/quit'] as const;

export type ConsoleInput = { kind: 'event'; event: TutorEvent } | { kind: 'quit' } | { kind: 'nothing' };

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
  if (!/^\/[A-Za-z?]+(?:\s|$)/.test(trimmed)) {
    return event({ type: 'line', text });
  }
  const [name = '', ...args] = trimmed.split(/\s+/);
  const unknown = event({ type: 'unknown-command', given: trimmed, known: CONSOLE_COMMANDS });
  switch (name.toLowerCase()) {
    case '/quit':
    case '/exit':
      return { kind: 'quit' };
    case '/help':
      return event({ type: 'hello' });
    case '/lessons':
      return event({ type: 'lessons' });
    case '/start': {
      if (!args[0]) return event({ type: 'lessons' });
      const step = args[1] === undefined ? undefined : Number(args[1]);
      if (step !== undefined && !Number.isFinite(step)) return unknown;
      return event({ type: 'start', lessonId: args[0], ...(step !== undefined ? { step } : {}) });
    }
    case '/next':
    case '/continue':
      return event({ type: 'next' });
    case '/host':
      return event({ type: 'place', place: 'host' });
    case '/sandbox':
      return event({ type: 'place', place: 'sandbox' });
    case '/skip':
      return event({ type: 'skip' });
    case '/run':
      return event({ type: 'run-step' });
    case '/hint':
      return event({ type: 'hint' });
    case '/progress':
      return event({ type: 'progress' });
    case '/reset':
      return event({ type: 'reset' });
    case '/forget':
      return event({ type: 'forget' });
    case '/more':
      return event({ type: 'more' });
    case '/style': {
      const style = args[0]?.toLowerCase();
      return style === 'short' || style === 'detailed' ? event({ type: 'style', style }) : unknown;
    }
    case '/lang':
    case '/language': {
      const lang = parseLang(args.join(' '));
      return lang ? event({ type: 'language', lang }) : unknown;
    }
    case '/platform': {
      const platform = parsePlatform(args.join(' '));
      return platform ? event({ type: 'platform', platform }) : unknown;
    }
    default:
      return unknown;
  }
}
