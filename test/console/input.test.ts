import { describe, expect, it } from 'vitest';
import { parseConsoleLine } from '../../src/console/input.js';

describe('console input', () => {
  it('reads $ commands and /commands, and hands every other line to the tutor as typed', () => {
    expect(parseConsoleLine('$ ps aux')).toEqual({ kind: 'event', event: { type: 'command', command: 'ps aux' } });
    expect(parseConsoleLine('$')).toEqual({ kind: 'event', event: { type: 'command', command: '' } });
    expect(parseConsoleLine('/start overlayfs 2')).toEqual({ kind: 'event', event: { type: 'start', lessonId: 'overlayfs', step: 2 } });
    expect(parseConsoleLine('/lang en')).toEqual({ kind: 'event', event: { type: 'language', lang: 'en' } });
    expect(parseConsoleLine('/platform Mac')).toEqual({ kind: 'event', event: { type: 'platform', platform: 'mac' } });
    expect(parseConsoleLine('/style detailed')).toEqual({ kind: 'event', event: { type: 'style', style: 'detailed' } });
    expect(parseConsoleLine('/forget')).toEqual({ kind: 'event', event: { type: 'forget' } });
    expect(parseConsoleLine('2')).toEqual({ kind: 'event', event: { type: 'line', text: '2' } });
    expect(parseConsoleLine('ps aux')).toEqual({ kind: 'event', event: { type: 'line', text: 'ps aux' } });
    expect(parseConsoleLine('hello')).toEqual({ kind: 'event', event: { type: 'line', text: 'hello' } });
    expect(parseConsoleLine('   ')).toEqual({ kind: 'nothing' });
    expect(parseConsoleLine('/quit')).toEqual({ kind: 'quit' });
  });

  it('takes absolute paths as commands, not as /commands', () => {
    for (const line of ['/bin/ls -l', '/proc/1/status', '/usr/bin/id']) {
      expect(parseConsoleLine(line)).toEqual({ kind: 'event', event: { type: 'line', text: line } });
    }
  });

  it('answers unknown or malformed /commands with the list of known ones', () => {
    for (const line of ['/dance', '/lang klingon', '/platform bsd', '/start overlayfs two', '/style loud']) {
      const parsed = parseConsoleLine(line);
      expect(parsed.kind === 'event' && parsed.event.type).toBe('unknown-command');
    }
  });
});
