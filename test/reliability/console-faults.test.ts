// Findings 10 and 14, through `sensei chat` as a learner uses it: a Redis blip must not end the chat or fill
// the terminal with traces, and a chat killed mid-command must leave no false promise behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChat, type ChatProcess } from '../helpers/chat-process.js';
import { privateRedis, type PrivateRedis } from '../helpers/redis-server.js';
import { assertServices, integrationGate, removeAppContainers, testConfig } from '../helpers/services.js';

const gate = await integrationGate();

/** A learner's terminal should hold the tutor's words only: no Node stack frames, no raw socket errors. */
function expectNoTraces(text: string): void {
  expect(text).not.toMatch(/ECONNREFUSED|MaxRetriesPerRequest|max retries per request/i);
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

describe.runIf(gate.run)('the console chat under faults', () => {
  let redis: PrivateRedis;
  const chats: ChatProcess[] = [];
  const config = testConfig();
  const env = () => ({ REDIS_URL: redis.url, SENSEI_PREFIX: config.SENSEI_PREFIX, LEARNER_COOLDOWN_MS: '0', POOL_SIZE: '0', WORKER_LOCK_MS: '4000' });

  beforeAll(async () => {
    assertServices(gate.probe);
    redis = await privateRedis();
  });
  afterAll(async () => {
    for (const chat of chats) chat.child.kill('SIGKILL');
    await redis?.close();
    await removeAppContainers(config);
  });

  it('answers kindly through a Redis blip and goes on afterwards, then quits promptly', async () => {
    const chat = startChat(['--lang', 'en', '--learner', 'blip'], env());
    chats.push(chat);
    await chat.waitFor(/\S/, 60_000);
    chat.type('$ echo before-the-blip');
    await chat.waitFor(/│ before-the-blip$/m, 90_000);

    await redis.kill();
    chat.type('$ echo during-the-blip');
    // The tutor's own words for an outage, with the progress said to be safe.
    await chat.waitFor(/isn't working properly right now[\s\S]*progress is saved/, 60_000);

    await redis.start();
    chat.type('$ echo after-the-blip');
    await chat.waitFor(/│ after-the-blip$/m, 90_000);
    chat.type('/quit');
    expect(await chat.exited(30_000)).toBe(0);
    expectNoTraces(chat.stdout());
    expectNoTraces(chat.stderr());
  }, 240_000);

  it('killed mid-command, it says on restart that the command was cut off, and the next one runs at once', async () => {
    const first = startChat(['--lang', 'en', '--learner', 'killed'], env());
    chats.push(first);
    await first.waitFor(/\S/, 60_000);
    first.type('$ sleep 6; echo too-late');
    await new Promise((r) => setTimeout(r, 2_500));
    first.child.kill('SIGKILL');
    await first.exited(10_000);

    const second = startChat(['--lang', 'en', '--learner', 'killed'], env());
    chats.push(second);
    // No "still running, I'll answer": that process is gone. It says what happened instead.
    await second.waitFor(/`sleep 6; echo too-late`\) was cut off when the chat closed/, 60_000);
    second.type('$ echo right-away');
    await second.waitFor(/│ right-away$/m, 90_000);
    expect(second.stdout()).not.toMatch(/still running/);
    expect(second.stdout()).not.toMatch(/│ too-late$/m);
    second.type('/quit');
    expect(await second.exited(30_000)).toBe(0);
  }, 240_000);
});
