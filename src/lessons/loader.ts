import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkLessonSources, type Curriculum, type LessonSource } from './curriculum.js';
import { CurriculumError, type LessonProblem } from './problems.js';
import { lessonLanguages } from './schema.js';

/**
 * Reads `<dir>/<lang>/*.yaml` for every language and builds the curriculum. Throws a CurriculumError
 * naming every problem (file, line, what is wrong) when anything is off.
 */
export async function loadCurriculum(dir: string): Promise<Curriculum> {
  const { sources, problems } = await readLessonSources(dir);
  const checked = checkLessonSources(sources);
  // Name files by the path an author can open, e.g. lessons/ja/01-container-is-a-process.yaml.
  const all = [...problems, ...checked.problems].map((p) => ({ ...p, file: join(dir, p.file) }));
  if (all.length > 0 || !checked.curriculum) throw new CurriculumError(all);
  return checked.curriculum;
}

/**
 * The lesson files under `dir`, with problems for things that are in the wrong place. The knowledge cards
 * use the same layout (`<dir>/<lang>/*.yaml`); `noun` names what the files are.
 */
export async function readLessonSources(dir: string, noun = 'lesson'): Promise<{ sources: LessonSource[]; problems: LessonProblem[] }> {
  const sources: LessonSource[] = [];
  const problems: LessonProblem[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { sources, problems: [{ file: dir, path: '', message: `cannot be read as the ${noun}s directory (${reason})` }] };
  }
  const languages = lessonLanguages as readonly string[];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory() && !languages.includes(entry.name)) {
      problems.push({ file: entry.name, path: '', message: `is not a ${noun} language; the languages are ${lessonLanguages.join(', ')}` });
    } else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) {
      problems.push({ file: entry.name, path: '', message: `is outside a language directory; move it to ${lessonLanguages.map((l) => `${l}/`).join(' and ')}` });
    }
  }
  for (const lang of lessonLanguages) {
    let names: string[];
    try {
      names = (await readdir(join(dir, lang), { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
    } catch {
      problems.push({ file: `${lang}/`, path: '', message: `is missing; every language needs its directory of ${noun}s` });
      continue;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      if (name.endsWith('.yml')) {
        problems.push({ file: `${lang}/${name}`, path: '', message: `ends in .yml; ${noun} files end in .yaml` });
        continue;
      }
      if (!name.endsWith('.yaml')) continue;
      sources.push({ file: `${lang}/${name}`, text: await readFile(join(dir, lang, name), 'utf8') });
    }
  }
  return { sources, problems };
}
