// The lab's facts in the learner's language: every note and refusal code of src/lab worded by the
// catalogues in src/tutor/phrases/lab-ja.ts and lab-en.ts.
import type { LabNote } from '../lab/notes.js';
import type { LabRefusal } from '../lab/refusals.js';
import type { Lang } from '../lessons/index.js';
import { labEn } from './phrases/lab-en.js';
import { labJa } from './phrases/lab-ja.js';
import type { LabWords } from './phrases/lab-words.js';

const catalogues: Record<Lang, LabWords> = { ja: labJa, en: labEn };

/** What the tutor says about one lab note. */
export function labNoteText(lang: Lang, note: LabNote): string {
  // The catalogue's entry for `note.code` takes exactly that code's params; TypeScript cannot see the pairing.
  const say = catalogues[lang].note[note.code] as (params: LabNote['params']) => string;
  return say(note.params);
}

/** Why the lab will not run a command; several refused flags are explained one after another. */
export function labRefusalText(lang: Lang, refusal: LabRefusal): string {
  const one = (r: LabRefusal): string => (catalogues[lang].refusal[r.code] as (params: LabRefusal['params']) => string)(r.params);
  return [refusal, ...(refusal.also ?? [])].map(one).join('\n\n');
}
