import { parseLang, parsePlatform } from '../tutor/intent.js';
import { eventForChoice, type TutorEvent } from '../tutor/engine.js';
import type { Choice } from '../tutor/reply.js';

export const CONSOLE_COMMANDS = ['/lessons', '/start <id> [step]', '/next', '/skip', '/run', '/hint', '/progress', '/lang ja|en', '/platform linux|mac|windows', '/host', '/sandbox', '/reset', '/help', '/quit'] as const;

export type ConsoleInput = { kind: 'event'; event: TutorEvent } | { kind: 'quit' } | { kind: 'nothing' };

const event = (e: TutorEvent): ConsoleInput => ({ kind: 'event', event: e });

/**
 * One line typed in the console: `/commands`, `$ shell commands`, the number of a choice the tutor
 * just offered, or free text for the tutor.
 */
export function parseConsoleLine(line: string, offered: readonly Choice[]): ConsoleInput {
  const text = line.replace(/\r$/, '');
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'nothing' };
  if (trimmed === '$' || text.startsWith('$ ') || trimmed.startsWith('$ ')) return event({ type: 'command', command: trimmed.slice(1).trim() });
  // Docker commands go to the lab whether or not they start with `$ `, as the seed types them.
  if (/^(sudo\s+)?docker\s/.test(trimmed)) return event({ type: 'command', command: trimmed });
  if (/^\d{1,2}$/.test(trimmed)) {
    const choice = offered[Number(trimmed) - 1];
    if (choice) return event(eventForChoice(choice.action));
  }
  if (!trimmed.startsWith('/')) return event({ type: 'text', text });
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
