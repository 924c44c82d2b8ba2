import { describe, expect, it } from 'vitest';
import {
  breakBacktickRuns,
  escapeMentions,
  findCodeBlockEscapes,
  stripBidiControls,
  stripTerminalControls,
  ZERO_WIDTH_SPACE as ZW,
} from '../../src/text/sanitize.js';

const ESC = '\u001B';

describe('stripTerminalControls', () => {
  it.each([
    ['SGR colours', `${ESC}[1;31mred${ESC}[0m plain`, 'red plain'],
    ['cursor moves and erase', `${ESC}[2J${ESC}[H${ESC}[10;20Htop${ESC}[K`, 'top'],
    ['private-mode CSI', `${ESC}[?25lhidden cursor${ESC}[?25h`, 'hidden cursor'],
    ['OSC title ended by BEL', `${ESC}]0;my title\u0007after`, 'after'],
    ['OSC hyperlink ended by ST', `${ESC}]8;;https://example.com${ESC}\\link${ESC}]8;;${ESC}\\`, 'link'],
    ['unterminated OSC stops at the line end', `${ESC}]0;title\nnext line`, '\nnext line'],
    ['DCS string', `${ESC}Pq#0;2;0;0;0${ESC}\\ok`, 'ok'],
    ['charset selection and save/restore', `${ESC}(B${ESC}7abc${ESC}8${ESC}M`, 'abc'],
    ['a lone ESC at the end', `abc${ESC}`, 'abc'],
  ])('removes %s', (_name, input, expected) => {
    expect(stripTerminalControls(input)).toBe(expected);
  });

  it('removes NUL and other C0/C1 controls but keeps newlines and tabs', () => {
    expect(stripTerminalControls('a\u0000b\u0007c\u0008d\u000Be\u000Cf\u007Fg\u009Bh\ti\nj')).toBe('abcdefgh\ti\nj');
  });

  it('normalises \\r\\n to \\n', () => {
    expect(stripTerminalControls('one\r\ntwo\r\n')).toBe('one\ntwo\n');
  });

  it('treats a lone \\r as a carriage return that overwrites the line, like a terminal', () => {
    expect(stripTerminalControls('10%\r50%\r100%\ndone')).toBe('100%\ndone');
    expect(stripTerminalControls('abcdef\rXY')).toBe('XYcdef');
    expect(stripTerminalControls('progress\r')).toBe('progress');
  });

  it('leaves ordinary text, including non-ASCII, as it is', () => {
    const text = 'こんにちは 🐳 naïve\ttab\n';
    expect(stripTerminalControls(text)).toBe(text);
  });
});

describe('escapeMentions', () => {
  it.each([
    ['@everyone', `@${ZW}everyone`],
    ['@here', `@${ZW}here`],
    ['@EVERYONE', `@${ZW}EVERYONE`],
    ['<@123456789012345678>', `<${ZW}@123456789012345678>`],
    ['<@!123456789012345678>', `<${ZW}@!123456789012345678>`],
    ['<@&123456789012345678>', `<${ZW}@&123456789012345678>`],
    ['<#123456789012345678>', `<${ZW}#123456789012345678>`],
    ['</lesson start:123456789012345678>', `<${ZW}/lesson start:123456789012345678>`],
  ])('defuses %s', (input, expected) => {
    expect(escapeMentions(input)).toBe(expected);
  });

  it('leaves look-alikes that are not mention syntax alone', () => {
    const text = '#include <stdio.h>\n<#include>\nuser@host:~$ </div> email@example.com <@user>';
    expect(escapeMentions(text)).toBe(text);
  });

  it('is idempotent', () => {
    const once = escapeMentions('@everyone <@1> <#2> <@&3>');
    expect(escapeMentions(once)).toBe(once);
  });

  it('leaves no mention pattern Discord would parse', () => {
    const escaped = escapeMentions('hi <@1> <@!2> <@&3> <#4> @everyone @here');
    expect(escaped).not.toMatch(/<@!?\d+>|<@&\d+>|<#\d+>|@everyone|@here/);
  });
});

describe('findCodeBlockEscapes', () => {
  it.each([
    ['```', ['backtickRun']],
    ['````', ['backtickRun']],
    ['text ``` more', ['backtickRun']],
    [`\`${ZW}\`${ZW}\``, ['backtickRun']],
    ['\u202E', ['bidiControl']],
    ['\u202A', ['bidiControl']],
    ['\u2066', ['bidiControl']],
    ['\u2069', ['bidiControl']],
    [`${ZW}${ZW}`, ['zeroWidthRun']],
    [`\`\`\`\u202E${ZW}${ZW}`, ['backtickRun', 'bidiControl', 'zeroWidthRun']],
  ])('flags %j', (input, reasons) => {
    expect(findCodeBlockEscapes(input)).toEqual(reasons);
  });

  it.each(['plain', '`one`', '``two``', `a${ZW}b`, '\u200E left-to-right mark', 'é'])('accepts %j', (input) => {
    expect(findCodeBlockEscapes(input)).toEqual([]);
  });
});

describe('stripBidiControls and breakBacktickRuns', () => {
  it('removes every bidi embedding, override and isolate', () => {
    expect(stripBidiControls('a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j')).toBe('abcdefghij');
  });

  it('splits every pair of adjacent backticks', () => {
    expect(breakBacktickRuns('````')).toBe(`\`${ZW}\`${ZW}\`${ZW}\``);
    expect(breakBacktickRuns('`a`')).toBe('`a`');
    expect(breakBacktickRuns('````')).not.toContain('``');
  });
});
