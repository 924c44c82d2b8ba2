import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CommandResult, LessonSource } from '../../src/lessons/index.js';

/** A small, valid lesson file; tests break it one way at a time. */
export function lessonYaml(options: { id?: string; title?: string; phase?: string; steps?: string; prerequisites?: string } = {}): string {
  const id = options.id ?? 'first-lesson';
  return `id: ${id}
title: ${options.title ?? 'A first lesson'}
phase:
${options.phase ?? '  number: 1\n  title: Basics'}
summary: What this lesson is about.
prerequisites: ${options.prerequisites ?? '[]'}
intro: Hello there.
outro: See you next time.
steps:
${options.steps ?? STEPS}`;
}

export const STEPS = `  - id: look-around
    title: Look around
    mode: oneshot
    say:
      intro: Let's start.
      point: Processes are listed by ps.
      tip: Try ps aux.
      question: What did you see?
    try:
      linux: |
        # list processes
        docker run --rm alpine ps aux
      sandbox: ps aux
    expect:
      - id: pid-one
        match:
          stdout: '^\\S+\\s+1\\s'
        explain: There is PID 1.
    unexpected:
      - id: no-ps
        match:
          stderr: 'ps: not found'
        explain: ps is missing.
    hints:
      nudge: Use ps.
      stronger: Use ps aux.
      answer: Run ps aux.
  - id: second-step
    title: Second step
    mode: session
    say:
      point: Files live in /tmp.
    try:
      sandbox: ls /tmp
    expect:
      - id: listed
        match:
          exitCode: 0
        explain: It worked.
    hints:
      nudge: Use ls.
      stronger: Use ls /tmp.
      answer: Run ls /tmp.
    quiz:
      - id: where
        question: Where do files live?
        choices: [/tmp, /nowhere]
        answer: /tmp
        explanation: In /tmp.
`;

/** The 1-based line of the first line containing `marker`. */
export function lineOf(text: string, marker: string, from = 0): number {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) if ((lines[i] ?? '').includes(marker)) return i + 1;
  throw new Error(`marker ${JSON.stringify(marker)} not in text`);
}

/** The same lesson in both languages (the English text differs only in words). */
export function bothLanguages(name: string, ja: string, en: string = ja): LessonSource[] {
  return [
    { file: `ja/${name}`, text: ja },
    { file: `en/${name}`, text: en },
  ];
}

const tempDirs: string[] = [];

export async function writeLessonsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sensei-lessons-'));
  tempDirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

export async function removeLessonsDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export function result(partial: Partial<CommandResult> = {}): CommandResult {
  return { stdout: '', stderr: '', exitCode: 0, timedOut: false, oomKilled: false, truncated: false, durationMs: 10, ...partial };
}
