import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sensei, type Ran } from '../cli/sensei-process.js';
import { appContainers, assertServices, integrationGate, removeAppContainers, testConfig } from '../helpers/services.js';

const gate = await integrationGate();

function chat(args: string[], lines: string[], env: Record<string, string>): Promise<Ran> {
  return sensei(['chat', ...args], env, `${lines.join('\n')}\n`);
}

/** A scripted learner typing into `sensei chat`, through the real queue and sandbox. */
describe.runIf(gate.run)('sensei chat (console end to end)', () => {
  const prefix = `t-${randomBytes(4).toString('hex')}`;
  const env = { SENSEI_PREFIX: prefix, LEARNER_COOLDOWN_MS: '0', POOL_SIZE: '1' };
  beforeAll(() => assertServices(gate.probe));
  // The learners' lab containers are theirs to keep; the test removes them when it is done.
  afterAll(() => removeAppContainers(testConfig({ SENSEI_PREFIX: prefix })));

  it('walks through the first lesson in English', async () => {
    const { code, stdout, stderr } = await chat(
      ['--lang', 'en', '--learner', 'console-en'],
      ['/lessons', '/start container-is-a-process', '/run', '/next', '$ ls -l /proc/self/ns', '/hint', '/progress', "I'm on a Mac", '/start no-such-lesson', '/dance', '/quit'],
      env,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // Each line typed is echoed before its reply, so the transcript reads like a chat.
    expect(stdout).toContain('> /start container-is-a-process');
    expect(stdout).toContain('container-is-a-process');
    expect(stdout).toContain('┌ [your sandbox] $ ps aux');
    expect(stdout).toMatch(/docker-init/);
    expect(stdout).toContain('┌ [your sandbox] $ ls -l /proc/self/ns');
    expect(stdout).toMatch(/pid -> pid:\[\d+\]/);
    expect(stdout).toMatch(/[█░]{20} \d+\/\d+/);
    expect(stdout).toMatch(/\[\d\] /);
    expect(stdout).not.toMatch(/[\u3040-\u30ff]{4}/);
    expect(await appContainers(testConfig({ SENSEI_PREFIX: prefix }))).toHaveLength(0);
  }, 90_000);

  it('speaks Japanese first, and resumes after a restart', async () => {
    const first = await chat(['--learner', 'console-ja'], ['/start host-view', '/run', '/next', '/quit'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/[\u3040-\u30ff]/);
    const second = await chat(['--learner', 'console-ja'], ['/progress', '/quit'], env);
    expect(second.code).toBe(0);
    // The learner is still in host-view, on step 2.
    expect(second.stdout).toMatch(/host-view|ホスト/);
    expect(second.stdout).toMatch(/2\s*\/\s*\d|ステップ\s*2/);
  }, 90_000);

  it('numbers the choices so typing a number presses one', async () => {
    const { stdout } = await chat(['--lang', 'en', '--learner', 'console-num'], ['/start container-is-a-process', '1', '/quit'], env);
    // Choice 1 after a step is "Run this": the step's command runs.
    expect(stdout).toContain('┌ [your sandbox] $ ps aux');
  }, 60_000);
});

describe.runIf(gate.run)('all of Phase 1 in the console', () => {
  beforeAll(() => assertServices(gate.probe));

  it.each(['ja', 'en'] as const)('a new learner finishes every Phase 1 lesson (%s)', async (lang) => {
    const { loadCurriculum } = await import('../../src/lessons/index.js');
    const { LESSONS_DIR } = await import('../../src/app.js');
    const curriculum = await loadCurriculum(LESSONS_DIR);
    const phase1 = curriculum.list(lang).filter((l) => l.phase.number === 1);
    expect(phase1.length).toBe(5);
    const lines = phase1.flatMap((lesson) => [`/start ${lesson.id}`, ...lesson.steps.flatMap(() => ['/run', '/next'])]);
    const prefix = `t-${randomBytes(4).toString('hex')}`;
    const { code, stdout } = await chat(['--lang', lang, '--learner', `phase1-${lang}`], [...lines, '/progress', '/quit'], {
      SENSEI_PREFIX: prefix,
      LEARNER_COOLDOWN_MS: '0',
      POOL_SIZE: '2',
      // The OOM step pushes 300 MB through a pipe: seconds on a quiet machine, more on a busy one.
      SANDBOX_TIMEOUT_MS: '30000',
    });
    await removeAppContainers(testConfig({ SENSEI_PREFIX: prefix }));
    expect(code).toBe(0);
    // Every lesson ends with its outro, and the progress bar of Phase 1 is full.
    for (const lesson of phase1) expect(stdout).toContain(lesson.outro.trim().split('\n')[0]!);
    expect(stdout).toMatch(/█{20} 5\/5/);
  }, 400_000);
});
