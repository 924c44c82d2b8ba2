// `sensei ask` starts cold on every call, so the checked cards, lessons and search index of each language are
// kept as one JSON file keyed by the files they came from. A hit skips the YAML parser, zod, every check (they
// ran when it was written) and tokenising the cards.

import { readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lesson } from '../lessons/curriculum.js';
import { lessonLanguages, type Lang } from '../lessons/languages.js';
import type { LessonList } from './ask.js';
import { Knowledge, type Card } from './knowledge.js';
import { buildSearchIndex, restoreIndex, storeIndex, type SearchIndex, type StoredIndex } from './search.js';

/** Bumped when the cached shape changes. */
const BUNDLE_VERSION = 2;

/** What answering in one language needs: its cards, its lessons and its search index. */
export interface AskBundle {
  lang: Lang;
  knowledge: Knowledge;
  curriculum: LessonList & { get(lang: Lang, id: string): Lesson | undefined };
  index: SearchIndex;
}

interface BundleFile {
  key: string;
  lang: Lang;
  cards: Card[];
  lessons: Lesson[];
  index: StoredIndex;
}

/**
 * Names, sizes and times of every file the bundle depends on (the cards, the lessons, the code that checks
 * them). Synchronous on purpose: a few hundred stat calls are much faster without a thread-pool round trip each.
 */
function fingerprint(dirs: readonly string[]): string {
  const parts: string[] = [String(BUNDLE_VERSION)];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir, { recursive: true }).map(String).sort();
    } catch {
      parts.push(`${dir}:missing`);
      continue;
    }
    for (const name of names) {
      const info = statSync(join(dir, name));
      if (info.isFile()) parts.push(`${join(dir, name)}:${info.size}:${Math.trunc(info.mtimeMs)}`);
    }
  }
  return parts.join('\n');
}

/** The knowledge directory `sensei ask` and `sensei knowledge check` read: SENSEI_KNOWLEDGE_DIR, else knowledge/. */
export function knowledgeDirOf(root: string): string {
  return process.env.SENSEI_KNOWLEDGE_DIR ?? join(root, 'knowledge');
}

function cacheDirs(root: string): string[] {
  const fromEnv = process.env.SENSEI_CACHE_DIR;
  // dist/ holds the transpiled `sensei ask` too (bin/compiled-ask.js) and is not in git.
  return [...(fromEnv ? [fromEnv] : []), join(root, 'dist'), join(tmpdir(), `container-sensei-${process.getuid?.() ?? 'user'}`)];
}

function bundleName(knowledgeDir: string, lang: Lang): string {
  let hash = 0;
  for (const ch of knowledgeDir) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return `ask-bundle-${hash.toString(16)}-${lang}.json`;
}

function fromFile(file: BundleFile): AskBundle {
  const lessons = [...file.lessons].sort((a, b) => a.order - b.order);
  return {
    lang: file.lang,
    knowledge: new Knowledge(file.cards),
    curriculum: {
      list: (lang) => (lang === file.lang ? lessons : []),
      get: (lang, id) => (lang === file.lang ? lessons.find((l) => l.id === id) : undefined),
    },
    index: restoreIndex(file.index),
  };
}

/**
 * What answering in `lang` needs, from the cache when nothing changed, else loaded (and checked) from the YAML
 * files and cached for the next call, for every language at once. A cache that cannot be written only costs speed.
 */
export async function loadAskBundle(opts: { root: string; knowledgeDir: string; lessonsDir: string; lang: Lang }): Promise<AskBundle> {
  const key = fingerprint([opts.knowledgeDir, opts.lessonsDir, join(opts.root, 'src', 'knowledge'), join(opts.root, 'src', 'lessons')]);
  for (const dir of cacheDirs(opts.root)) {
    try {
      const file = JSON.parse(await readFile(join(dir, bundleName(opts.knowledgeDir, opts.lang)), 'utf8')) as BundleFile;
      if (file.key === key) return fromFile(file);
    } catch {
      // No cache here (or an unreadable one): try the next place, then load the files.
    }
  }
  const { loadCurriculum } = await import('../lessons/loader.js');
  const { loadKnowledge } = await import('./loader.js');
  const curriculum = await loadCurriculum(opts.lessonsDir);
  const knowledge = await loadKnowledge(opts.knowledgeDir, { curriculum });
  const files = lessonLanguages.map(
    (lang): BundleFile => ({ key, lang, cards: [...knowledge.list(lang)], lessons: [...curriculum.list(lang)], index: storeIndex(buildSearchIndex(knowledge, lang)) }),
  );
  await writeBundles(opts, files);
  const mine = files.find((f) => f.lang === opts.lang)!;
  return { lang: opts.lang, knowledge, curriculum, index: restoreIndex(mine.index) };
}

async function writeBundles(opts: { root: string; knowledgeDir: string }, files: readonly BundleFile[]): Promise<void> {
  for (const dir of cacheDirs(opts.root)) {
    try {
      await mkdir(dir, { recursive: true });
      for (const file of files) {
        const name = bundleName(opts.knowledgeDir, file.lang);
        const temp = join(dir, `${name}.${process.pid}.tmp`);
        await writeFile(temp, JSON.stringify(file));
        await rename(temp, join(dir, name));
      }
      return;
    } catch {
      // Not writable here: try the next place.
    }
  }
}
