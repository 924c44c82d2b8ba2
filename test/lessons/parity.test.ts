import { describe, expect, it } from 'vitest';
import { buildCurriculum, checkLessonSources, commandSkeleton, CurriculumError } from '../../src/lessons/index.js';
import { bothLanguages, lessonYaml, lineOf, STEPS } from './fixtures.js';

const NAME = '01-first-lesson.yaml';

function problems(sources: Parameters<typeof checkLessonSources>[0]) {
  return checkLessonSources(sources).problems;
}

describe('ja/en parity', () => {
  it('accepts the same lesson in both languages, with comments in their own words', () => {
    const en = lessonYaml({ title: 'First lesson' }).replace('# list processes', '# show every process');
    const ja = lessonYaml({ title: '最初のレッスン' }).replace('# list processes', '# プロセスを一覧する');
    const curriculum = buildCurriculum(bothLanguages(NAME, ja, en));
    expect(curriculum.list('ja').map((l) => l.title)).toEqual(['最初のレッスン']);
    expect(curriculum.list('en').map((l) => l.title)).toEqual(['First lesson']);
  });

  it('fails when a lesson exists in one language only', () => {
    const found = problems([{ file: `ja/${NAME}`, text: lessonYaml() }]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file: `ja/${NAME}` });
    expect(found[0]?.message).toBe(`exists only in ja; add en/${NAME} so every language has the lesson`);
  });

  it('does not blame the other language when one version is broken', () => {
    const found = problems(bothLanguages(NAME, lessonYaml(), lessonYaml().replace('mode: oneshot', 'mode: nope')));
    expect(found.map((p) => p.path)).toEqual(['steps[0].mode']);
  });

  it('fails when the step ids differ, pointing at the English steps and the Japanese line', () => {
    const en = lessonYaml().replace('- id: second-step', '- id: step-two');
    const found = problems(bothLanguages(NAME, lessonYaml(), en));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file: `en/${NAME}`, path: 'steps', line: lineOf(en, 'steps:') });
    expect(found[0]?.message).toBe(
      `has the steps [look-around, step-two], not [look-around, second-step]: other step ids or another order than ja/${NAME}:${lineOf(lessonYaml(), 'steps:')}; both languages must agree`,
    );
  });

  it('fails when the steps come in another order', () => {
    const [first, second] = STEPS.split('  - id: second-step');
    const swapped = lessonYaml({ steps: `  - id: second-step${second ?? ''}${first ?? ''}` });
    const found = problems(bothLanguages(NAME, lessonYaml(), swapped));
    expect(found[0]?.message).toMatch(/^has the steps \[second-step, look-around\]/);
  });

  it('fails when a mode, a sandbox command or a matcher differs', () => {
    const en = lessonYaml()
      .replace('mode: session', 'mode: oneshot')
      .replace('sandbox: ls /tmp', 'sandbox: ls -l /tmp')
      .replace(`stdout: '^\\S+\\s+1\\s'`, `stdout: '^\\S+\\s+1 '`);
    const found = problems(bothLanguages(NAME, lessonYaml(), en));
    expect(found.map((p) => [p.path, p.line])).toEqual([
      ['steps[0].expect[0].match', lineOf(en, 'match:')],
      ['steps[1].mode', lineOf(en, 'mode: oneshot', lineOf(en, 'second-step'))],
      ['steps[1].try.sandbox', lineOf(en, 'sandbox: ls -l /tmp')],
    ].sort((a, b) => Number(a[1]) - Number(b[1])));
  });

  it('fails when a platform command differs beyond its comments', () => {
    const en = lessonYaml().replace('docker run --rm alpine ps aux', 'docker run --rm busybox ps aux');
    const found = problems(bothLanguages(NAME, lessonYaml(), en));
    expect(found.map((p) => p.path)).toEqual(['steps[0].try.linux']);
  });

  it('fails when expectation ids or the correct quiz choice differ', () => {
    const en = lessonYaml().replace('- id: pid-one', '- id: pid-1').replace('choices: [/tmp, /nowhere]', 'choices: [/nowhere, /tmp]');
    const paths = problems(bothLanguages(NAME, lessonYaml(), en)).map((p) => p.path);
    expect(paths).toEqual(['steps[0].expect', 'steps[1].quiz[0]']);
  });

  it('fails when the phase or the place in the curriculum differs', () => {
    const sources = [
      { file: `ja/${NAME}`, text: lessonYaml() },
      { file: 'en/02-first-lesson.yaml', text: lessonYaml({ phase: '  number: 2\n  title: Basics' }) },
    ];
    const messages = problems(sources).map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(/^has number 2, not 1/), expect.stringMatching(/^is phase 2, another phase/)]),
    );
  });
});

describe('cross-lesson checks', () => {
  it('requires prerequisites to exist and to come earlier', () => {
    const sources = [
      ...bothLanguages('01-first-lesson.yaml', lessonYaml({ prerequisites: '[second-lesson, missing-lesson]' })),
      ...bothLanguages('02-second-lesson.yaml', lessonYaml({ id: 'second-lesson' })),
    ];
    const ja = problems(sources).filter((p) => p.file.startsWith('ja/'));
    expect(ja.map((p) => p.message)).toEqual([
      'names `second-lesson`, which comes later (ja/02-second-lesson.yaml); a prerequisite must come first',
      'names `missing-lesson`, which is not a lesson in ja/',
    ]);
  });

  it('requires each phase to have one title and lessons to be numbered in phase order', () => {
    const sources = [
      ...bothLanguages('01-first-lesson.yaml', lessonYaml({ phase: '  number: 2\n  title: Later' })),
      ...bothLanguages('02-second-lesson.yaml', lessonYaml({ id: 'second-lesson', phase: '  number: 1' })),
      ...bothLanguages('03-third-lesson.yaml', lessonYaml({ id: 'third-lesson', phase: '  number: 2\n  title: Other' })),
    ];
    const ja = problems(sources).filter((p) => p.file.startsWith('ja/'));
    expect(ja.map((p) => `${p.file} ${p.path}: ${p.message}`)).toEqual([
      'ja/02-second-lesson.yaml phase: goes back to phase 1 after phase 2; number the files in phase order',
      'ja/03-third-lesson.yaml phase.title: is "Other" but ja/01-first-lesson.yaml calls phase 2 "Later"',
      'ja/02-second-lesson.yaml phase: is phase 1, which no lesson gives a title; add `title:` to its first lesson',
    ]);
  });

  it('throws every problem at once from buildCurriculum', () => {
    const sources = [{ file: `ja/${NAME}`, text: lessonYaml().replace('mode: oneshot', 'mode: x') }, { file: 'en/01-other.yaml', text: lessonYaml({ id: 'other' }) }];
    expect(() => buildCurriculum(sources)).toThrow(CurriculumError);
    try {
      buildCurriculum(sources);
    } catch (error) {
      expect((error as CurriculumError).problems.length).toBe(2);
      expect((error as CurriculumError).message.split('\n')[0]).toBe('2 problems in the lessons:');
    }
  });
});

describe('commandSkeleton', () => {
  it('drops full-line and trailing comments but keeps the commands', () => {
    expect(commandSkeleton('# start\ndocker run x   # note\n\nls -l')).toBe('docker run x\nls -l');
    expect(commandSkeleton("grep '{{.Id}}' f")).toBe("grep '{{.Id}}' f");
  });
});
