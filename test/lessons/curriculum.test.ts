import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  commandFor,
  lessonLanguages,
  loadCurriculum,
  planLessonChecks,
  type Curriculum,
} from '../../src/lessons/index.js';

const LESSONS_DIR = fileURLToPath(new URL('../../lessons', import.meta.url));

let curriculum: Curriculum;
beforeAll(async () => {
  curriculum = await loadCurriculum(LESSONS_DIR);
});

describe('the real lessons/ directory', () => {
  it('loads at least 16 lessons in every language', () => {
    for (const lang of lessonLanguages) expect(curriculum.list(lang).length).toBeGreaterThanOrEqual(16);
    expect(curriculum.list('ja').map((l) => l.id)).toEqual(curriculum.list('en').map((l) => l.id));
  });

  it('starts with the seed lessons of phase 1, in order', () => {
    const phase1 = curriculum.phases('ja')[0];
    expect(phase1?.number).toBe(1);
    expect(phase1?.lessons.map((l) => l.id)).toEqual([
      'container-is-a-process',
      'host-view',
      'docker-desktop-vm',
      'overlayfs',
      'unshare-by-hand',
    ]);
  });

  it('covers namespaces, cgroups, the OCI runtime and images in later phases', () => {
    const ids = curriculum.list('en').map((l) => l.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'pid-namespace', 'uts-and-ipc', 'network-namespace', 'mount-namespace', 'user-namespace',
        'cgroup-versions', 'memory-and-oom', 'cpu-and-pids',
        'capabilities', 'seccomp', 'masked-paths', 'non-root-user',
        'image-anatomy', 'layer-hygiene',
      ]),
    );
    expect(curriculum.phases('en').map((p) => p.number)).toEqual([1, 2, 3, 4, 5]);
    for (const phase of curriculum.phases('ja')) expect(phase.title).not.toBe('');
  });

  it('keeps the seed facts: 134217728 for --memory=128m, exit 137, nsenter -t 1', () => {
    const text = (lang: 'ja' | 'en', id: string) => JSON.stringify(curriculum.require(lang, id));
    for (const lang of lessonLanguages) {
      expect(text(lang, 'host-view')).toContain('134217728');
      expect(text(lang, 'host-view')).toContain('137');
      expect(text(lang, 'docker-desktop-vm')).toContain('nsenter -t 1');
      expect(text(lang, 'overlayfs')).toMatch(/lowerdir[\s\S]*upperdir[\s\S]*whiteout/);
    }
  });

  it('gives every step the pieces the tutor renders', () => {
    for (const lang of lessonLanguages) {
      for (const lesson of curriculum.list(lang)) {
        for (const step of lesson.steps) {
          const where = `${lang}/${lesson.id}/${step.id}`;
          expect(step.say.point, where).not.toBe('');
          expect(step.expect.length, where).toBeGreaterThan(0);
          expect(step.hints.answer, where).not.toBe('');
          expect(commandFor(step, 'linux') ?? step.try.sandbox, where).toBeTruthy();
        }
      }
    }
  });

  it('writes the Japanese lessons in Japanese and the English ones in English', () => {
    const kana = /[\u3040-\u30ff]/;
    for (const lesson of curriculum.list('ja')) expect(kana.test(lesson.intro + lesson.steps[0]?.say.point), lesson.id).toBe(true);
    for (const lesson of curriculum.list('en')) expect(kana.test(JSON.stringify(lesson)), lesson.id).toBe(false);
  });

  it('navigates: get, require, step, next', () => {
    expect(curriculum.get('ja', 'overlayfs')?.order).toBe(4);
    expect(curriculum.get('ja', 'no-such-lesson')).toBeUndefined();
    expect(() => curriculum.require('en', 'no-such-lesson')).toThrow(/no lesson "no-such-lesson" in en/);
    expect(curriculum.step('en', 'host-view', 'oom-kill')?.mode).toBe('oneshot');
    expect(curriculum.next('en', 'container-is-a-process')?.id).toBe('host-view');
    expect(curriculum.next('en', curriculum.list('en').at(-1)?.id ?? '')).toBeUndefined();
  });

  it('falls back to the Linux command on Mac and Windows, unless a step has its own', () => {
    const step = curriculum.step('en', 'docker-desktop-vm', 'nsenter-into-vm');
    expect(step && commandFor(step, 'mac')).toContain('--privileged --pid=host');
    const plain = curriculum.step('en', 'container-is-a-process', 'pid-one');
    expect(plain && commandFor(plain, 'windows')).toBe(plain?.try.linux);
  });

  it('plans one short sandbox check per runnable step', () => {
    const plan = planLessonChecks(curriculum);
    const steps = plan.flatMap((l) => l.steps);
    expect(plan).toHaveLength(curriculum.list('ja').length);
    expect(steps.length).toBe(curriculum.list('ja').reduce((n, l) => n + l.steps.length, 0));
    expect(steps.some((s) => s.mode === 'session')).toBe(true);
    for (const s of steps) expect(s.command.length).toBeLessThanOrEqual(500);
  });
});
