// Pure text cleaning for program output shown in Discord: terminal controls out, mentions defused,
// code-block escape attempts detected.

export const ZERO_WIDTH_SPACE = '\u200B';

const ESC = '\u001B';
const BEL = '\u0007';

/**
 * ESC-introduced sequences, as a terminal parses them:
 *   CSI  ESC [ params intermediates final   (colours, cursor moves, erase)
 *   OSC/DCS/SOS/PM/APC  ESC ] P X ^ _ ... up to BEL or ST (ESC \); an unterminated one ends at the line's end
 *   other escapes  ESC intermediates final  (ESC ( B, ESC 7, ESC M, ...)
 * 8-bit C1 forms are not interpreted (UTF-8 terminals ignore them); they are removed as single controls.
 */
const TERMINAL_SEQUENCE = new RegExp(
  [
    `${ESC}\\[[\\x30-\\x3F]*[\\x20-\\x2F]*[\\x40-\\x7E]`,
    `${ESC}[\\]PX^_][^\\n]*?(?:${BEL}|${ESC}\\\\|(?=\\n)|$)`,
    `${ESC}[\\x20-\\x2F]*[\\x30-\\x7E]`,
  ].join('|'),
  'g',
);

/** C0 controls except \t and \n, DEL, and C1 controls. \r is handled before this runs. */
const OTHER_CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * What a learner's terminal would have shown, as plain text: escape sequences removed, \r\n made \n, a lone \r
 * treated as a carriage return (later text overwrites the line from its start, as progress bars do), and every
 * other control character (NUL included) removed; \n and \t stay.
 */
export function stripTerminalControls(text: string): string {
  const withoutSequences = text.replace(TERMINAL_SEQUENCE, '');
  return withoutSequences
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map(applyCarriageReturns)
    .join('\n')
    .replace(OTHER_CONTROLS, '');
}

function applyCarriageReturns(line: string): string {
  if (!line.includes('\r')) return line;
  return line.split('\r').reduce((shown, overwrite) => overwrite + shown.slice(overwrite.length));
}

/**
 * Defuses every mention form with a zero-width space so it renders as plain text and can never ping, even in a
 * message sent without allowedMentions: @everyone, @here, <@id>, <@!id>, <@&id>, <#id> and </command:id>.
 * Only real mention syntax is touched (`<#include>` stays as it is). Idempotent.
 */
export function escapeMentions(text: string): string {
  return text
    .replace(/@(everyone|here)/gi, `@${ZERO_WIDTH_SPACE}$1`)
    .replace(/<(?=@[!&]?\d|#\d|\/[^\s<>:]+(?: [^\s<>:]+){0,2}:\d+>)/g, `<${ZERO_WIDTH_SPACE}`);
}

export type CodeBlockEscapeReason = 'backtickRun' | 'bidiControl' | 'zeroWidthRun';

const ESCAPE_PATTERNS: ReadonlyArray<readonly [CodeBlockEscapeReason, RegExp]> = [
  // Three backticks end a code block; snekbox also counts mixes with zero-width spaces.
  ['backtickRun', /`{3,}|(?=[`\u200B]*`[`\u200B]*`)[`\u200B]{3,}/],
  // Bidi embeddings, overrides and isolates reorder what a reader sees (U+202E "RLO" most of all).
  ['bidiControl', /[\u202A-\u202E\u2066-\u2069]/],
  ['zeroWidthRun', /\u200B{2,}/],
];

/** Why `text` must not be shown inside a code block, or an empty list when it is safe to show. */
export function findCodeBlockEscapes(text: string): CodeBlockEscapeReason[] {
  return ESCAPE_PATTERNS.filter(([, pattern]) => pattern.test(text)).map(([reason]) => reason);
}

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Removes bidi embeddings, overrides and isolates. */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** Puts a zero-width space between adjacent backticks, so no run of them can open or close a code block. */
export function breakBacktickRuns(text: string): string {
  return text.replace(/`(?=`)/g, `\`${ZERO_WIDTH_SPACE}`);
}
