// `sensei ask` starts cold on every call, so the checked cards and lessons are kept as one JSON file keyed by
// the files they came from. A hit skips the YAML parser, zod and every check (they ran when it was written).

import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lesson } from '../lessons/curriculum.js';
import { lessonLanguages, type Lang } from '../lessons/languages.js';
import type { LessonList } from './ask.js';
import { Knowledge, type Card } from './knowledge.js';

/** Bumped when the cached shape changes. */
const BUNDLE_VERSION = 1;

export interface AskBundle {
  knowledge: Knowledge;
  curriculum: LessonList & { get(lang: Lang, id: string): Lesson | undefined };
}

interface BundleFile {
  key: string;
  cards: Card[];
  lessons: Lesson[];
}

/** Names, sizes and times of every file the bundle depends on (the cards, the lessons, the code that checks them). */
async function fingerprint(dirs: readonly string[]): Promise<string> {
  const parts: string[] = [String(BUNDLE_VERSION)];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir, { recursive: true })).map(String).sort();
    } catch {
      parts.push(`${dir}:missing`);
      continue;
    }
    for (const name of names) {
      const info = await stat(join(dir, name));
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
  return [...(fromEnv ? [fromEnv] : []), join(root, 'node_modules', '.cache', 'container-sensei'), join(tmpdir(), `container-sensei-${process.getuid?.() ?? 'user'}`)];
}

function bundleName(knowledgeDir: string): string {
  let hash = 0;
  for (const ch of knowledgeDir) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return `ask-bundle-${hash.toString(16)}.json`;
}

function fromFile(file: BundleFile): AskBundle {
  const byLang = new Map<Lang, Lesson[]>(lessonLanguages.map((lang) => [lang, file.lessons.filter((l) => l.lang === lang).sort((a, b) => a.order - b.order)]));
  return {
    knowledge: new Knowledge(file.cards),
    curriculum: {
      list: (lang) => byLang.get(lang) ?? [],
      get: (lang, id) => byLang.get(lang)?.find((l) => l.id === id),
    },
  };
}

/**
 * The checked cards and lessons, from the cache when nothing changed, else loaded (and checked) from the
 * YAML files and cached for the next call. A cache that cannot be written only costs speed.
 */
export async function loadAskBundle(opts: { root: string; knowledgeDir: string; lessonsDir: string }): Promise<AskBundle> {
  const key = await fingerprint([opts.knowledgeDir, opts.lessonsDir, join(opts.root, 'src', 'knowledge'), join(opts.root, 'src', 'lessons')]);
  const name = bundleName(opts.knowledgeDir);
  for (const dir of cacheDirs(opts.root)) {
    try {
      const file = JSON.parse(await readFile(join(dir, name), 'utf8')) as BundleFile;
      if (file.key === key) return fromFile(file);
    } catch {
      // No cache here (or an unreadable one): try the next place, then load the files.
    }
  }
  const { loadCurriculum } = await import('../lessons/loader.js');
  const { loadKnowledge } = await import('./loader.js');
  const curriculum = await loadCurriculum(opts.lessonsDir);
  const knowledge = await loadKnowledge(opts.knowledgeDir, { curriculum });
  const file: BundleFile = {
    key,
    cards: lessonLanguages.flatMap((lang) => [...knowledge.list(lang)]),
    lessons: lessonLanguages.flatMap((lang) => [...curriculum.list(lang)]),
  };
  for (const dir of cacheDirs(opts.root)) {
    try {
      await mkdir(dir, { recursive: true });
      const temp = join(dir, `${name}.${process.pid}.tmp`);
      await writeFile(temp, JSON.stringify(file));
      await rename(temp, join(dir, name));
      break;
    } catch {
      // Not writable here: try the next place.
    }
  }
  return { knowledge, curriculum };
}
