import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { appContainers, assertServices, integrationGate, testConfig } from '../helpers/services.js';
import { sensei } from './sensei-process.js';

const gate = await integrationGate();

describe.runIf(gate.run)('sensei run (the CLI contract)', () => {
  const prefix = `t-${randomBytes(4).toString('hex')}`;
  const env = { SENSEI_PREFIX: prefix, SANDBOX_TIMEOUT_MS: '3000', LEARNER_COOLDOWN_MS: '0' };
  beforeAll(() => assertServices(gate.probe));

  it('prints exactly the JSON result and exits 0 whatever the command exit code', async () => {
    const ran = await sensei(['run', '--json', '--', 'echo out; echo err >&2; exit 7'], env);
    expect(ran.code).toBe(0);
    const parsed = JSON.parse(ran.stdout) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(['durationMs', 'exitCode', 'oomKilled', 'stderr', 'stdout', 'timedOut', 'truncated']);
    expect(parsed).toMatchObject({ stdout: 'out\n', stderr: 'err\n', exitCode: 7, timedOut: false, oomKilled: false, truncated: false });
    expect(typeof parsed.durationMs).toBe('number');
    expect(await appContainers(testConfig({ SENSEI_PREFIX: prefix }))).toHaveLength(0);
  });

  it('prints plain output with a footer, in session mode too, and leaves no container behind', async () => {
    const ran = await sensei(['run', '--mode', 'session', '--learner', 'cli-test', '--', 'echo hello; sleep 999'], env);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toBe('hello\n');
    expect(ran.stderr).toMatch(/\[exit 137 · \d+ ms · timed out\]/);
    expect(await appContainers(testConfig({ SENSEI_PREFIX: prefix }))).toHaveLength(0);
  });

  it('exits non-zero with a clear message when the command cannot be run', async () => {
    const empty = await sensei(['run', '--', '   '], env);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/The command is empty/);

    const noImage = await sensei(['run', '--', 'true'], { ...env, SANDBOX_IMAGE: 'container-sensei/sandbox:does-not-exist' });
    expect(noImage.code).toBe(1);
    expect(noImage.stderr).toMatch(/sandbox image container-sensei\/sandbox:does-not-exist is not on this Docker engine.*npm run image/s);

    const noRedis = await sensei(['run', '--', 'true'], { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(noRedis.code).toBe(1);
    expect(noRedis.stderr).toMatch(/Redis at redis:\/\/127\.0\.0\.1:1 does not answer/);

    const badMode = await sensei(['run', '--mode', 'forever', '--', 'true'], env);
    expect(badMode.code).toBe(2);
    expect(badMode.stderr).toMatch(/--mode must be one of: oneshot, session/);

    const badSetting = await sensei(['run', '--', 'true'], { ...env, SANDBOX_MEMORY_MB: 'lots' });
    expect(badSetting.code).toBe(1);
    expect(badSetting.stderr).toMatch(/SANDBOX_MEMORY_MB="lots"/);
  }, 90_000);
});
