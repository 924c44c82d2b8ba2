import { learnerIdFor } from '../../src/discord/messages.js';
// Talking to the bot by typing, end to end: the real discord.js client against the fake Discord, with and
// without the Message Content intent, plus the slips a new user met (private answers in someone's thread,
// /forget in the learner's language, where a command runs) and short replies with "More" and /style.

import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../../src/log.js';
import { DEFAULT_LEARNER_PERMISSIONS, type RecordedCall } from '../fake-discord/fake-discord.js';
import { integrationGate } from '../helpers/services.js';
import {
  bodyOf,
  command,
  contentOf,
  customIdsOf,
  e2eSuite,
  originalPath,
  postsIn,
  run,
  startLesson,
  stringOption,
  waitFor,
} from './harness.js';

const gate = await integrationGate();
const TWO_LEARNERS = { learners: [{ username: 'alice' }, { username: 'bob' }] };
/** Lesson 1 step 1's background, which a short reply keeps behind "More". */
const BACKGROUND = 'ごく普通のプロセスにすぎない';

/** A logger that keeps warnings, to see what admins are told. */
function recordingLogger(): { log: Logger; warnings: string[] } {
  const warnings: string[] = [];
  return { log: { ...createLogger('silent'), warn: (msg: string) => void warnings.push(msg) }, warnings };
}

/** Tutor text of a message: without code blocks and small notes. */
function proseOf(call: RecordedCall): string {
  return contentOf(call).replace(/```[\s\S]*?```/g, '').replace(/^-# .*$/gm, '').trim();
}

describe.runIf(gate.run)('Discord: typing, private answers and short replies', () => {
  const suite = e2eSuite(gate);
  const world = suite.world;

  it('runs what the learner types in their thread, each reply its own message, a paste line by line in order', async () => {
    const w = await world();
    const { fake } = w;
    expect(w.bot.commandNames.canType).toBe(true);
    const { threadId, step } = await startLesson(w);
    expect(contentOf(step)).not.toContain('/run command:');

    const from = fake.calls.length;
    fake.message({ content: 'echo typed-hello', channelId: threadId });
    const reply = await fake.waitForCall((c) => fake.calls.indexOf(c) >= from && c.path === `/channels/${threadId}/messages` && contentOf(c).includes('typed-hello\n```'), 30_000);
    expect(bodyOf(reply)['allowed_mentions']).toEqual({ parse: [] });
    expect(fake.calls.slice(from).some((c) => c.method === 'POST' && c.path === `/channels/${threadId}/typing`)).toBe(true);

    const pasted = fake.calls.length;
    fake.message({ content: 'echo paste-one\necho paste-two\n\necho paste-three', channelId: threadId });
    const outputs = await waitFor(
      'three replies',
      () => {
        const found = ['one', 'two', 'three'].map((n) => postsIn(fake, threadId, pasted).findIndex((c) => contentOf(c).includes(`paste-${n}\n\`\`\``)));
        return found.every((index) => index >= 0) && found;
      },
      60_000,
    );
    expect(outputs).toEqual([...outputs].sort((a, b) => a - b));
    expect(new Set(outputs).size).toBe(3);

    // In a DM with the bot there is no thread: what the learner types is theirs all the same.
    const { channelId: dm } = fake.message({ content: '$ echo typed-in-a-dm', dm: true });
    await fake.waitForCall((c) => c.path === `/channels/${dm}/messages` && contentOf(c).includes('typed-in-a-dm\n```'), 30_000);
  });

  it('never runs another member’s messages or posts their /run in a learner’s thread; they hear it privately', async () => {
    const w = await world(TWO_LEARNERS);
    const { fake } = w;
    const [alice, bob] = fake.learnerIds as [string, string];
    const { threadId } = await startLesson(w, alice);
    const from = fake.calls.length;

    fake.message({ content: '$ echo from-bob', channelId: threadId, userId: bob });
    const pointer = await fake.waitForCall((c) => fake.calls.indexOf(c) >= from && c.path === `/channels/${threadId}/messages` && contentOf(c).includes('/lesson start'));
    expect(bodyOf(pointer)['message_reference']).toBeDefined();
    fake.message({ content: '$ echo from-bob-again', channelId: threadId, userId: bob });

    const { token, edits } = await run(w, 'echo bob-private', { channelId: threadId, userId: bob });
    const deferral = fake.calls.find((c) => c.path.endsWith(`/${token}/callback`))!;
    expect(bodyOf(deferral)).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(contentOf(edits.at(-1)!)).toContain('bob-private\n```');
    const hint = await command(w, 'hint', [], { channelId: threadId, userId: bob });
    expect(bodyOf(hint.deferral)).toMatchObject({ type: 5, data: { flags: 64 } });

    await new Promise((resolve) => setTimeout(resolve, 300));
    const inThread = postsIn(fake, threadId, from);
    expect(inThread).toEqual([pointer]); // one pointer, nothing of Bob's run, no second pointer
    expect(fake.calls.some((c) => c.method === 'POST' && c.path === `/webhooks/${fake.appId}/${token}` && !(bodyOf(c)['flags'] === 64))).toBe(false);
  });

  it('a member with a thread of their own who writes in another learner’s thread is pointed at theirs', async () => {
    const w = await world(TWO_LEARNERS);
    const { fake } = w;
    const [alice, bob] = fake.learnerIds as [string, string];
    const { threadId } = await startLesson(w, alice);
    const own = await startLesson(w, bob);
    expect(own.threadId).not.toBe(threadId);
    const from = fake.calls.length;
    fake.message({ content: '$ echo from-bob', channelId: threadId, userId: bob });
    const pointer = await fake.waitForCall((c) => fake.calls.indexOf(c) >= from && c.path === `/channels/${threadId}/messages`);
    expect(contentOf(pointer)).toContain(`<#${own.threadId}>`);
    expect(contentOf(pointer)).not.toContain('/lesson start');
  });

  it('without the Message Content intent: still logs in, steps name /run, the learner and the admins hear once', async () => {
    const { log, warnings } = recordingLogger();
    const w = await world({ privilegedIntents: { messageContent: false }, learnerPermissions: DEFAULT_LEARNER_PERMISSIONS | PermissionFlagsBits.ManageGuild }, {}, log);
    const { fake } = w;
    expect(w.bot.commandNames.canType).toBe(false);
    expect(warnings.some((m) => m.includes('Privileged Gateway Intents') && m.includes('Message Content'))).toBe(true);

    const { token, threadId, step } = await startLesson(w);
    expect(contentOf(step)).toContain('`/run command:ps aux`');
    // The learner here may manage the server: their first command brings the admin's note, privately, once.
    const note = await fake.waitForCall((c) => c.method === 'POST' && c.path === `/webhooks/${fake.appId}/${token}` && contentOf(c).includes('Message Content'));
    expect(bodyOf(note)['flags']).toBe(64);
    const settings = await command(w, 'sensei-admin', [{ type: 1, name: 'settings', options: [] }]);
    expect(contentOf(settings.reply)).toContain('Message Content Intent');
    expect(fake.calls.filter((c) => c.path.startsWith(`/webhooks/${fake.appId}/`) && c.method === 'POST' && contentOf(c).includes('Privileged Gateway Intents'))).toHaveLength(1);

    const from = fake.calls.length;
    fake.message({ content: 'ps aux', channelId: threadId });
    const pointer = await fake.waitForCall((c) => fake.calls.indexOf(c) >= from && c.path === `/channels/${threadId}/messages`, 10_000);
    expect(contentOf(pointer)).toContain('/run command:ps aux');
    fake.message({ content: 'ps aux', channelId: threadId });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(postsIn(fake, threadId, from)).toEqual([pointer]);
    expect(warnings.filter((m) => m.includes(fake.guildId))).toHaveLength(1);

    // /run works all the same.
    const ran = await run(w, 'ps aux', { channelId: threadId });
    expect(contentOf(ran.edits.at(-1)!)).toMatch(/PID/);
  });

  it('/forget → Keep answers in the learner’s language', async () => {
    const w = await world();
    const { fake } = w;
    await command(w, 'language', [stringOption('lang', 'en')]);
    const { reply: question } = await command(w, 'forget');
    expect(contentOf(question)).toContain('Really delete?');
    const keep = customIdsOf(question).find((id) => id.startsWith('cs1:keep:'))!;
    const pressed = fake.interaction({ kind: 'button', customId: keep, messageId: (question.response as { id: string }).id });
    const kept = await fake.waitForCall((c) => c.path.endsWith(`/${pressed.token}/callback`));
    expect(bodyOf(kept)).toMatchObject({ type: 7, data: { content: 'Nothing was deleted. Glad you are staying!' } });
  });

  it('says where a command runs (the host view), and shows no place in line when nobody waits', async () => {
    // A status is shown once a command takes a while (1 s); here at once, so a quick command shows it too.
    const w = await world({}, { runStatusGraceMs: 0 });
    await command(w, 'where', [stringOption('place', 'host')]);
    const { edits } = await run(w, 'ps aux | grep "sleep 1"');
    expect(edits.map(contentOf).join('\n')).not.toMatch(/サンドボックスで実行中|順番待ち/);
    expect(contentOf(edits[0]!)).toContain('ホスト側から見て実行中');
    await command(w, 'where', [stringOption('place', 'sandbox')]);
    const inSandbox = await run(w, 'echo back-in-the-sandbox');
    expect(contentOf(inSandbox.edits[0]!)).toContain('サンドボックスで実行中');
  });

  it('replies short by default with a More button for background and tip; /style detailed is remembered', async () => {
    const w = await world();
    const { fake } = w;
    const learner = fake.learnerIds[0]!;
    const { threadId, step } = await startLesson(w);
    const runButton = customIdsOf(step).find((id) => id.startsWith('cs1:run:'))!;
    const pressRun = async (): Promise<RecordedCall> => {
      const { token } = fake.interaction({ kind: 'button', customId: runButton, messageId: (step.response as { id: string }).id, channelId: threadId });
      await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, token) && /```console/.test(contentOf(c)), 30_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const all = fake.calls.filter((c) => c.path === originalPath(fake, token) || c.path === `/webhooks/${fake.appId}/${token}`);
      return all.at(-1)!;
    };

    const short = await pressRun();
    expect(contentOf(short)).not.toContain(BACKGROUND);
    expect(proseOf(short).length).toBeLessThanOrEqual(600);
    const more = customIdsOf(short).find((id) => id.startsWith('cs1:more:'))!;
    expect(more).toBeDefined();
    const pressed = fake.interaction({ kind: 'button', customId: more, messageId: (short.response as { id: string }).id, channelId: threadId });
    const expanded = await fake.waitForCall((c) => c.path.endsWith(`/${pressed.token}/callback`));
    expect(bodyOf(expanded)['type']).toBe(7);
    expect(JSON.stringify(bodyOf(expanded))).toContain(BACKGROUND);
    expect(JSON.stringify(bodyOf(expanded))).not.toContain('cs1:more:');

    const { reply: style } = await command(w, 'style', [stringOption('style', 'detailed')]);
    expect(contentOf(style)).toContain('詳しく');
    await w.restartBot();
    expect((await suite.services.app.tutor.whereIs(learnerIdFor(learner)))?.state.style).toBe('detailed');
    const detailed = await pressRun();
    const everything = fake.calls.filter((c) => fake.calls.indexOf(c) > fake.calls.indexOf(style) && contentOf(c).includes(BACKGROUND));
    expect(everything.length).toBeGreaterThan(0);
    expect(customIdsOf(detailed).some((id) => id.startsWith('cs1:more:'))).toBe(false);

    // Forgetting the learner takes the style and the kept "More" texts with everything else.
    const userKeys = () => suite.services.redis.keys(`${suite.services.config.SENSEI_PREFIX}:discord:user:${learner}:*`);
    expect((await userKeys()).length).toBeGreaterThanOrEqual(1);
    await w.bot.store.forgetUser(learner);
    expect(await userKeys()).toEqual([]);
  });
});
