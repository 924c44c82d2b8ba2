// The bot end to end: the real discord.js client against the fake Discord, the real tutor, queue, worker and
// sandbox behind it. Outside CI a missing Redis/Docker skips the suite; under CI=true it fails.

import { ChannelType, PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { checkPermissionsAtStartup, startDiscordBot } from '../../src/discord/bot.js';
import { decodeCustomId } from '../../src/discord/custom-id.js';
import { runDiscordBot } from '../../src/discord/main.js';
import { silentLogger } from '../../src/log.js';
import { learnerIdFor } from '../../src/discord/router.js';
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_LEARNER_PERMISSIONS, startFakeDiscord, type RecordedCall } from '../fake-discord/fake-discord.js';
import type { JsonObject } from '../fake-discord/json.js';
import { integrationGate } from '../helpers/services.js';
import {
  bodyOf,
  contentOf,
  customIdsOf,
  e2eSuite,
  LESSON,
  messageCalls,
  originalPath,
  run,
  startLesson,
  stringOption,
  subcommand,
  waitFor,
} from './harness.js';

const gate = await integrationGate();
const TWO_LEARNERS = { learners: [{ username: 'alice' }, { username: 'bob' }] };

describe.runIf(gate.run)('Discord bot end to end', () => {
  const suite = e2eSuite(gate);
  const world = suite.world;

  function expectNoMentionsAnywhere(calls: RecordedCall[]): void {
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(bodyOf(call)['allowed_mentions'], `${call.method} ${call.path}`).toEqual({ parse: [] });
      expect(contentOf(call)).not.toMatch(/@everyone|@here|<@!?\d|<@&\d|\u202E/);
    }
  }

  it('/lesson start opens a private thread for the learner, posts the first step there, and reuses it', async () => {
    const w = await world();
    const { fake } = w;
    const learner = fake.learnerIds[0]!;
    const { token, threadId, step } = await startLesson(w);

    const callback = fake.calls.find((c) => c.path.endsWith(`/${token}/callback`));
    expect(bodyOf(callback!)).toMatchObject({ type: 5, data: { flags: 64 } });
    const create = fake.calls.find((c) => c.method === 'POST' && c.path === `/channels/${fake.channelId('lessons')}/threads`);
    expect(bodyOf(create!)).toMatchObject({ type: ChannelType.PrivateThread, invitable: false });
    expect(fake.threadMemberIds(threadId)).toContain(learner);
    expect(contentOf(step)).toContain('ps aux');
    expect(bodyOf(step)['allowed_mentions']).toEqual({ parse: [] });
    for (const customId of customIdsOf(step)) {
      const decoded = decodeCustomId(customId);
      expect(decoded.ok && decoded.data.learnerId).toBe(learner);
    }
    expect(await w.bot.store.threadOf(learner, fake.guildId)).toBe(threadId);

    // A second start (from inside the thread, even) uses the same thread, and posts no pointer to itself there.
    const again = await startLesson(w, undefined, threadId);
    expect(again.threadId).toBe(threadId);
    expect(again.step).not.toBe(step);
    expect(fake.threads()).toHaveLength(1);
    const answers = fake.calls.filter((c) => c.path === originalPath(fake, again.token) && c.method !== 'GET');
    expect(answers.map((c) => c.method)).toEqual(['DELETE']);
    expect(messageCalls(fake).filter((c) => /👉/.test(contentOf(c)))).toHaveLength(1);
  });

  it('/run defers at once, shows its status, then edits in the real output and the explanation', async () => {
    // A status is shown once a command takes a while (1 s); here at once, so a quick command shows it too.
    const w = await world({}, { runStatusGraceMs: 0 });
    const { fake } = w;
    const { id, token, edits } = await run(w, 'echo hello-from-the-sandbox');
    const callbackIndex = fake.calls.findIndex((c) => c.path === `/interactions/${id}/${token}/callback`);
    const firstEdit = fake.calls.indexOf(edits[0]!);
    expect(callbackIndex).toBeGreaterThanOrEqual(0);
    expect(callbackIndex).toBeLessThan(firstEdit);
    const deferral = bodyOf(fake.calls[callbackIndex]!);
    expect(deferral['type']).toBe(5);
    expect(((deferral['data'] as { flags?: number } | undefined)?.flags ?? 0) & 64).toBe(0); // public: the output is for the channel
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(contentOf(edits[0]!)).toMatch(/実行中|順番待ち/);
    const final = contentOf(edits.at(-1)!);
    expect(final).toContain('$ echo hello-from-the-sandbox');
    expect(final).toContain('hello-from-the-sandbox\n```');
    // Tutor prose comes with the output (in the same message or a follow-up).
    const followUps = fake.calls.filter((c) => c.method === 'POST' && c.path === `/webhooks/${fake.appId}/${token}`);
    const everything = [final, ...followUps.map(contentOf)].join('\n');
    expect(everything.replace(/```[\s\S]*?```/g, '').replace(/-# .*/g, '').trim().length).toBeGreaterThan(20);
  });

  it('runs the lab through /run, and /where host shows the host view of the learner\'s own containers', async () => {
    const w = await world();
    const { fake } = w;
    const started = await run(w, 'docker run -d --name discord-lab alpine sleep 4242');
    expect(contentOf(started.edits.at(-1)!)).toMatch(/[0-9a-f]{64}/);
    const { token } = fake.interaction({ kind: 'command', name: 'where', options: [stringOption('place', 'host')] });
    await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, token), 20_000);
    const ps = await run(w, 'ps aux | grep "sleep 4242"');
    expect(contentOf(ps.edits.at(-1)!)).toMatch(/\d+ .*sleep 4242/);
    const removed = await run(w, 'docker rm -f discord-lab');
    expect(contentOf(removed.edits.at(-1)!)).toContain('discord-lab');
  });

  it('neutralises mentions, code fences and U+202E in output; allowed_mentions is always empty', async () => {
    const w = await world();
    const { fake } = w;
    const mentions = await run(w, "printf '@everyone <@123> <@&123> @here\\n'");
    expect(contentOf(mentions.edits.at(-1)!)).toContain('@\u200Beveryone <\u200B@123> <\u200B@&123> @\u200Bhere');
    const { token } = await run(w, "printf '\\140\\140\\140\\n@everyone\\n\\342\\200\\256evil\\n'");
    const final = fake.calls.filter((c) => c.method === 'PATCH' && c.path === originalPath(fake, token)).at(-1)!;
    expect(final.files.map((f) => f.name)).toEqual(['stdout.txt']);
    expect(final.files[0]!.data.toString('utf8')).toContain('\u202Eevil');
    expect(contentOf(final).split('```').length).toBe(3); // only the prompt's own code block
    expectNoMentionsAnywhere(messageCalls(fake));
  });

  it('sends long output as an attachment', async () => {
    const w = await world();
    const { fake } = w;
    const { token } = await run(w, 'seq 1 500');
    const withFile = fake.calls.find((c) => c.path.includes(token) && c.files.length > 0);
    expect(withFile?.files[0]?.name).toBe('stdout.txt');
    expect(withFile?.files[0]?.data.toString('utf8').trim().split('\n')).toHaveLength(500);
    expect(contentOf(withFile!)).not.toContain('\n500\n');
  });

  it('routes buttons after the bot restarts, and only for the learner they belong to', async () => {
    const w = await world(TWO_LEARNERS);
    const { fake } = w;
    const [alice, bob] = fake.learnerIds as [string, string];
    const { threadId, step } = await startLesson(w, alice);
    const messageId = (step.response as { id: string }).id;
    const runId = customIdsOf(step).find((id) => id.startsWith('cs1:run:'));
    expect(runId).toBeDefined();

    await w.restartBot();

    const stranger = fake.interaction({ kind: 'button', customId: runId!, messageId, channelId: threadId, userId: bob });
    const refused = await fake.waitForCall((c) => c.path.endsWith(`/${stranger.token}/callback`));
    expect(bodyOf(refused)).toMatchObject({ type: 4, data: { flags: 64, allowed_mentions: { parse: [] } } });
    expect(String((bodyOf(refused)['data'] as { content: string }).content)).toContain('別の学習者');

    const pressed = fake.interaction({ kind: 'button', customId: runId!, messageId, channelId: threadId, userId: alice });
    const result = await fake.waitForCall(
      (c) => c.method === 'PATCH' && c.path === originalPath(fake, pressed.token) && /```console\n\$ ps aux/.test(contentOf(c)),
      30_000,
    );
    expect(contentOf(result)).toMatch(/PID/);
  });

  it('/forget asks first, then deletes everything stored about the caller', async () => {
    const w = await world();
    const { fake } = w;
    const learner = fake.learnerIds[0]!;
    const { threadId } = await startLesson(w);
    const redis = suite.services.redis;
    const prefix = suite.services.config.SENSEI_PREFIX;
    expect(await redis.exists(`${prefix}:learner:${learnerIdFor(learner)}`)).toBe(1);

    const ask = fake.interaction({ kind: 'command', name: 'forget' });
    const question = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, ask.token), 10_000);
    const [yes, no] = customIdsOf(question);
    expect(yes).toMatch(/^cs1:forget:/);
    expect(no).toMatch(/^cs1:keep:/);
    expect(await redis.exists(`${prefix}:learner:${learnerIdFor(learner)}`)).toBe(1); // nothing gone yet

    const questionId = (question.response as { id: string }).id;
    const confirm = fake.interaction({ kind: 'button', customId: yes!, messageId: questionId });
    const done = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, confirm.token), 10_000);
    expect(bodyOf(fake.calls.find((c) => c.path.endsWith(`/${confirm.token}/callback`))!)).toMatchObject({ type: 6 });
    expect(customIdsOf(done)).toEqual([]);
    expect(contentOf(done).length).toBeGreaterThan(0);
    expect(await redis.exists(`${prefix}:learner:${learnerIdFor(learner)}`)).toBe(0);
    expect(await redis.exists(`${prefix}:discord:threads:${learner}`)).toBe(0);
    expect(await redis.exists(`${prefix}:discord:thread-owner:${threadId}`)).toBe(0);
  });

  it('says exactly which permission is missing instead of failing', async () => {
    const w = await world({ botPermissions: DEFAULT_BOT_PERMISSIONS & ~PermissionFlagsBits.CreatePrivateThreads });
    const { fake } = w;
    const { token } = fake.interaction({ kind: 'command', name: 'lesson', options: subcommand('start', [stringOption('id', LESSON)]) });
    const reply = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, token), 10_000);
    expect(contentOf(reply)).toContain('プライベートスレッドの作成');
    expect(contentOf(reply)).not.toContain('スレッドでメッセージを送信');
    expect(fake.calls.some((c) => c.path.endsWith('/threads'))).toBe(false);
    const atStartup = await checkPermissionsAtStartup(w.bot.client, w.bot.store, silentLogger);
    expect(atStartup.get(fake.channelId('lessons'))).toEqual(['CreatePrivateThreads']);

    const { token: enToken } = fake.interaction({ kind: 'command', name: 'lesson', locale: 'en-US', options: subcommand('start', [stringOption('id', LESSON)]) });
    const en = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, enToken), 10_000);
    expect(contentOf(en)).toContain('Create Private Threads');
  });

  it('keeps learners to allowed channels and applies the guild cooldown', async () => {
    const w = await world({ channels: [{ name: 'lessons' }, { name: 'general' }] });
    const { fake } = w;
    const admin = fake.interaction({
      kind: 'command',
      name: 'sensei-admin',
      options: subcommand('allow-channel', [{ type: 7, name: 'channel', value: fake.channelId('lessons') }]),
    });
    const notAdmin = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, admin.token), 10_000);
    expect(contentOf(notAdmin)).toContain('サーバー管理'); // learners lack Manage Server
    await w.bot.store.allowChannel(fake.guildId, fake.channelId('lessons'));
    await w.bot.store.setCooldownSeconds(fake.guildId, 60);

    const elsewhere = fake.interaction({ kind: 'command', name: 'run', options: [stringOption('command', 'id')], channelId: fake.channelId('general') });
    const refusal = await fake.waitForCall((c) => c.method === 'POST' && c.path === `/webhooks/${fake.appId}/${elsewhere.token}`, 10_000);
    expect(contentOf(refusal)).toContain(`<#${fake.channelId('lessons')}>`);
    expect(bodyOf(refusal)['flags']).toBe(64);

    await run(w, 'id');
    const second = fake.interaction({ kind: 'command', name: 'run', options: [stringOption('command', 'id')] });
    const wait = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, second.token) && /秒/.test(contentOf(c)), 10_000);
    expect(contentOf(wait)).toMatch(/あと \d+ 秒/);
  });

  it('answers in place in a DM, where there are no threads', async () => {
    const w = await world();
    const { fake } = w;
    const { token } = fake.interaction({ kind: 'command', name: 'lesson', dm: true, locale: 'en-US', options: subcommand('start', [stringOption('id', LESSON)]) });
    const reply = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, token), 10_000);
    expect(contentOf(reply)).toContain('ps aux');
    expect(customIdsOf(reply).some((id) => id.startsWith('cs1:run:'))).toBe(true);
    expect(bodyOf(fake.calls.find((c) => c.path.endsWith(`/${token}/callback`))!)).toMatchObject({ type: 5 });
    expect(fake.threads()).toEqual([]);
  });

  it('lets a running command deliver its result when the bot is closed', async () => {
    const w = await world();
    const { fake } = w;
    const { token } = fake.interaction({ kind: 'command', name: 'run', options: [stringOption('command', 'sleep 1; echo drained')] });
    await fake.waitForCall((c) => c.path.endsWith(`/${token}/callback`), 5_000);
    await w.bot.close();
    expect(fake.calls.some((c) => c.method === 'PATCH' && c.path === originalPath(fake, token) && contentOf(c).includes('drained\n```'))).toBe(true);
    w.bot = await startDiscordBot({ ...suite.services.config, DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase }, silentLogger, { tutorApp: suite.services.app });
  });

  it('/sensei-admin changes the allowlist and cooldown for members with Manage Server', async () => {
    const w = await world({ learnerPermissions: DEFAULT_LEARNER_PERMISSIONS | PermissionFlagsBits.ManageGuild });
    const { fake } = w;
    const admin = async (options: JsonObject[]): Promise<string> => {
      const { token } = fake.interaction({ kind: 'command', name: 'sensei-admin', options });
      return contentOf(await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, token), 10_000));
    };
    const lessons = fake.channelId('lessons');
    expect(await admin(subcommand('allow-channel', [{ type: 7, name: 'channel', value: lessons }]))).toContain(`<#${lessons}>`);
    expect(await admin(subcommand('cooldown', [{ type: 4, name: 'seconds', value: 30 }]))).toContain('30 秒');
    expect(await w.bot.store.allowedChannels(fake.guildId)).toEqual([lessons]);
    expect(await w.bot.store.cooldownSeconds(fake.guildId)).toBe(30);
    const settings = await admin(subcommand('settings'));
    expect(settings).toContain(`<#${lessons}>`);
    expect(settings).toContain('すべてそろっています');
    expect(await admin(subcommand('disallow-channel', [{ type: 7, name: 'channel', value: lessons }]))).toContain(`<#${lessons}>`);
    expect(await w.bot.store.allowedChannels(fake.guildId)).toEqual([]);
  });

  it('waits no longer than the interaction token lives: late results go to the channel', async () => {
    const w = await world({}, { interactionTtlMs: 1 });
    const { fake } = w;
    fake.interaction({ kind: 'command', name: 'run', options: [stringOption('command', 'echo late-result')] });
    const posted = await fake.waitForCall(
      (c) => c.method === 'POST' && c.path === `/channels/${fake.channelId('lessons')}/messages` && contentOf(c).includes('late-result\n```'),
      30_000,
    );
    expect(bodyOf(posted)['allowed_mentions']).toEqual({ parse: [] });
    await waitFor('no edits after expiry', () => true);
  });

  it('runDiscordBot (sensei bot / sensei start) serves until stopped, then closes cleanly', async () => {
    const fake = await startFakeDiscord();
    try {
      const config = { ...suite.services.config, DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase };
      const stop = new AbortController();
      const running = runDiscordBot(config, silentLogger, { signal: stop.signal });
      await fake.waitForIdentify(10_000);
      await waitFor('ready', () => fake.calls.length > 0 && fake.gatewayFrames.length > 0);
      let answered: RecordedCall | undefined;
      for (let attempt = 0; attempt < 50 && !answered; attempt++) {
        const { token } = fake.interaction({ kind: 'command', name: 'lesson', options: subcommand('list') });
        answered = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, token), 2_000).catch(() => undefined);
      }
      expect(contentOf(answered!)).toContain(LESSON);
      stop.abort();
      await expect(running).resolves.toBe(0);
    } finally {
      await fake.close();
    }
  });
});
