// The shape of everything the tutor says about the lab, once per language: one function per note code and
// per refusal code, taking that code's parameters. The lab and its parser return only codes and
// parameters; a sentence added in Japanese cannot be forgotten in English (the compiler says so).

import type { LabNoteCode, LabNoteParams } from '../../lab/notes.js';
import type { LabRefusalCode, LabRefusalParamMap } from '../../lab/refusals.js';

export interface LabWords {
  /** What the tutor adds about a lab command, where the lab differs from a laptop or something happened. */
  note: { [C in LabNoteCode]: (p: LabNoteParams<C>) => string };
  /** Why the lab will not run a command, and what to do instead. */
  refusal: { [C in LabRefusalCode]: (p: LabRefusalParamMap[C]) => string };
}
