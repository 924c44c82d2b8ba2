import { parseLessonFile, type Locate } from './parse.js';
import { CurriculumError, formatPath, type LessonProblem } from './problems.js';
import { lessonLanguages, type Lang, type LessonData, type Matcher, type Platform, type Step } from './schema.js';

/** A checked lesson, as the tutor uses it. */
export interface Lesson extends LessonData {
  lang: Lang;
  /** The NN of `NN-<id>.yaml`: the lesson's place in the curriculum. */
  order: number;
  /** The file it came from, relative to the lessons directory (e.g. `ja/01-container-is-a-process.yaml`). */
  file: string;
}

export interface Phase {
  number: number;
  title: string;
  lessons: readonly Lesson[];
}

/** A lesson file's text, named by its path relative to the lessons directory (`<lang>/NN-<id>.yaml`). */
export interface LessonSource {
  file: string;
  text: string;
}

export const LESSON_FILE_PATTERN = /^(\d{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$/;

/** The lessons of every language, checked against each other. Build it with `buildCurriculum` or `loadCurriculum`. */
export class Curriculum {
  private readonly byLang: ReadonlyMap<Lang, readonly Lesson[]>;

  constructor(lessons: readonly Lesson[]) {
    const byLang = new Map<Lang, Lesson[]>();
    for (const lang of lessonLanguages) byLang.set(lang, []);
    for (const lesson of lessons) byLang.get(lesson.lang)?.push(lesson);
    for (const list of byLang.values()) list.sort((a, b) => a.order - b.order);
    this.byLang = byLang;
  }

  get languages(): readonly Lang[] {
    return lessonLanguages;
  }

  /** Lessons of one language in curriculum order. */
  list(lang: Lang): readonly Lesson[] {
    return this.byLang.get(lang) ?? [];
  }

  get(lang: Lang, id: string): Lesson | undefined {
    return this.list(lang).find((l) => l.id === id);
  }

  /** Like `get`, for ids that must exist (e.g. from the lesson files themselves). */
  require(lang: Lang, id: string): Lesson {
    const lesson = this.get(lang, id);
    if (!lesson) throw new Error(`There is no lesson "${id}" in ${lang}.`);
    return lesson;
  }

  step(lang: Lang, lessonId: string, stepId: string): Step | undefined {
    return this.get(lang, lessonId)?.steps.find((s) => s.id === stepId);
  }

  /** The lesson after this one in curriculum order, if any. */
  next(lang: Lang, id: string): Lesson | undefined {
    const list = this.list(lang);
    const at = list.findIndex((l) => l.id === id);
    return at < 0 ? undefined : list[at + 1];
  }

  phases(lang: Lang): readonly Phase[] {
    const phases: Phase[] = [];
    for (const lesson of this.list(lang)) {
      let phase = phases.find((p) => p.number === lesson.phase.number);
      if (!phase) {
        phase = { number: lesson.phase.number, title: phaseTitle(this.list(lang), lesson.phase.number) ?? '', lessons: [] };
        phases.push(phase);
      }
      (phase.lessons as Lesson[]).push(lesson);
    }
    return phases;
  }
}

/** The command a learner types on their platform; mac and windows fall back to the Linux one. */
export function commandFor(step: Pick<Step, 'try'>, platform: Platform): string | undefined {
  return step.try[platform] ?? step.try.linux;
}

function phaseTitle(lessons: readonly Lesson[], number: number): string | undefined {
  return lessons.find((l) => l.phase.number === number && l.phase.title)?.phase.title;
}

interface Checked {
  lesson: Lesson;
  locate: Locate;
}

/**
 * Parses every lesson file and checks them together: file names, prerequisites, phases, and that
 * Japanese and English say the same lessons with the same steps, commands and matchers.
 * Pure; throws a CurriculumError listing every problem found.
 */
export function buildCurriculum(sources: readonly LessonSource[], dir?: string): Curriculum {
  const { curriculum, problems } = checkLessonSources(sources);
  if (problems.length > 0 || !curriculum) throw new CurriculumError(problems, dir);
  return curriculum;
}

/** Like `buildCurriculum`, returning the problems instead of throwing. */
export function checkLessonSources(sources: readonly LessonSource[]): { curriculum?: Curriculum; problems: LessonProblem[] } {
  const problems: LessonProblem[] = [];
  const checked: Checked[] = [];
  // Lessons whose file exists but is broken: their absence is not a parity problem of the other language.
  const broken = new Set<string>();
  for (const source of sources) {
    const name = fileName(source.file);
    if (!name) {
      problems.push(name === null ? { file: source.file, path: '', message: badPlaceMessage(source.file) } : { file: source.file, path: '', message: 'is not named `NN-<lesson-id>.yaml` (e.g. `01-container-is-a-process.yaml`)' });
      continue;
    }
    const parsed = parseLessonFile(source.file, source.text);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      broken.add(name.id);
      continue;
    }
    const { lesson: data, locate } = parsed;
    if (data.id !== name.id) {
      problems.push({ file: source.file, ...locate(['id']), path: 'id', message: `is \`${data.id}\` but the file name says \`${name.id}\`; they must agree` });
      broken.add(name.id);
      continue;
    }
    checked.push({ lesson: { ...data, lang: name.lang, order: name.order, file: source.file }, locate });
  }
  for (const lang of lessonLanguages) problems.push(...checkLanguage(checked.filter((c) => c.lesson.lang === lang)));
  problems.push(...checkParity(checked.filter((c) => !broken.has(c.lesson.id))));
  if (problems.length > 0) return { problems };
  return { curriculum: new Curriculum(checked.map((c) => c.lesson)), problems };
}

/** undefined: a bad file name; null: a file outside `<lang>/`. */
function fileName(file: string): { lang: Lang; order: number; id: string } | undefined | null {
  const parts = file.split('/');
  if (parts.length !== 2) return null;
  const [dir, base] = parts as [string, string];
  if (!(lessonLanguages as readonly string[]).includes(dir)) return null;
  const m = LESSON_FILE_PATTERN.exec(base);
  if (!m) return undefined;
  return { lang: dir as Lang, order: Number(m[1]), id: m[2] as string };
}

function badPlaceMessage(file: string): string {
  return `is not in a language directory; lessons live in ${lessonLanguages.map((l) => `\`${l}/\``).join(' or ')} as \`<lang>/NN-<lesson-id>.yaml\` (got ${file})`;
}

function checkLanguage(items: readonly Checked[]): LessonProblem[] {
  const problems: LessonProblem[] = [];
  const byOrder = new Map<number, Checked>();
  const byId = new Map<string, Checked>();
  for (const item of items) {
    const { lesson } = item;
    const sameOrder = byOrder.get(lesson.order);
    if (sameOrder) problems.push({ file: lesson.file, path: '', message: `uses the number ${lesson.order} already taken by ${sameOrder.lesson.file}` });
    else byOrder.set(lesson.order, item);
    const sameId = byId.get(lesson.id);
    if (sameId) problems.push({ file: lesson.file, ...item.locate(['id']), path: 'id', message: `\`${lesson.id}\` is used by ${sameId.lesson.file} too` });
    else byId.set(lesson.id, item);
  }
  for (const { lesson, locate } of items) {
    lesson.prerequisites.forEach((pre, i) => {
      const target = byId.get(pre);
      if (!target) {
        problems.push({ file: lesson.file, ...locate(['prerequisites', i]), path: `prerequisites[${i}]`, message: `names \`${pre}\`, which is not a lesson in ${lesson.lang}/` });
      } else if (target.lesson.order >= lesson.order) {
        problems.push({ file: lesson.file, ...locate(['prerequisites', i]), path: `prerequisites[${i}]`, message: `names \`${pre}\`, which comes later (${target.lesson.file}); a prerequisite must come first` });
      }
    });
  }
  const ordered = [...items].sort((a, b) => a.lesson.order - b.lesson.order);
  let highestPhase = 0;
  const titles = new Map<number, { title: string; file: string }>();
  for (const { lesson, locate } of ordered) {
    if (lesson.phase.number < highestPhase) {
      problems.push({ file: lesson.file, ...locate(['phase']), path: 'phase', message: `goes back to phase ${lesson.phase.number} after phase ${highestPhase}; number the files in phase order` });
    }
    highestPhase = Math.max(highestPhase, lesson.phase.number);
    const title = lesson.phase.title;
    if (title === undefined) continue;
    const known = titles.get(lesson.phase.number);
    if (!known) titles.set(lesson.phase.number, { title, file: lesson.file });
    else if (known.title !== title) {
      problems.push({ file: lesson.file, ...locate(['phase', 'title']), path: 'phase.title', message: `is "${title}" but ${known.file} calls phase ${lesson.phase.number} "${known.title}"` });
    }
  }
  for (const { lesson, locate } of ordered) {
    if (!titles.has(lesson.phase.number)) {
      problems.push({ file: lesson.file, ...locate(['phase']), path: 'phase', message: `is phase ${lesson.phase.number}, which no lesson gives a title; add \`title:\` to its first lesson` });
      titles.set(lesson.phase.number, { title: '', file: lesson.file });
    }
  }
  return problems;
}

/** Japanese and English must describe the same lessons, steps, commands and matchers. */
function checkParity(items: readonly Checked[]): LessonProblem[] {
  const problems: LessonProblem[] = [];
  const [primary, ...others] = lessonLanguages;
  const ids = new Set(items.map((i) => i.lesson.id));
  for (const id of [...ids].sort()) {
    const versions = new Map(items.filter((i) => i.lesson.id === id).map((i) => [i.lesson.lang, i] as const));
    for (const lang of lessonLanguages) {
      if (versions.has(lang)) continue;
      const present = [...versions.values()][0];
      if (present) {
        problems.push({ file: present.lesson.file, path: '', message: `exists only in ${[...versions.keys()].join(', ')}; add ${lang}/${present.lesson.file.split('/')[1]} so every language has the lesson` });
      }
    }
    const base = versions.get(primary);
    if (!base) continue;
    for (const lang of others) {
      const other = versions.get(lang);
      if (other) problems.push(...compareLessons(base, other));
    }
  }
  return problems;
}

function compareLessons(base: Checked, other: Checked): LessonProblem[] {
  const problems: LessonProblem[] = [];
  const a = base.lesson;
  const b = other.lesson;
  const differ = (path: (string | number)[], what: string) => {
    const here = base.locate(path);
    problems.push({
      file: b.file,
      ...other.locate(path),
      path: formatPath(path),
      message: `${what} than ${a.file}${here ? `:${here.line}` : ''}; both languages must agree`,
    });
  };
  if (a.order !== b.order) differ([], `has number ${b.order}, not ${a.order}, so it sits in a different place`);
  if (a.phase.number !== b.phase.number) differ(['phase'], `is phase ${b.phase.number}, another phase`);
  if (stableJson([...a.prerequisites].sort()) !== stableJson([...b.prerequisites].sort())) differ(['prerequisites'], 'lists other prerequisites');
  const aSteps = a.steps.map((s) => s.id).join(', ');
  const bSteps = b.steps.map((s) => s.id).join(', ');
  if (aSteps !== bSteps) {
    differ(['steps'], `has the steps [${bSteps}], not [${aSteps}]: other step ids or another order`);
    return problems;
  }
  a.steps.forEach((sa, i) => {
    const sb = b.steps[i] as Step;
    const at = (...rest: (string | number)[]) => ['steps', i, ...rest];
    if (sa.mode !== sb.mode) differ(at('mode'), `is \`${sb.mode}\`, another mode`);
    if ((sa.profile ?? 'default') !== (sb.profile ?? 'default')) differ(at('profile'), `asks for the \`${sb.profile ?? 'default'}\` sandbox profile, another one`);
    if (sa.try.sandbox !== sb.try.sandbox) differ(at('try', 'sandbox'), 'runs another sandbox command');
    if ((sa.try.lab ?? '') !== (sb.try.lab ?? '')) differ(at('try', 'lab'), 'has another lab command');
    for (const platform of ['linux', 'mac', 'windows'] as const) {
      if (commandSkeleton(sa.try[platform]) !== commandSkeleton(sb.try[platform])) {
        differ(at('try', platform), 'has another command (comments aside)');
      }
    }
    compareMatched(sa.expect, sb.expect, at('expect'), 'expectation', differ);
    compareMatched(sa.unexpected ?? [], sb.unexpected ?? [], at('unexpected'), 'unexpected result', differ);
    const qa = sa.quiz ?? [];
    const qb = sb.quiz ?? [];
    if (qa.map((q) => q.id).join() !== qb.map((q) => q.id).join()) {
      differ(at('quiz'), `has the quiz questions [${qb.map((q) => q.id).join(', ')}], not [${qa.map((q) => q.id).join(', ')}]`);
    } else {
      qa.forEach((q, j) => {
        const r = qb[j];
        if (!r) return;
        const ca = q.choices ? q.choices.indexOf(q.answer) : -1;
        const cb = r.choices ? r.choices.indexOf(r.answer) : -1;
        if ((q.choices?.length ?? 0) !== (r.choices?.length ?? 0) || ca !== cb) {
          differ(at('quiz', j), 'has a different number of choices or another correct choice');
        }
      });
    }
  });
  return problems;
}

function compareMatched(
  a: readonly { id: string; match: Matcher }[],
  b: readonly { id: string; match: Matcher }[],
  path: (string | number)[],
  what: string,
  differ: (path: (string | number)[], what: string) => void,
): void {
  if (a.map((e) => e.id).join() !== b.map((e) => e.id).join()) {
    differ(path, `has the ${what} ids [${b.map((e) => e.id).join(', ')}], not [${a.map((e) => e.id).join(', ')}]`);
    return;
  }
  a.forEach((e, i) => {
    const other = b[i];
    if (other && stableJson(e.match) !== stableJson(other.match)) differ([...path, i, 'match'], `matches differently (${what} \`${e.id}\`)`);
  });
}

/** A command without its comments, so each language may comment in its own words. */
export function commandSkeleton(command: string | undefined): string {
  if (command === undefined) return '';
  return command
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trimEnd())
    .filter((line) => line.trim() !== '')
    .join('\n');
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)))
      : v,
  );
}
