import { afterAll, describe, expect, it } from 'vitest';
import { CurriculumError, loadCurriculum, parseLessonFile, type LessonProblem } from '../../src/lessons/index.js';
import { lessonYaml, lineOf, removeLessonsDirs, writeLessonsDir } from './fixtures.js';

afterAll(removeLessonsDirs);

const FILE = 'ja/01-first-lesson.yaml';

function problemsOf(text: string): LessonProblem[] {
  const parsed = parseLessonFile(FILE, text);
  if (parsed.ok) throw new Error('expected the file to be rejected');
  return parsed.problems;
}

describe('parseLessonFile', () => {
  it('accepts a valid lesson and normalises single values to lists', () => {
    const parsed = parseLessonFile(FILE, lessonYaml());
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [first, second] = parsed.lesson.steps;
    expect(first?.expect[0]?.match.stdout).toEqual(['^\\S+\\s+1\\s']);
    expect(second?.expect[0]?.match.exitCode).toEqual([0]);
    expect(parsed.lesson.phase).toEqual({ number: 1, title: 'Basics' });
  });

  it('accepts `phase: 2` as a bare number', () => {
    const parsed = parseLessonFile(FILE, lessonYaml({ phase: '  2' }).replace('phase:\n  2', 'phase: 2'));
    expect(parsed.ok && parsed.lesson.phase).toEqual({ number: 2 });
  });

  it('names a missing field by its path and the line of the object that lacks it', () => {
    const text = lessonYaml().replace('      point: Processes are listed by ps.\n', '');
    const [problem, ...rest] = problemsOf(text);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file: FILE, path: 'steps[0].say.point', message: 'is missing' });
    // Placed on the key of the mapping that lacks the field.
    expect(problem?.line).toBe(lineOf(text, 'say:'));
  });

  it('reports a bad regular expression on its own line, with what the regex engine said', () => {
    const text = lessonYaml().replace(`stdout: '^\\S+\\s+1\\s'`, `stdout: '^(unclosed'`);
    const [problem] = problemsOf(text);
    expect(problem?.path).toBe('steps[0].expect[0].match.stdout[0]');
    expect(problem?.line).toBe(lineOf(text, '^(unclosed'));
    expect(problem?.message).toMatch(/^is not a valid regular expression \(.*Unterminated group.*\)$/);
  });

  it('refuses anchors from other regex dialects that JavaScript would read as letters', () => {
    const text = lessonYaml().replace(`stdout: '^\\S+\\s+1\\s'`, `stdout: '\\A64\\z'`);
    const [problem] = problemsOf(text);
    expect(problem?.message).toMatch(/\\A is not an anchor in JavaScript/);
  });

  it('says what type was expected and what was found', () => {
    const text = lessonYaml().replace('        match:\n          exitCode: 0', '        match:\n          exitCode: zero');
    const [problem] = problemsOf(text);
    expect(problem).toMatchObject({ path: 'steps[1].expect[0].match.exitCode[0]', line: lineOf(text, 'exitCode: zero') });
    expect(problem?.message).toContain('exit code');
  });

  it('lists the allowed values for an unknown mode', () => {
    const text = lessonYaml().replace('mode: session', 'mode: interactive');
    const [problem] = problemsOf(text);
    expect(problem).toMatchObject({ path: 'steps[1].mode', line: lineOf(text, 'mode: interactive') });
    expect(problem?.message).toBe('should be one of: oneshot, session, lab');
  });

  it('points at a misspelt field and suggests the right one', () => {
    const text = lessonYaml().replace('    hints:\n      nudge: Use ps.', '    hint:\n      nudge: Use ps.');
    const problems = problemsOf(text);
    const unknown = problems.find((p) => p.path === 'steps[0].hint');
    expect(unknown).toMatchObject({ line: lineOf(text, '    hint:'), message: 'is not a field here; did you mean `hints`?' });
    expect(problems.find((p) => p.path === 'steps[0].hints')?.message).toBe('is missing');
  });

  it('says a key with nothing after it is empty', () => {
    const text = lessonYaml().replace('summary: What this lesson is about.', 'summary:');
    const [problem] = problemsOf(text);
    expect(problem).toMatchObject({ path: 'summary', line: lineOf(text, 'summary:'), message: 'is empty (nothing after the colon)' });
  });

  it('takes a number written where text is expected as text', () => {
    const text = lessonYaml().replace('choices: [/tmp, /nowhere]', 'choices: [137, 127]').replace('        answer: /tmp', '        answer: 137');
    const parsed = parseLessonFile(FILE, text);
    expect(parsed.ok && parsed.lesson.steps[1]?.quiz?.[0]).toMatchObject({ choices: ['137', '127'], answer: '137' });
  });

  it('requires a quiz answer to be one of the choices', () => {
    const text = lessonYaml().replace('        answer: /tmp', '        answer: /var');
    const [problem] = problemsOf(text);
    expect(problem).toMatchObject({ path: 'steps[1].quiz[0].answer', line: lineOf(text, 'answer: /var') });
    expect(problem?.message).toMatch(/not one of the choices/);
  });

  it('requires free-answer patterns to accept the model answer', () => {
    const text = lessonYaml().replace(
      "        choices: [/tmp, /nowhere]\n        answer: /tmp",
      // A function, so `$'` in the replacement is not a String.replace pattern.
      () => "        answer: /tmp\n        accept: ['^/var$']",
    );
    const [problem] = problemsOf(text);
    expect(problem).toMatchObject({ path: 'steps[1].quiz[0].accept', line: lineOf(text, 'accept:') });
    expect(problem?.message).toMatch(/does not accept the model answer/);
  });

  it('requires a lab command for a step in lab mode', () => {
    const text = lessonYaml().replace('mode: session', 'mode: lab');
    const [problem] = problemsOf(text);
    expect(problem?.path).toBe('steps[1].try.lab');
    expect(problem?.message).toMatch(/lab mode needs the lab command/);
  });

  it('rejects repeated step ids', () => {
    const text = lessonYaml().replace('  - id: second-step', '  - id: look-around');
    const [problem] = problemsOf(text);
    expect(problem).toMatchObject({ path: 'steps[1].id', line: lineOf(text, '- id: look-around', lineOf(text, 'id: pid-one')) });
    expect(problem?.message).toMatch(/repeats the id/);
  });

  it('rejects a matcher without any condition', () => {
    const text = lessonYaml().replace('        match:\n          exitCode: 0', '        match: {}');
    const [problem] = problemsOf(text);
    expect(problem?.path).toBe('steps[1].expect[0].match');
    expect(problem?.message).toMatch(/needs at least one condition/);
  });

  it('reports YAML syntax errors with their line and a hint about quoting', () => {
    const text = lessonYaml().replace('      point: Processes are listed by ps.', '      point: Note: this breaks YAML');
    const [problem] = problemsOf(text);
    expect(problem?.line).toBe(lineOf(text, 'Note: this breaks'));
    expect(problem?.message).toMatch(/^is not valid YAML: .*must be quoted/);
  });

  it('reports several problems of one file at once', () => {
    const text = lessonYaml().replace('mode: oneshot', 'mode: 5').replace('title: Second step', 'title: [a, b]');
    const paths = problemsOf(text).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['steps[0].mode', 'steps[1].title']));
  });
});

describe('loadCurriculum on broken files', () => {
  it('throws a CurriculumError naming the file path and line', async () => {
    const broken = lessonYaml().replace('mode: oneshot', 'mode: sometimes');
    const dir = await writeLessonsDir({ 'ja/01-first-lesson.yaml': broken, 'en/01-first-lesson.yaml': lessonYaml() });
    const error = await loadCurriculum(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CurriculumError);
    const line = lineOf(broken, 'mode: sometimes');
    expect((error as CurriculumError).message).toContain(`${dir}/ja/01-first-lesson.yaml:${line}:11: steps[0].mode should be one of: oneshot, session, lab`);
    expect((error as CurriculumError).errors[0]?.line).toBe(line);
  });

  it('rejects files that are misnamed, misplaced or .yml', async () => {
    const dir = await writeLessonsDir({
      'ja/first-lesson.yaml': lessonYaml(),
      'ja/02-other.yml': lessonYaml({ id: 'other' }),
      'fr/01-first-lesson.yaml': lessonYaml(),
      'en/01-first-lesson.yaml': lessonYaml(),
      'README.md': '# lessons',
    });
    const error = (await loadCurriculum(dir).catch((e: unknown) => e)) as CurriculumError;
    const messages = error.problems.map((p) => `${p.file.slice(dir.length + 1)}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^fr: is not a lesson language/),
        expect.stringMatching(/^ja\/02-other\.yml: ends in \.yml/),
        expect.stringMatching(/^ja\/first-lesson\.yaml: is not named `NN-<lesson-id>\.yaml`/),
      ]),
    );
  });

  it('rejects an id that disagrees with the file name', async () => {
    const dir = await writeLessonsDir({
      'ja/01-first-lesson.yaml': lessonYaml({ id: 'something-else' }),
      'en/01-first-lesson.yaml': lessonYaml(),
    });
    const error = (await loadCurriculum(dir).catch((e: unknown) => e)) as CurriculumError;
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ path: 'id', line: 1 });
    expect(error.problems[0]?.message).toMatch(/file name says `first-lesson`/);
  });

  it('reports a missing lessons directory plainly', async () => {
    const error = (await loadCurriculum('/nonexistent/lessons').catch((e: unknown) => e)) as CurriculumError;
    expect(error).toBeInstanceOf(CurriculumError);
    expect(error.message).toMatch(/cannot be read as the lessons directory/);
  });
});
