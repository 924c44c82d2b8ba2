import { describe, expect, it } from 'vitest';
import { parseConsoleLine } from '../../src/console/input.js';
import type { Choice } from '../../src/tutor/reply.js';

const offered: Choice[] = [
  { label: 'Run this', action: { type: 'run-step' } },
  { label: 'Start', action: { type: 'start', lessonId: 'overlayfs' } },
];

describe('console input', () => {
  it('reads $ commands, /commands, choice numbers and free text', () => {
    expect(parseConsoleLine('$ ps aux', [])).toEqual({ kind: 'event', event: { type: 'command', command: 'ps aux' } });
    expect(parseConsoleLine('$', [])).toEqual({ kind: 'event', event: { type: 'command', command: '' } });
    expect(parseConsoleLine('/start overlayfs 2', [])).toEqual({ kind: 'event', event: { type: 'start', lessonId: 'overlayfs', step: 2 } });
    expect(parseConsoleLine('/lang en', [])).toEqual({ kind: 'event', event: { type: 'language', lang: 'en' } });
    expect(parseConsoleLine('/platform Mac', [])).toEqual({ kind: 'event', event: { type: 'platform', platform: 'mac' } });
    expect(parseConsoleLine('2', offered)).toEqual({ kind: 'event', event: { type: 'start', lessonId: 'overlayfs' } });
    expect(parseConsoleLine('3', offered)).toEqual({ kind: 'event', event: { type: 'text', text: '3' } });
    expect(parseConsoleLine('hello', [])).toEqual({ kind: 'event', event: { type: 'text', text: 'hello' } });
    expect(parseConsoleLine('   ', [])).toEqual({ kind: 'nothing' });
    expect(parseConsoleLine('/quit', [])).toEqual({ kind: 'quit' });
  });

  it('answers unknown or malformed /commands with the list of known ones', () => {
    for (const line of ['/dance', '/lang klingon', '/platform bsd', '/start overlayfs two']) {
      const parsed = parseConsoleLine(line, []);
      expect(parsed.kind === 'event' && parsed.event.type).toBe('unknown-command');
    }
  });
});
