// An admin's settings mistakes (no token, a wrong token) as the bot's processes meet them: one clear message
// that says where to fix it, no usage text and no stack trace; under a supervisor the process waits instead
// of exiting into a restart loop. `doctor` names the token and knows the bot has no Docker engine by design.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/fake-discord.js';
import { createRedis } from '../../src/store/redis.js';
import { EngineRegistry } from '../../src/store/engine-registry.js';
import { hashLearnerId, logSalt } from '../../src/log.js';
import { assertServices, eventually, integrationGate, testConfig } from '../helpers/services.js';
import { sensei, startSensei, type Ran } from './sensei-process.js';

const gate = await integrationGate();
const NO_TOKEN = { DISCORD_TOKEN: '', DISCORD_APP_ID: '' };

function expectOneKindMessage(ran: Ran, pattern: RegExp): void {
  expect(ran.stderr).toMatch(pattern);
  expect(ran.stderr).toMatch(/Set it in \.env/);
  expect(ran.stderr).not.toMatch(/Usage:|\n\s+at /);
  expect(ran.stderr.split(pattern).length).toBe(2);
}

describe('settings errors of the bot, without any service', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'sensei-settings-'))));
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('`bot` and `deploy-commands` without DISCORD_TOKEN: exit 1 with one message that says where to set it', async () => {
    for (const args of [['bot'], ['deploy-commands']]) {
      const ran = await sensei(args, NO_TOKEN);
      expect(ran.code, args[0]).toBe(1);
      expectOneKindMessage(ran, /DISCORD_TOKEN is not set/);
    }
  }, 30_000);

  it('`bot --supervised` says it once, then waits unready (no restart loop) until SIGTERM', async () => {
    const readyFile = join(dir, 'ready');
    await writeFile(readyFile, 'left by the last run\n');
    const bot = startSensei(['bot', '--supervised', '--ready-file', readyFile], NO_TOKEN);
    await eventually(async () => /waiting instead of exiting/.test(bot.output().stderr), 20_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(bot.child.exitCode).toBeNull();
    expect(existsSync(readyFile)).toBe(false);
    bot.child.kill('SIGTERM');
    const ran = await bot.exited;
    expect(ran.code).toBe(1);
    expectOneKindMessage(ran, /DISCORD_TOKEN is not set/);
  }, 30_000);
});

describe.runIf(gate.run)('settings errors against a fake Discord and the real Redis', () => {
  let fake: FakeDiscord;
  let dir: string;
  const prefix = `t-${randomBytes(4).toString('hex')}`;
  const env = () => ({ SENSEI_PREFIX: prefix, SENSEI_INLINE_WORKER: 'false', DISCORD_API_BASE: fake.apiBase, DISCORD_APP_ID: fake.appId });
  beforeAll(async () => {
    assertServices(gate.probe);
    fake = await startFakeDiscord();
    dir = await mkdtemp(join(tmpdir(), 'sensei-settings-'));
  });
  afterAll(async () => {
    await fake?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a wrong token: deploy-commands and the bot say Discord refused it, without a stack trace', async () => {
    const wrong = { ...env(), DISCORD_TOKEN: `${fake.token}x` };
    const deploy = await sensei(['deploy-commands'], wrong);
    expect(deploy.code).toBe(1);
    expectOneKindMessage(deploy, /Discord refused DISCORD_TOKEN/);
    const bot = await sensei(['bot'], wrong);
    expect(bot.code).toBe(1);
    expectOneKindMessage(bot, /Discord refused DISCORD_TOKEN/);
  }, 60_000);

  it('the right token: the ready file appears once the bot is logged in, and goes when it stops', async () => {
    const readyFile = join(dir, 'ready');
    const bot = startSensei(['bot', '--supervised', '--ready-file', readyFile], { ...env(), DISCORD_TOKEN: fake.token });
    await eventually(async () => existsSync(readyFile), 30_000);
    expect(fake.gatewayFrames.some((f) => f.op === 2)).toBe(true);
    bot.child.kill('SIGTERM');
    expect((await bot.exited).code).toBe(0);
    expect(existsSync(readyFile)).toBe(false);
  }, 60_000);

  it('doctor in the bot (no Docker, no inline worker): names the missing token, says Docker is not needed here, hashes learner ids', async () => {
    const config = testConfig({ SENSEI_PREFIX: prefix });
    const redis = createRedis(config.REDIS_URL, 'producer');
    const registry = new EngineRegistry(redis, prefix, 60_000);
    const learner = 'discord-1577119855008677892';
    try {
      await registry.beat({ name: `engine-${prefix}`, labels: {}, capacity: 10, containers: 0, version: 'test' });
      await registry.place(learner, { aliveMs: 60_000 });
      const ran = await sensei(['doctor'], { ...env(), ...NO_TOKEN, DOCKER_HOST: '', DOCKER_SOCKET: join(dir, 'no-docker.sock') });
      expect(ran.code).toBe(1);
      expect(ran.stdout).toMatch(/^FAIL  discord: DISCORD_TOKEN is not set.*\.env/m);
      expect(ran.stdout).toMatch(/^ok    docker: none in this process, as intended/m);
      expect(ran.stdout).not.toMatch(/systemctl/);
      expect(ran.stdout).not.toContain(learner);
      expect(ran.stdout).toContain(hashLearnerId(learner, logSalt(config)));
    } finally {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  }, 60_000);
});
