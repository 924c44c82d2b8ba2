// Turns a sandbox run's output into Discord message parts that are safe to send: no pings, no terminal
// control sequences, no way out of a code block, and every Discord limit kept.

import { assertWithinDiscordLimits, clampToDiscordLimits, cutAtCodePoint, DISCORD_LIMITS } from './limits.js';
import { NOTE_TEXT, noOutputText, signalFromExitCode, statusLine, type Lang } from '../text/output-text.js';
import { withNoMentions, type DiscordMessagePayload, type FilePayload, type MessageParts } from './payload.js';
import {
  breakBacktickRuns,
  escapeMentions,
  findCodeBlockEscapes,
  stripBidiControls,
  stripTerminalControls,
  ZERO_WIDTH_SPACE,
  type CodeBlockEscapeReason,
} from '../text/sanitize.js';
import type { RunResult } from '../sandbox/types.js';

export type { Lang } from '../text/output-text.js';

/** What the renderer needs from a sandbox run. */
export type RunOutput = Pick<RunResult, 'stdout' | 'stderr' | 'exitCode' | 'timedOut' | 'oomKilled' | 'truncated'>;

export type OutputNoteCode =
  | 'codeBlockEscape'
  | 'cut'
  | 'timedOut'
  | 'oomKilled'
  | 'killedBySignal'
  | 'outputCapped'
  | 'attachmentCapped';

export interface OutputNote {
  code: OutputNoteCode;
  text: string;
}

export interface RenderedOutput {
  /** Ready to send: status line, code blocks, then the notes as small text. At most 2000 characters. */
  content: string;
  files: FilePayload[];
  /** The notes that are in `content`, for callers that want them apart (logs, console, tests). */
  notes: OutputNote[];
  /** Which escape tricks kept the output out of the message; empty when none did (backtick runs never do: they are broken up). */
  escapeReasons: CodeBlockEscapeReason[];
}

/** How much output is shown in the message itself; python-discord's eval uses the same numbers. */
export const INLINE_OUTPUT_LIMITS = Object.freeze({ lines: 10, chars: 1000 });

const FENCE = '```';
const CODE_LANGUAGE = /^[a-z0-9+#-]{1,20}$/i;

/**
 * A code block nothing can break out of: backtick runs are split with zero-width spaces, bidi controls and
 * terminal controls removed, and a language tag used only if it is a plain word.
 */
export function codeBlock(text: string, language?: string): string {
  const safeLanguage = language !== undefined && CODE_LANGUAGE.test(language) ? language : '';
  const body = breakBacktickRuns(stripBidiControls(stripTerminalControls(text))).replace(/\n+$/, '');
  // An empty block would render as literal backticks; a zero-width space keeps it a block.
  return `${FENCE}${safeLanguage}\n${body === '' ? ZERO_WIDTH_SPACE : body}\n${FENCE}`;
}

interface StreamText {
  label: 'stdout' | 'stderr';
  /** Control-free text, as it goes into the attachment. */
  full: string;
  /** Mentions defused and backtick runs broken, trailing newlines dropped: what a code block would show. */
  display: string;
}

function toStreamText(label: StreamText['label'], raw: string): StreamText {
  const full = stripTerminalControls(raw);
  return { label, full, display: breakBacktickRuns(escapeMentions(full)).replace(/\n+$/, '') };
}

export function renderOutputForDiscord(run: RunOutput, options: { lang: Lang }): RenderedOutput {
  const { lang } = options;
  const streams = [toStreamText('stdout', run.stdout), toStreamText('stderr', run.stderr)].filter(
    (stream) => stream.display.trim() !== '',
  );
  // A backtick run is shown, split by zero-width spaces (display), so it cannot close the block; `echo '```'`
  // stays readable in the message. Bidi controls and zero-width runs still go to an attachment only.
  const escapeReasons = uniqueReasons(streams.flatMap((stream) => findCodeBlockEscapes(stream.full))).filter((reason) => reason !== 'backtickRun');
  const files = streams.map((stream) => toAttachment(stream));
  const notes = runNotes(run, lang);
  if (files.some((file) => file.capped)) notes.push(note('attachmentCapped', NOTE_TEXT.attachmentCapped(lang, mebibytes())));
  const fileNames = files.map((file) => file.payload.name);
  const status = statusLine(run, lang);

  if (escapeReasons.length > 0) {
    notes.unshift(note('codeBlockEscape', NOTE_TEXT.codeBlockEscape(lang, escapeReasons, fileNames)));
    return finish([status], notes, files, escapeReasons);
  }
  if (streams.length === 0) return finish([status, noOutputText(lang)], notes, [], []);

  const cutNote = note('cut', NOTE_TEXT.cut(lang, INLINE_OUTPUT_LIMITS.lines, INLINE_OUTPUT_LIMITS.chars, fileNames));
  const labelled = streams.some((stream) => stream.label === 'stderr');
  const overhead = [status, ...notes.map(noteLine), noteLine(cutNote)].join('\n').length + streams.length * 40;
  const charBudget = Math.min(INLINE_OUTPUT_LIMITS.chars, DISCORD_LIMITS.content - overhead);
  const excerpts = shareInlineBudget(streams.map((stream) => stream.display), INLINE_OUTPUT_LIMITS.lines, charBudget);
  const blocks = streams.flatMap((stream, i) => {
    const block = codeBlock(excerpts[i] ?? '');
    return labelled ? [`-# ${stream.label}`, block] : [block];
  });
  const wasCut = excerpts.some((excerpt, i) => excerpt !== streams[i]?.display);
  if (!wasCut) return finish([status, ...blocks], notes, [], []);
  return finish([status, ...blocks], [cutNote, ...notes], files, []);
}

function runNotes(run: RunOutput, lang: Lang): OutputNote[] {
  const notes: OutputNote[] = [];
  if (run.timedOut) notes.push(note('timedOut', NOTE_TEXT.timedOut(lang)));
  if (run.oomKilled) notes.push(note('oomKilled', NOTE_TEXT.oomKilled(lang)));
  const signal = signalFromExitCode(run.exitCode);
  if (signal !== undefined && run.exitCode !== null && !run.timedOut && !run.oomKilled) {
    notes.push(note('killedBySignal', NOTE_TEXT.killedBySignal(lang, run.exitCode, signal)));
  }
  if (run.truncated) notes.push(note('outputCapped', NOTE_TEXT.outputCapped(lang)));
  return notes;
}

function note(code: OutputNoteCode, text: string): OutputNote {
  return { code, text };
}

/** Notes render as Discord's small "subtext" lines. */
function noteLine(outputNote: OutputNote): string {
  return `-# ${escapeMentions(outputNote.text)}`;
}

function finish(
  lines: string[],
  notes: OutputNote[],
  files: { payload: FilePayload }[],
  escapeReasons: CodeBlockEscapeReason[],
): RenderedOutput {
  const content = [...lines, ...notes.map(noteLine)].join('\n');
  return { content, files: files.map((file) => file.payload), notes, escapeReasons };
}

function uniqueReasons(reasons: CodeBlockEscapeReason[]): CodeBlockEscapeReason[] {
  return [...new Set(reasons)];
}

function mebibytes(): number {
  return DISCORD_LIMITS.attachmentBytes / (1024 * 1024);
}

function toAttachment(stream: StreamText): { payload: FilePayload; capped: boolean } {
  const bytes = Buffer.from(stream.full, 'utf8');
  const capped = bytes.length > DISCORD_LIMITS.attachmentBytes;
  const attachment = capped ? cutUtf8(bytes, DISCORD_LIMITS.attachmentBytes) : bytes;
  return { payload: { name: `${stream.label}.txt`, attachment }, capped };
}

/** At most `maxBytes` bytes, ending on a character boundary. */
function cutUtf8(bytes: Buffer, maxBytes: number): Buffer {
  let end = maxBytes;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end);
}

/** The first `lines` lines and `chars` characters of `text`. */
export function headOf(text: string, lines: number, chars: number): string {
  return cutAtCodePoint(text.split('\n').slice(0, lines).join('\n'), chars);
}

/**
 * Splits one inline budget between several texts: each is first granted an equal share (or less, if it needs
 * less), then what is left goes to them in order. Lines are shared first, then characters of what remains.
 */
export function shareInlineBudget(texts: readonly string[], lines: number, chars: number): string[] {
  const lineNeeds = texts.map((text) => text.split('\n').length);
  const lineGrants = shareCounts(lineNeeds, lines);
  const byLines = texts.map((text, i) => headOf(text, lineGrants[i] ?? 0, Number.POSITIVE_INFINITY));
  const charGrants = shareCounts(byLines.map((text) => text.length), chars);
  return byLines.map((text, i) => cutAtLineEnd(text, charGrants[i] ?? 0));
}

/**
 * At most `chars` characters, ending with a whole line when that keeps at least half of them: a line cut in
 * the middle (`… # hos`) reads as a broken result, and on a phone it wraps into a third line.
 */
export function cutAtLineEnd(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const lastBreak = text.lastIndexOf('\n', chars);
  return lastBreak >= chars / 2 ? text.slice(0, lastBreak) : cutAtCodePoint(text, chars);
}

function shareCounts(needs: readonly number[], total: number): number[] {
  const fairShare = needs.length === 0 ? 0 : Math.floor(Math.max(0, total) / needs.length);
  const grants = needs.map((need) => Math.min(need, fairShare));
  let left = Math.max(0, total) - grants.reduce((sum, grant) => sum + grant, 0);
  return grants.map((grant, i) => {
    const extra = Math.min((needs[i] ?? 0) - grant, left);
    left -= extra;
    return grant + extra;
  });
}

/**
 * The one way to build a message: NO_MENTIONS added, everything clamped to Discord's limits, and a throw for
 * what clamping cannot fix (an over-long custom id, an empty message), which would be a bug in the caller.
 */
export function buildMessage(parts: MessageParts): DiscordMessagePayload {
  return assertWithinDiscordLimits(clampToDiscordLimits(withNoMentions(parts)));
}

/** A message with a run's rendered output, optionally followed by more content (an explanation, say). */
export function buildOutputMessage(rendered: RenderedOutput, extra: Omit<MessageParts, 'files'> = {}): DiscordMessagePayload {
  const content = [rendered.content, extra.content].filter((part) => part !== undefined && part !== '').join('\n');
  return buildMessage({ ...extra, content, files: rendered.files });
}
