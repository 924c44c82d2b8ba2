/** One thing wrong with a lesson file, said in plain words and placed as precisely as we can. */
export interface LessonProblem {
  file: string;
  /** 1-based; absent when the problem concerns the file as a whole. */
  line?: number;
  column?: number;
  /** Where in the lesson, e.g. `steps[2].expect[0].match.stdout`; empty for the whole file. */
  path: string;
  message: string;
}

export function formatProblem(p: LessonProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}${p.column === undefined ? '' : `:${p.column}`}`;
  return p.path ? `${where}: ${p.path} ${p.message}` : `${where}: ${p.message}`;
}

/** A single lesson file is not usable. */
export class LessonFileError extends Error {
  override name = 'LessonFileError';
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly path: string;

  constructor(readonly problem: LessonProblem) {
    super(formatProblem(problem));
    this.file = problem.file;
    this.line = problem.line;
    this.column = problem.column;
    this.path = problem.path;
  }
}

/** Everything wrong with a lessons directory at once, so an author fixes it in one pass. */
export class CurriculumError extends AggregateError {
  override name = 'CurriculumError';
  readonly problems: readonly LessonProblem[];
  declare readonly errors: LessonFileError[];

  constructor(problems: readonly LessonProblem[], dir?: string) {
    const sorted = [...problems].sort(compareProblems);
    const heading = `${sorted.length} problem${sorted.length === 1 ? '' : 's'} in the lessons${dir ? ` (${dir})` : ''}:`;
    super(
      sorted.map((p) => new LessonFileError(p)),
      [heading, ...sorted.map((p) => `  ${formatProblem(p)}`)].join('\n'),
    );
    this.problems = sorted;
  }
}

function compareProblems(a: LessonProblem, b: LessonProblem): number {
  return a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.path.localeCompare(b.path);
}

/** `steps[2].expect[0].match` from ['steps', 2, 'expect', 0, 'match']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
