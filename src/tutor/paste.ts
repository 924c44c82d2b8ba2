// A message of several lines (a paste): comments are skipped silently, up to MAX_PASTE_LINES lines are
// answered one by one in order, and a long paste that is mostly not commands (a log, some output) gets one
// reply instead of one per line.
import type { Lang } from '../lessons/index.js';
import type { TutorEvent } from './events.js';
import type { HandleOptions } from './deps.js';
import { heardWords } from './heard.js';
import { classifyLine } from './line-kind.js';
import * as talk from './persona-talk.js';
import type { Reply } from './reply.js';
import { looksLikeComment } from './say-line.js';
import { whereOf } from './place.js';
import type { LearnerStore } from './state.js';

/** A code block's fence line: three backticks or tildes, maybe with the block's language. */
const CODE_FENCE = /^\s*(?:```|~~~)[\w+-]*\s*$/;

/** Lines of one paste run in order; past this many the rest is handed back, not lost silently. */
export const MAX_PASTE_LINES = 10;

/** What a paste needs from the engine: answering one line, and the learner's place and language. */
export interface PasteDeps {
  handle(learnerId: string, event: TutorEvent, opts: HandleOptions): Promise<Reply>;
  store: Pick<LearnerStore, 'get'>;
  defaultLang: Lang;
}

/** Called with each reply, and the typed line it answers (none for a reply about the paste as a whole). */
export type OnReply = (reply: Reply, line?: string) => Promise<void> | void;

/** How a transport hears a message's answers: each reply, and (in a paste) each line just before it is read. */
export type TypeOptions = HandleOptions & { onReply: OnReply; onLine?: (line: string) => void };

/**
 * A typed message, one line or a paste of several. Each line is read on its own (command or chat),
 * commands run in order one at a time, and every reply goes to onReply in order.
 */
export async function typeMessage(d: PasteDeps, learnerId: string, text: string, opts: TypeOptions): Promise<void> {
  const { onReply, onLine, ...rest } = opts;
  // A Markdown code block's fences (```` ```bash ````, ```` ``` ````) are how the block was copied, not lines to run.
  const typedLines = text.split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l.trim() !== '' && !CODE_FENCE.test(l));
  if (typedLines.length <= 1) {
    const line = typedLines[0] ?? text;
    await onReply(await d.handle(learnerId, { type: 'line', text: line }, rest), line);
    return;
  }
  const known = await d.store.get(learnerId);
  const place = known?.context?.kind ?? 'chat';
  const lang = known?.lang ?? d.defaultLang;
  const read = typedLines.map((line) => ({ line, kind: classifyLine(line, { place, lang }).kind }));
  // A shell skips comment lines in a paste, and so does the tutor, silently (one typed alone gets a short word).
  const lines = read.filter((r) => !(looksLikeComment(r.line) && r.kind !== 'command'));
  if (lines.length === 0) {
    await onReply(await d.handle(learnerId, { type: 'line', text: typedLines[0]! }, rest), typedLines[0]);
    return;
  }
  const h = heardWords(lang);
  if (lines.length > MAX_PASTE_LINES) {
    // A long paste of a log or some output is one thing the learner shows, not many things they say.
    const commands = lines.filter((r) => r.kind !== 'chat').length;
    if (commands * 2 < lines.length) {
      await onReply({ lang, blocks: [talk.notice(h.pastedText({ lines: typedLines.length }))], ...(known ? { where: whereOf(known) } : {}) });
      return;
    }
    await onReply({ lang, blocks: [talk.notice(h.pasteLong({ lines: lines.length, max: MAX_PASTE_LINES }))], ...(known ? { where: whereOf(known) } : {}) });
  }
  const taken = lines.slice(0, MAX_PASTE_LINES);
  for (const [i, { line }] of taken.entries()) {
    onLine?.(line);
    await onReply(await d.handle(learnerId, { type: 'line', text: line }, { ...rest, patient: true, ...(i > 0 ? { laterInPaste: true } : {}) }), line);
  }
  if (lines.length > taken.length) {
    const after = await d.store.get(learnerId);
    const afterLang = after?.lang ?? lang;
    await onReply({ lang: afterLang, blocks: [talk.notice(talk.talkWords(afterLang).pasteRest({ ran: taken.length, left: lines.length - taken.length }))] });
  }
}

