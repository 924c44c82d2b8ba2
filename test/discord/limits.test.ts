import { describe, expect, it } from 'vitest';
import {
  assertWithinDiscordLimits,
  clampToDiscordLimits,
  cutAtCodePoint,
  DISCORD_LIMITS,
  embedTextLength,
  findLimitViolations,
  truncateMarkdown,
  truncateText,
} from '../../src/discord/limits.js';
import {
  actionButton,
  actionRow,
  NO_MENTIONS,
  type DiscordMessagePayload,
  type EmbedPayload,
} from '../../src/discord/payload.js';

function message(parts: Omit<DiscordMessagePayload, 'allowedMentions'>): DiscordMessagePayload {
  return { ...parts, allowedMentions: NO_MENTIONS };
}

function buttons(count: number, labelLength = 3): ReturnType<typeof actionButton>[] {
  return Array.from({ length: count }, (_, i) => actionButton(`cs1:id${i}`, 'L'.repeat(labelLength)));
}

describe('DISCORD_LIMITS', () => {
  it('matches the documented numbers', () => {
    expect(DISCORD_LIMITS).toMatchObject({
      content: 2000,
      embedsPerMessage: 10,
      embedTitle: 256,
      embedDescription: 4096,
      embedFields: 25,
      embedFieldName: 256,
      embedFieldValue: 1024,
      embedFooterText: 2048,
      embedTotal: 6000,
      actionRows: 5,
      buttonsPerRow: 5,
      customId: 100,
      buttonLabel: 80,
    });
  });
});

describe('truncateText, cutAtCodePoint and truncateMarkdown', () => {
  it('leaves short text alone and ends cut text with an ellipsis', () => {
    expect(truncateText('abc', 3)).toBe('abc');
    expect(truncateText('abcd', 3)).toBe('ab…');
    expect(truncateText('abcd', 1)).toBe('…');
    expect(truncateText('abcd', 0)).toBe('');
  });

  it('never splits a surrogate pair', () => {
    expect(cutAtCodePoint('a🐳', 2)).toBe('a');
    expect(truncateText('🐳🐳🐳', 4)).toBe('🐳…');
  });

  it('re-closes a code block that the cut left open', () => {
    const text = 'intro\n```\n' + 'x'.repeat(100) + '\n```\noutro';
    const cut = truncateMarkdown(text, 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut.endsWith('\n```')).toBe(true);
    expect(cut.split('```')).toHaveLength(3);
  });

  it('does not add a fence when the cut falls outside a block', () => {
    const text = '```\nshort\n```\n' + 'y'.repeat(100);
    expect(truncateMarkdown(text, 40)).toBe(truncateText(text, 40));
  });
});

describe('findLimitViolations', () => {
  it('accepts a message at every limit', () => {
    const embed: EmbedPayload = {
      title: 't'.repeat(256),
      description: 'd'.repeat(4096),
      fields: [{ name: 'n'.repeat(256), value: 'v'.repeat(1024) }],
      footer: { text: 'f'.repeat(6000 - 256 - 4096 - 256 - 1024) },
    };
    expect(embedTextLength(embed)).toBe(6000);
    const payload = message({
      content: 'c'.repeat(2000),
      embeds: [embed],
      components: Array.from({ length: 5 }, () => actionRow(buttons(5, 80))),
    });
    expect(findLimitViolations(payload)).toEqual([]);
  });

  it('names each broken limit', () => {
    const payload = message({
      content: 'c'.repeat(2001),
      embeds: [
        {
          title: 't'.repeat(257),
          description: 'd'.repeat(4097),
          author: { name: 'a'.repeat(257) },
          fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })),
          footer: { text: 'f'.repeat(2049) },
        },
      ],
      components: [
        ...Array.from({ length: 5 }, () => actionRow(buttons(1))),
        actionRow([...buttons(6, 81), actionButton('x'.repeat(101), 'ok'), actionButton('', 'empty id')]),
      ],
    });
    const problems = findLimitViolations(payload).join('\n');
    for (const expected of [
      'content length is 2001, limit 2000',
      'embed 0 title is 257, limit 256',
      'embed 0 description is 4097, limit 4096',
      'embed 0 author name is 257, limit 256',
      'embed 0 footer is 2049, limit 2048',
      'embed 0 field count is 26, limit 25',
      'total embed text is',
      'action row count is 6, limit 5',
      'row 5 has 8 buttons, limit 5',
      'row 5 button 0 label is 81, limit 80',
      'row 5 button 6 customId is 101, limit 100',
      'row 5 button 7 customId is 0, limit 100',
    ]) {
      expect(problems).toContain(expected);
    }
  });

  it('flags a field name or value over its limit, too many embeds, files and empty messages', () => {
    const problems = findLimitViolations(
      message({
        embeds: Array.from({ length: 11 }, () => ({ fields: [{ name: 'n'.repeat(257), value: 'v'.repeat(1025) }] })),
        files: Array.from({ length: 11 }, (_, i) => ({ name: `${i}.txt`, attachment: Buffer.alloc(1) })),
      }),
    ).join('\n');
    expect(problems).toContain('embed count is 11, limit 10');
    expect(problems).toContain('embed 0 field 0 name is 257, limit 256');
    expect(problems).toContain('embed 0 field 0 value is 1025, limit 1024');
    expect(problems).toContain('file count is 11, limit 10');
    expect(findLimitViolations(message({}))).toEqual(['message has no content, embed, component or file']);
  });

  it('flags mentions that are not NO_MENTIONS', () => {
    const pinging = { content: 'x', allowedMentions: { parse: ['everyone'] } } as unknown as DiscordMessagePayload;
    expect(findLimitViolations(pinging)).toEqual(['allowedMentions must parse nothing']);
  });

  it('flags a button with neither label nor emoji, and checks no custom id on link buttons', () => {
    const link = { type: 2, style: 5, url: 'https://example.com', label: 'docs' } as const;
    const bare = { type: 2, style: 1, custom_id: 'cs1:x' } as const;
    expect(findLimitViolations(message({ components: [actionRow([link])] }))).toEqual([]);
    expect(findLimitViolations(message({ components: [actionRow([bare])] }))).toEqual([
      'row 0 button 0 has neither label nor emoji',
    ]);
  });
});

describe('clampToDiscordLimits', () => {
  const oversized = message({
    content: 'x'.repeat(5000),
    embeds: Array.from({ length: 12 }, (_, i) => ({
      title: `${i}`.repeat(300),
      description: 'd'.repeat(5000),
      author: { name: 'a'.repeat(300) },
      fields: Array.from({ length: 30 }, () => ({ name: 'n'.repeat(300), value: 'v'.repeat(2000) })),
      footer: { text: 'f'.repeat(3000) },
    })),
    components: Array.from({ length: 7 }, () => actionRow(buttons(7, 100))),
    files: Array.from({ length: 12 }, (_, i) => ({ name: `${i}.txt`, attachment: Buffer.alloc(10) })),
  });

  it('brings every limit into line', () => {
    const clamped = clampToDiscordLimits(oversized);
    expect(findLimitViolations(clamped)).toEqual([]);
    expect(clamped.content).toHaveLength(2000);
    expect(clamped.components).toHaveLength(5);
    expect(clamped.components?.[0]?.components).toHaveLength(5);
    expect(clamped.components?.[0]?.components[0]?.label).toHaveLength(80);
    expect(clamped.files).toHaveLength(10);
    const embedTotal = (clamped.embeds ?? []).reduce((sum, embed) => sum + embedTextLength(embed), 0);
    expect(embedTotal).toBeLessThanOrEqual(6000);
    expect(clamped.embeds?.[0]?.title).toHaveLength(256);
  });

  it('spends the embed total first come, first served, dropping what no longer fits', () => {
    const clamped = clampToDiscordLimits(oversized);
    expect(clamped.embeds).toHaveLength(1);
    expect(clamped.embeds?.[0]?.description).toHaveLength(4096);
    expect(clamped.embeds?.[0]?.footer).toBeUndefined();
  });

  it('leaves a message within limits unchanged, except for forcing NO_MENTIONS', () => {
    const fine = message({ content: 'ok', embeds: [{ title: 'T', fields: [{ name: 'a', value: 'b' }] }], components: [actionRow(buttons(2))] });
    expect(clampToDiscordLimits(fine)).toEqual(fine);
    const pinging = { content: 'x', allowedMentions: { parse: ['users'] } } as unknown as DiscordMessagePayload;
    expect(clampToDiscordLimits(pinging).allowedMentions).toBe(NO_MENTIONS);
  });

  it('cuts files over the size limit', () => {
    const big = message({ files: [{ name: 'big.bin', attachment: Buffer.alloc(DISCORD_LIMITS.attachmentBytes + 5) }] });
    expect(clampToDiscordLimits(big).files?.[0]?.attachment.length).toBe(DISCORD_LIMITS.attachmentBytes);
  });

  it('does not shorten custom ids, which would break them', () => {
    const long = message({ components: [actionRow([actionButton('i'.repeat(150), 'x')])] });
    const clamped = clampToDiscordLimits(long);
    expect(clamped.components?.[0]?.components[0]).toMatchObject({ custom_id: 'i'.repeat(150) });
    expect(() => assertWithinDiscordLimits(clamped)).toThrow(RangeError);
  });
});
