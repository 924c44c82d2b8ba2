import { beforeAll, describe, expect, it } from 'vitest';
import { loadCurriculum, type Curriculum } from '../../src/lessons/index.js';
import { LESSONS_DIR } from '../../src/app.js';
import { classifyFreeText, findLessonsAbout, keywordsOf, parseLang, parsePlatform } from '../../src/tutor/intent.js';

describe('free text', () => {
  it('hears a platform remark, in both languages', () => {
    expect(classifyFreeText("I'm on a Mac")).toEqual({ kind: 'platform', platform: 'mac' });
    expect(classifyFreeText('Macです')).toEqual({ kind: 'platform', platform: 'mac' });
    expect(classifyFreeText('実はWindowsのWSL2を使ってます')).toEqual({ kind: 'platform', platform: 'windows' });
    expect(classifyFreeText('ubuntu 22.04 here')).toEqual({ kind: 'platform', platform: 'linux' });
  });

  it('hears a request for help', () => {
    expect(classifyFreeText('I am stuck')).toEqual({ kind: 'help' });
    expect(classifyFreeText('わからない…')).toEqual({ kind: 'help' });
    expect(classifyFreeText('ヒントちょうだい')).toEqual({ kind: 'help' });
  });

  it('tells a question from chat', () => {
    expect(classifyFreeText('What does memory.max mean on cgroup v2?').kind).toBe('question');
    expect(classifyFreeText('namespaceって何？').kind).toBe('question');
    expect(classifyFreeText('thanks, that was fun').kind).toBe('chat');
    // A long question that mentions a Mac is a question, not a platform switch.
    expect(classifyFreeText('How does Docker Desktop on a Mac run Linux containers at all?').kind).toBe('question');
  });

  it('parses names of languages and platforms', () => {
    expect(parseLang('日本語')).toBe('ja');
    expect(parseLang('EN')).toBe('en');
    expect(parseLang('fr')).toBeUndefined();
    expect(parsePlatform('mac')).toBe('mac');
    expect(parsePlatform('bsd')).toBeUndefined();
  });

  it('picks out keywords, Latin and Japanese', () => {
    expect(keywordsOf('What is OverlayFS copy-up?')).toEqual(expect.arrayContaining(['overlayfs', 'copy-up']));
    expect(keywordsOf('名前空間とは')).toEqual(expect.arrayContaining(['名前空間']));
  });
});

describe('finding the lesson that answers a question', () => {
  let curriculum: Curriculum;
  beforeAll(async () => {
    curriculum = await loadCurriculum(LESSONS_DIR);
  });

  it('finds lessons by their subject, in both languages', () => {
    expect(findLessonsAbout('What is OverlayFS copy-up?', curriculum.list('en'))[0]?.lesson.id).toBe('overlayfs');
    expect(findLessonsAbout('seccomp blocks which syscalls?', curriculum.list('en'))[0]?.lesson.id).toBe('seccomp');
    expect(findLessonsAbout('OverlayFS のコピーアップって？', curriculum.list('ja'))[0]?.lesson.id).toBe('overlayfs');
    expect(findLessonsAbout('zzz qqq', curriculum.list('en'))).toEqual([]);
  });
});
