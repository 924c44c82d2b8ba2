// The old way into the lab, a command line with `kind: 'lab'` (or `'lab-clear'`) given to submit, as a thin
// adapter over runLab and clearLab. It parses and words here what the tutor will parse and word itself.
// @deprecated kept until the engine switches to parseLabLine + runLab/clearLab + labNoteText; remove at merge
import { parseLabLine } from '../lab/parse.js';
import type { LabNote } from '../lab/notes.js';
import type { RunResult } from '../sandbox/types.js';
import { labNoteText, labRefusalText } from '../tutor/lab-text.js';
import type { CommandQueue, ProgressOptions } from './producer.js';

/** A note as the engine reads it today: its code and its words in both languages. */
export interface LegacyNote {
  code: string;
  ja: string;
  en: string;
}

export interface LegacySubmitResult {
  result: RunResult;
  newSession?: boolean;
  notes?: LegacyNote[];
}

const worded = (note: LabNote): LegacyNote => ({ code: note.code, ja: labNoteText('ja', note), en: labNoteText('en', note) });

const quiet = (fields: Partial<RunResult>): RunResult => ({
  stdout: '',
  stderr: '',
  exitCode: 0,
  timedOut: false,
  oomKilled: false,
  truncated: false,
  durationMs: 0,
  ...fields,
});

/** @deprecated kept until the engine switches; remove at merge */
export async function submitLabLine(
  queue: Pick<CommandQueue, 'runLab' | 'clearLab'>,
  learnerId: string,
  line: string,
  kind: 'lab' | 'lab-clear',
  opts: ProgressOptions,
): Promise<LegacySubmitResult> {
  if (kind === 'lab-clear') {
    await queue.clearLab(learnerId, opts);
    return { result: quiet({}) };
  }
  const parsed = parseLabLine(line);
  if (!parsed.ok) {
    const { code } = parsed.refusal;
    const ja = labRefusalText('ja', parsed.refusal);
    const en = labRefusalText('en', parsed.refusal);
    return { result: quiet({ stderr: `${en}\n`, exitCode: 125 }), notes: [{ code, ja, en }] };
  }
  const ran = await queue.runLab(learnerId, parsed.command, opts);
  return { result: ran.result, notes: [...parsed.notes, ...ran.notes].map(worded) };
}
