import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertServices, integrationGate, removeAppContainers, testConfig } from '../helpers/services.js';

const gate = await integrationGate();

/** The README's own piped example, line for line: every line waits for its reply, nothing is refused. */
describe.runIf(gate.run)('the README\'s piped transcript', () => {
  const prefix = `t-${randomBytes(4).toString('hex')}`;
  beforeAll(() => assertServices(gate.probe));
  afterAll(() => removeAppContainers(testConfig({ SENSEI_PREFIX: prefix })));

  it('runs /start 1, /run, an answer to the tutor, "はい", and a pasted pair of commands', async () => {
    const input = '/start 1\n/run\nPID 1 は docker-init でした\nはい\necho one\necho two\n';
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      // The default cooldown and burst, as a learner gets them: the transcript must not be refused.
      const child = spawn(process.execPath, ['bin/sensei.js', 'chat', '--learner', 'readme'], {
        env: { ...process.env, SENSEI_PREFIX: prefix, SENSEI_LOG: 'error', POOL_SIZE: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (c) => resolve({ code: c, stdout: out }));
      child.stdin.end(input);
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/┌ \[サンドボックス\] \$ ps aux/);
    // The answer is heard as an answer (the step's own reply about docker-init), not small talk.
    expect(stdout).toMatch(/> PID 1 は docker-init でした\n`?そのとおり/);
    // "はい" to the offered Next moves on to step 2.
    expect(stdout).toMatch(/> はい\n📍/);
    expect(stdout).toMatch(/│ one\n/);
    expect(stdout).toMatch(/│ two\n/);
    expect(stdout).not.toMatch(/ちょっと連続しすぎた/);
  }, 120_000);
});
