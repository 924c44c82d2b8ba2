// The console's /board and /privacy, as a learner types them into `sensei chat`: the console's learners share
// one pseudo-server, and a name shows on its board only after /privacy show.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChat } from '../helpers/chat-process.js';
import { assertServices, integrationGate, removeAppContainers, testConfig } from '../helpers/services.js';

const gate = await integrationGate();

describe.runIf(gate.run)('the team commands in sensei chat', () => {
  const prefix = `t-${randomBytes(4).toString('hex')}`;
  const config = testConfig({ SENSEI_PREFIX: prefix });
  beforeAll(() => assertServices(gate.probe));
  afterAll(async () => {
    await removeAppContainers(config);
    const redis = new Redis(config.REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('counts the learner on the board, names them only after /privacy show, and drops the name at /privacy hide', async () => {
    const chat = startChat(['--lang', 'en', '--learner', 'console-kai'], { SENSEI_PREFIX: prefix, SENSEI_LOG: 'error', LEARNER_COOLDOWN_MS: '0', POOL_SIZE: '0' });
    for (const line of ['/start container-is-a-process', '/board', '/privacy show', '/board all', '/privacy hide', '/board', '/board year', '/quit']) chat.type(line);
    expect(await chat.exited(60_000)).toBe(0);
    expect(chat.stderr()).toBe('');
    const stdout = chat.stdout();
    const replies = stdout.split(/^> /m);
    const reply = (typed: string, nth = 0) => replies.filter((r) => r.startsWith(`${typed}\n`))[nth] ?? '';
    expect(reply('/board')).toContain('Study board — this week');
    expect(reply('/board')).toContain('1 learner in all');
    expect(reply('/board')).not.toContain('kai');
    expect(reply('/privacy show')).toContain('**kai**');
    expect(reply('/board all')).toContain('Study board — all time');
    expect(reply('/board all')).toContain('kai');
    expect(reply('/board', 1)).not.toContain('kai');
    expect(reply('/board year')).toMatch(/week|month|all/);
  }, 90_000);
});
