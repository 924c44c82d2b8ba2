import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCurriculum, type Curriculum } from '../../src/lessons/index.js';
import type { CardSource } from '../../src/knowledge/cards.js';

/** Six small cards in both languages, written for these tests (not the real cards). */
export const FIXTURE_KNOWLEDGE = fileURLToPath(new URL('./fixtures/knowledge', import.meta.url));
export const LESSONS_DIR = fileURLToPath(new URL('../../lessons', import.meta.url));
export const REAL_KNOWLEDGE = fileURLToPath(new URL('../../knowledge', import.meta.url));

/** The fixture cards as sources (`ja/netns.yaml` → text), for tests that break one at a time. */
export function fixtureSources(): CardSource[] {
  return ['ja', 'en'].flatMap((lang) =>
    readdirSync(`${FIXTURE_KNOWLEDGE}/${lang}`)
      .sort()
      .map((name) => ({ file: `${lang}/${name}`, text: readFileSync(`${FIXTURE_KNOWLEDGE}/${lang}/${name}`, 'utf8') })),
  );
}

/** The sources with one file's text changed. */
export function withChange(sources: CardSource[], file: string, change: (text: string) => string): CardSource[] {
  let found = false;
  const changed = sources.map((s) => {
    if (s.file !== file) return s;
    found = true;
    const text = change(s.text);
    if (text === s.text) throw new Error(`the change to ${file} changed nothing`);
    return { ...s, text };
  });
  if (!found) throw new Error(`no fixture ${file}`);
  return changed;
}

let curriculum: Promise<Curriculum> | undefined;
export function realCurriculum(): Promise<Curriculum> {
  curriculum ??= loadCurriculum(LESSONS_DIR);
  return curriculum;
}
