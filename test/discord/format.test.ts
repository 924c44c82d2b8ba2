import { describe, expect, it } from 'vitest';
import {
  buildMessage,
  buildOutputMessage,
  codeBlock,
  cutAtLineEnd,
  headOf,
  INLINE_OUTPUT_LIMITS,
  renderOutputForDiscord,
  shareInlineBudget,
  type RenderedOutput,
  type RunOutput,
} from '../../src/discord/format.js';
import { findLimitViolations } from '../../src/discord/limits.js';
import { actionButton, actionRow, NO_MENTIONS } from '../../src/discord/payload.js';
import { ZERO_WIDTH_SPACE as ZW } from '../../src/text/sanitize.js';

const FENCE = '```';

function run(overrides: Partial<RunOutput> = {}): RunOutput {
  return { stdout: '', stderr: '', exitCode: 0, timedOut: false, oomKilled: false, truncated: false, ...overrides };
}

/** The text inside each code block of `content`, in order. */
function codeBlockBodies(content: string): string[] {
  return [...content.matchAll(/^```\n([^]*?)\n```$/gm)].map((match) => match[1] ?? '');
}

function noteCodes(rendered: RenderedOutput): string[] {
  return rendered.notes.map((note) => note.code);
}

function fileText(rendered: RenderedOutput, name: string): string | undefined {
  return rendered.files.find((file) => file.name === name)?.attachment.toString('utf8');
}

describe('codeBlock', () => {
  it('wraps text in a fenced block, dropping trailing newlines', () => {
    expect(codeBlock('hello\n')).toBe('```\nhello\n```');
  });

  it('keeps a plain language tag and drops anything else', () => {
    expect(codeBlock('x', 'sh')).toBe('```sh\nx\n```');
    expect(codeBlock('x', 'sh\n```')).toBe('```\nx\n```');
    expect(codeBlock('x', 'a b')).toBe('```\nx\n```');
  });

  it('cannot be broken out of by backticks', () => {
    const block = codeBlock('before\n```\n@everyone outside?\n```js\nafter ````` end`');
    expect(block.split(FENCE)).toHaveLength(3);
    expect(block.startsWith(`${FENCE}\n`)).toBe(true);
    expect(block.endsWith(`\n${FENCE}`)).toBe(true);
  });

  it('removes bidi overrides and terminal controls', () => {
    expect(codeBlock('a\u202Eb\u001B[31mc\u0000')).toBe('```\nabc\n```');
  });

  it('still renders as a block when empty', () => {
    expect(codeBlock('')).toBe(`${FENCE}\n${ZW}\n${FENCE}`);
  });
});

describe('renderOutputForDiscord: short output', () => {
  it('shows stdout inline, with the exit status, and no files', () => {
    const rendered = renderOutputForDiscord(run({ stdout: 'hello\n' }), { lang: 'en' });
    expect(rendered.content).toBe('✅ exit code 0\n```\nhello\n```');
    expect(rendered.files).toEqual([]);
    expect(rendered.notes).toEqual([]);
  });

  it('labels streams when stderr is present', () => {
    const rendered = renderOutputForDiscord(run({ stdout: 'out', stderr: 'err', exitCode: 1 }), { lang: 'en' });
    expect(rendered.content).toBe('❌ exit code 1\n-# stdout\n```\nout\n```\n-# stderr\n```\nerr\n```');
  });

  it('says so when there is no output, in either language', () => {
    expect(renderOutputForDiscord(run(), { lang: 'en' }).content).toBe('✅ exit code 0\n*(no output)*');
    expect(renderOutputForDiscord(run(), { lang: 'ja' }).content).toBe('✅ 終了コード 0\n*（出力なし）*');
  });

  it('escapes mentions and strips ANSI, NUL and control characters', () => {
    const stdout = '\u001B[32mok\u001B[0m <@123456789012345678> @everyone @here <@&42> <#7>\u0000\r\n';
    const rendered = renderOutputForDiscord(run({ stdout }), { lang: 'en' });
    expect(codeBlockBodies(rendered.content)).toEqual([`ok <${ZW}@123456789012345678> @${ZW}everyone @${ZW}here <${ZW}@&42> <${ZW}#7>`]);
    expect(rendered.content).not.toMatch(/[\u0000-\u0009\u000B-\u001F]/);
  });

  it('shows double backticks broken, since they are not an escape attempt', () => {
    const rendered = renderOutputForDiscord(run({ stdout: 'a``b' }), { lang: 'en' });
    expect(codeBlockBodies(rendered.content)).toEqual([`a\`${ZW}\`b`]);
    expect(rendered.files).toEqual([]);
  });
});

describe('renderOutputForDiscord: exit status', () => {
  it('reports a timeout with a note', () => {
    const rendered = renderOutputForDiscord(run({ exitCode: 137, timedOut: true }), { lang: 'en' });
    expect(rendered.content.split('\n')[0]).toBe('⏱️ **Timed out** (exit code 137)');
    expect(noteCodes(rendered)).toEqual(['timedOut']);
  });

  it('reports out of memory in Japanese', () => {
    const rendered = renderOutputForDiscord(run({ exitCode: 137, oomKilled: true }), { lang: 'ja' });
    expect(rendered.content.split('\n')[0]).toBe('💥 **メモリ不足** (終了コード 137)');
    expect(rendered.notes[0]?.text).toContain('メモリ上限');
  });

  it('explains exit 137 without flags as SIGKILL, often a timeout or out of memory', () => {
    const rendered = renderOutputForDiscord(run({ exitCode: 137 }), { lang: 'en' });
    expect(noteCodes(rendered)).toEqual(['killedBySignal']);
    expect(rendered.notes[0]?.text).toMatch(/signal 9 \(SIGKILL\).*timeout or running out of memory/);
  });

  it('names other signals and leaves ordinary failures unexplained', () => {
    expect(renderOutputForDiscord(run({ exitCode: 139 }), { lang: 'en' }).notes[0]?.text).toContain('SIGSEGV');
    expect(renderOutputForDiscord(run({ exitCode: 1 }), { lang: 'en' }).notes).toEqual([]);
  });

  it('shows a missing exit code', () => {
    expect(renderOutputForDiscord(run({ exitCode: null }), { lang: 'en' }).content).toMatch(/^❔ no exit code/);
  });

  it('notes output the sandbox capped', () => {
    const rendered = renderOutputForDiscord(run({ stdout: 'x', truncated: true }), { lang: 'ja' });
    expect(noteCodes(rendered)).toEqual(['outputCapped']);
    expect(rendered.content).toContain('-# 出力がサンドボックスのサイズ上限');
  });
});

describe('renderOutputForDiscord: long output', () => {
  const thirtyLines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');

  it('shows the first 10 lines inline, marks the cut, and attaches everything', () => {
    const rendered = renderOutputForDiscord(run({ stdout: thirtyLines }), { lang: 'en' });
    const [body] = codeBlockBodies(rendered.content);
    expect(body?.split('\n')).toHaveLength(INLINE_OUTPUT_LIMITS.lines);
    expect(body?.endsWith('line 10')).toBe(true);
    expect(noteCodes(rendered)).toEqual(['cut']);
    expect(rendered.content).toContain('-# The output is longer than 10 lines / 1000 characters');
    expect(fileText(rendered, 'stdout.txt')).toBe(thirtyLines);
  });

  it('cuts a long single line at 1000 characters', () => {
    const rendered = renderOutputForDiscord(run({ stdout: 'y'.repeat(5000) }), { lang: 'ja' });
    expect(codeBlockBodies(rendered.content)[0]).toBe('y'.repeat(INLINE_OUTPUT_LIMITS.chars));
    expect(rendered.content).toContain('先頭だけを表示');
    expect(rendered.files.map((file) => file.name)).toEqual(['stdout.txt']);
  });

  it('keeps room for stderr when stdout is long', () => {
    const rendered = renderOutputForDiscord(run({ stdout: thirtyLines, stderr: 'fatal: boom', exitCode: 2 }), { lang: 'en' });
    const [stdoutBody, stderrBody] = codeBlockBodies(rendered.content);
    expect(stderrBody).toBe('fatal: boom');
    expect(stdoutBody?.split('\n')).toHaveLength(9);
    expect(rendered.files.map((file) => file.name)).toEqual(['stdout.txt', 'stderr.txt']);
  });

  it('exactly 10 lines of 100 characters is not cut', () => {
    const stdout = Array.from({ length: 10 }, () => 'z'.repeat(99)).join('\n');
    const rendered = renderOutputForDiscord(run({ stdout }), { lang: 'en' });
    expect(codeBlockBodies(rendered.content)).toEqual([stdout]);
    expect(rendered.files).toEqual([]);
  });

  it('never splits a surrogate pair when cutting', () => {
    const rendered = renderOutputForDiscord(run({ stdout: 'a' + '🐳'.repeat(1000) }), { lang: 'en' });
    const body = codeBlockBodies(rendered.content)[0] ?? '';
    expect(body.length).toBeLessThanOrEqual(INLINE_OUTPUT_LIMITS.chars);
    expect(Buffer.from(body, 'utf8').toString('utf8')).toBe(body);
    expect(body.endsWith('🐳')).toBe(true);
  });
});

describe('renderOutputForDiscord: escape attempts', () => {
  it.each([
    ['a right-to-left override', 'file\u202Etxt.exe', 'bidiControl'],
    ['an isolate', 'x\u2067y', 'bidiControl'],
    ['a zero-width-space run', `a${ZW}${ZW}${ZW}b`, 'zeroWidthRun'],
  ])('attaches output with %s instead of showing it', (_name, stdout, reason) => {
    const rendered = renderOutputForDiscord(run({ stdout }), { lang: 'en' });
    expect(rendered.content).not.toContain(FENCE);
    expect(rendered.escapeReasons).toEqual([reason]);
    expect(noteCodes(rendered)).toEqual(['codeBlockEscape']);
    expect(fileText(rendered, 'stdout.txt')).toBe(stdout);
  });

  it('shows a short output with a code fence inline, its backticks kept apart so the block cannot end early', () => {
    const stdout = 'innocent\n```\n@everyone\n```bash\n';
    const rendered = renderOutputForDiscord(run({ stdout }), { lang: 'en' });
    expect(rendered.files).toEqual([]);
    expect(rendered.escapeReasons).toEqual([]);
    expect(noteCodes(rendered)).toEqual([]);
    const fenceLines = rendered.content.split('\n').filter((line) => line.includes(FENCE));
    expect(fenceLines).toEqual([FENCE, FENCE]);
    expect(codeBlockBodies(rendered.content)).toEqual([`innocent\n\`${ZW}\`${ZW}\`\n@${ZW}everyone\n\`${ZW}\`${ZW}\`bash`]);
  });

  it('explains why in Japanese and English', () => {
    const stdout = `\u202E${ZW}${ZW}`;
    const ja = renderOutputForDiscord(run({ stdout }), { lang: 'ja' });
    const en = renderOutputForDiscord(run({ stdout }), { lang: 'en' });
    expect(ja.content).toContain('双方向テキストの制御文字');
    expect(ja.content).toContain('stdout.txt として添付しました');
    expect(en.content).toContain('bidirectional text controls (such as U+202E) and a run of zero-width spaces');
    expect(en.content).toContain('attached as stdout.txt instead of shown here');
  });

  it('withholds both streams when only stderr tries to escape', () => {
    const rendered = renderOutputForDiscord(run({ stdout: 'fine', stderr: 'x\u202Ey' }), { lang: 'en' });
    expect(codeBlockBodies(rendered.content)).toEqual([]);
    expect(rendered.files.map((file) => file.name)).toEqual(['stdout.txt', 'stderr.txt']);
  });

  it('attaches the control-free text, not the raw bytes', () => {
    const rendered = renderOutputForDiscord(run({ stdout: '\u001B[1m```\u202E\u001B[0m\u0000' }), { lang: 'en' });
    expect(fileText(rendered, 'stdout.txt')).toBe('```\u202E');
  });
});

describe('renderOutputForDiscord: invariants on hostile input', () => {
  const fragments = [
    'a', 'Z', ' ', '\n', '\n', '\t', '`', '``', '```', '\u202E', '\u2066', ZW, '<@123456789012345678>', '<@!1>',
    '<@&2>', '<#3>', '@everyone', '@here', '</x:1>', '<', '@', '#', '&', '!', '1', '\u001B[31m', '\u001B]0;t\u0007',
    '\u001B', '\r', '\r\n', '\u0000', '\u0007', 'あ', '🐳', '\uD83D', '\\',
  ];

  /** Deterministic PRNG (mulberry32) so a failure can be replayed. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function hostileText(next: () => number): string {
    const count = Math.floor(next() ** 3 * 4000);
    return Array.from({ length: count }, () => fragments[Math.floor(next() * fragments.length)] ?? '').join('');
  }

  it('always yields a valid, unbreakable, ping-free message', () => {
    const next = random(20240611);
    for (let i = 0; i < 400; i += 1) {
      const output = run({
        stdout: hostileText(next),
        stderr: next() < 0.5 ? '' : hostileText(next),
        exitCode: next() < 0.2 ? null : Math.floor(next() * 256),
        timedOut: next() < 0.2,
        oomKilled: next() < 0.2,
        truncated: next() < 0.2,
      });
      const lang = next() < 0.5 ? 'ja' : 'en';
      const rendered = renderOutputForDiscord(output, { lang });
      const context = JSON.stringify({ i, output, lang });

      expect(findLimitViolations(buildOutputMessage(rendered)), context).toEqual([]);
      const fenceLines = rendered.content.split('\n').filter((line) => line.includes(FENCE));
      expect(fenceLines.every((line) => line === FENCE), context).toBe(true);
      expect(fenceLines.length % 2, context).toBe(0);
      expect(rendered.content, context).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
      expect(rendered.content, context).not.toMatch(/<@!?\d|<@&\d|<#\d|@everyone|@here|<\/x:1>/i);
      const bodies = codeBlockBodies(rendered.content).join('\n');
      expect(bodies.split('\n').length, context).toBeLessThanOrEqual(INLINE_OUTPUT_LIMITS.lines + 1);
      expect(bodies.length, context).toBeLessThanOrEqual(INLINE_OUTPUT_LIMITS.chars + 1);
      const withheld = noteCodes(rendered).some((code) => code === 'cut' || code === 'codeBlockEscape');
      expect(rendered.files.length > 0, context).toBe(withheld);
    }
  });
});

describe('shareInlineBudget and headOf', () => {
  it('gives each text a fair share, then the rest in order', () => {
    const long = Array.from({ length: 20 }, (_, i) => `${i}`).join('\n');
    expect(shareInlineBudget([long, 'a\nb'], 10, 1000).map((text) => text.split('\n').length)).toEqual([8, 2]);
    expect(shareInlineBudget([long, long], 10, 1000).map((text) => text.split('\n').length)).toEqual([5, 5]);
    expect(shareInlineBudget(['x'.repeat(900), 'y'.repeat(900)], 10, 1000).map((text) => text.length)).toEqual([500, 500]);
    expect(shareInlineBudget(['x'.repeat(900), 'y'.repeat(10)], 10, 1000).map((text) => text.length)).toEqual([900, 10]);
  });

  it('cuts at the end of a line when that keeps at least half the characters', () => {
    const listing = Array.from({ length: 10 }, (_, i) => `lrwxrwxrwx ${i} ${'x'.repeat(90)} # host: pid:[4026531836] (differs)`).join('\n');
    const [shown = ''] = shareInlineBudget([listing], 10, 1000);
    expect(listing.startsWith(`${shown}\n`)).toBe(true);
    expect(shown.split('\n').every((line) => line.endsWith('(differs)'))).toBe(true);
    expect(cutAtLineEnd('short\n' + 'y'.repeat(100), 50)).toBe(`short\n${'y'.repeat(44)}`);
    expect(cutAtLineEnd('abc', 10)).toBe('abc');
  });

  it('headOf takes lines, then characters', () => {
    expect(headOf('a\nb\nc', 2, 100)).toBe('a\nb');
    expect(headOf('abcdef', 10, 3)).toBe('abc');
  });
});

describe('buildMessage and buildOutputMessage', () => {
  it('always carries NO_MENTIONS', () => {
    expect(buildMessage({ content: 'hi' })).toEqual({ content: 'hi', allowedMentions: { parse: [] } });
    expect(NO_MENTIONS).toEqual({ parse: [] });
  });

  it('overrides allowedMentions smuggled in at run time', () => {
    const smuggled = { content: 'hi', allowedMentions: { parse: ['everyone'] } } as unknown as Parameters<typeof buildMessage>[0];
    expect(buildMessage(smuggled).allowedMentions).toBe(NO_MENTIONS);
  });

  it('clamps over-long content and throws for an over-long custom id', () => {
    expect(buildMessage({ content: 'x'.repeat(3000) }).content).toHaveLength(2000);
    const badRow = actionRow([actionButton('x'.repeat(101), 'Run')]);
    expect(() => buildMessage({ content: 'x', components: [badRow] })).toThrow(/customId is 101/);
  });

  it('refuses an empty message', () => {
    expect(() => buildMessage({ content: '' })).toThrow(/no content/);
  });

  it('appends an explanation after the output and keeps the files', () => {
    const rendered = renderOutputForDiscord(run({ stdout: 'x'.repeat(2000) }), { lang: 'en' });
    const message = buildOutputMessage(rendered, { content: 'That was `yes`.' });
    expect(message.content?.endsWith('\nThat was `yes`.')).toBe(true);
    expect(message.files?.map((file) => file.name)).toEqual(['stdout.txt']);
    expect(message.allowedMentions).toEqual({ parse: [] });
  });
});
