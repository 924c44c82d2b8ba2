// The team features' schedules end to end, by an injected clock: the real discord.js client against the fake
// Discord, two bot processes on one Redis, BullMQ job schedulers repeating fast. The monthly digest is posted
// once per month; the streak reminder reaches each learner who opted in once, in their language (in their
// lesson thread, or a DM for one who studies in DMs), and no one else.

import { describe, expect, it } from 'vitest';
import { startTutorApp, type TutorApp } from '../../src/app.js';
import { startDiscordBot, type DiscordBot } from '../../src/discord/bot.js';
import { discordCommandNames } from '../../src/discord/command-names.js';
import { silentLogger } from '../../src/log.js';
import { localParts, zonedTime } from '../../src/team/time.js';
import type { FakeDiscord, RecordedCall } from '../fake-discord/fake-discord.js';
import type { JsonObject } from '../fake-discord/json.js';
import { integrationGate } from '../helpers/services.js';
import { bodyOf, command, contentOf, customIdsOf, e2eSuite, LESSON, originalPath, postsIn, startLesson, stringOption, subcommand, waitFor, type Services, type World } from './harness.js';
import { admin, clockFn, embedText, sleep, teamClock } from './team-helpers.js';

const gate = await integrationGate();
const TZ = 'Asia/Tokyo';
const DAY = 86_400_000;
const EVERY_MS = 250;

/** A second bot process: its own tutor app and bot, on the same Redis and the same Discord. */
async function secondProcess(services: Services, fake: FakeDiscord): Promise<{ app: TutorApp; bot: DiscordBot; close(): Promise<void> }> {
  const config = { ...services.config, DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase, DISCORD_APP_ID: fake.appId };
  const app = await startTutorApp(config, silentLogger, { defaultLang: 'ja', commands: discordCommandNames(true), clock: clockFn });
  const bot = await startDiscordBot(config, silentLogger, { tutorApp: app, teamScheduleEveryMs: EVERY_MS });
  return { app, bot, close: async () => (await bot.close(), await app.close()) };
}

/** Where a learner studies: their lesson thread in the server, or a DM with the bot. */
type Place = { channelId: string } | { dm: true };

/** Passes the lesson's first step by its Run button: a day of the streak. Resolves with the lesson thread. */
async function passFirstStep(w: World, userId: string, locale: string): Promise<string> {
  const { threadId, step } = await startLesson(w, userId, undefined, locale);
  await pressRun(w, userId, locale, { channelId: threadId }, step);
  return threadId;
}

/** The same in a DM with the bot, where the lesson answers in place. */
async function passFirstStepInDm(w: World, userId: string, locale: string): Promise<void> {
  const { fake } = w;
  const { token } = fake.interaction({ kind: 'command', name: 'lesson', dm: true, userId, locale, options: subcommand('start', [stringOption('id', LESSON)]) });
  const step = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, token) && customIdsOf(c).some((id) => id.startsWith('cs1:run:')), 20_000);
  await pressRun(w, userId, locale, { dm: true }, step);
}

async function pressRun(w: World, userId: string, locale: string, place: Place, step: RecordedCall): Promise<void> {
  const { fake } = w;
  const run = fake.interaction({ kind: 'button', customId: customIdsOf(step).find((id) => id.startsWith('cs1:run:'))!, messageId: (step.response as { id: string }).id, userId, locale, ...place });
  await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, run.token) && /```console/.test(contentOf(c)), 30_000);
}

/** /progress in the learner's thread: its streak line shows, and it offers the reminder switch. */
async function progressSwitch(w: World, userId: string, place: Place, locale: string, streakText: string): Promise<{ customId: string; messageId: string }> {
  const { fake } = w;
  const { token } = fake.interaction({ kind: 'command', name: 'progress', userId, locale, ...place });
  const progress = await fake.waitForCall((c) => c.method === 'POST' && c.path === `/webhooks/${fake.appId}/${token}` && contentOf(c).includes(streakText), 10_000);
  return { customId: customIdsOf(progress).find((id) => id.startsWith('ct1:remind:'))!, messageId: (progress.response as { id: string }).id };
}

/** Presses the reminder switch; resolves with the message it turns into (its text, and the switch's new id). */
async function pressSwitch(w: World, userId: string, place: Place, locale: string, at: { customId: string; messageId: string }): Promise<{ text: string; customId: string }> {
  const { fake } = w;
  const pressed = fake.interaction({ kind: 'button', customId: at.customId, messageId: at.messageId, userId, locale, ...place });
  const update = await fake.waitForCall((c) => c.path.endsWith(`/${pressed.token}/callback`));
  const data = bodyOf(update)['data'];
  return { text: JSON.stringify(data), customId: JSON.stringify(data).match(/ct1:remind:\d+:(?:on|off)/)?.[0] ?? '' };
}

describe.runIf(gate.run)('Discord: the team schedules', () => {
  const suite = e2eSuite(gate, { clock: clockFn });

  it('posts the monthly digest once per month, with two bot processes and across a restart', async () => {
    const w = await suite.world({ channels: [{ name: 'lessons' }, { name: 'digest' }] }, { teamScheduleEveryMs: EVERY_MS });
    const { fake } = w;
    const digestChannel = fake.channelId('digest');
    await startLesson(w);
    // The 1st of next month, local time: the learner started this month, the month that digest covers.
    const now = localParts(Date.now(), TZ);
    const next = now.month === 12 ? { year: now.year + 1, month: 1 } : { year: now.year, month: now.month + 1 };
    const after = next.month === 12 ? { year: next.year + 1, month: 1 } : { year: next.year, month: next.month + 1 };
    teamClock.now = zonedTime(TZ, next.year, next.month, 1, 8, 0);
    try {
      const a = admin(fake, 'digest', [{ type: 7, name: 'channel', value: digestChannel }, { type: 4, name: 'weekday', value: 3 }, { type: 4, name: 'hour', value: 9 }, { type: 5, name: 'monthly', value: true }]);
      expect(contentOf((await command(w, a.name, a.options, a.origin)).reply)).toContain(`<#${digestChannel}>`);
      const monthly = () => postsIn(fake, digestChannel).filter((c) => embedText(c).includes('月間まとめ'));
      await sleep(1200);
      expect(monthly()).toHaveLength(0); // 08:00: not yet due

      const second = await secondProcess(suite.services, fake);
      try {
        teamClock.now = zonedTime(TZ, next.year, next.month, 1, 9, 0) + 30_000;
        await waitFor('the monthly digest', () => monthly().length > 0, 15_000);
        await sleep(2000);
        expect(monthly()).toHaveLength(1);
        const text = embedText(monthly()[0]!);
        expect(text).toContain('新しく始めた人: 1 人');
        const first = `${now.year}-${String(now.month).padStart(2, '0')}-01`;
        expect(text).toContain(first); // it covers last month, from its 1st

        await w.restartBot();
        teamClock.now = zonedTime(TZ, next.year, next.month, 15, 12, 0); // later in the same month
        await sleep(2000);
        expect(monthly()).toHaveLength(1);

        teamClock.now = zonedTime(TZ, after.year, after.month, 1, 9, 30);
        await waitFor('the next month’s digest', () => monthly().length > 1, 15_000);
        await sleep(2000);
        expect(monthly()).toHaveLength(2);
        expect(embedText(monthly()[1]!)).toContain('新しく始めた人: 0 人');
        const ids = await w.bot.teamJobs.scheduleIds();
        expect(ids.filter((id) => id === `digest-monthly-${fake.guildId}`)).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      teamClock.now = undefined;
    }
  });

  it('a streak reminder reaches each learner who opted in once, in their language, the evening it would break (in their lesson thread, or a DM); none for one who opted out', async () => {
    const w = await suite.world({ learners: [{ username: 'alice' }, { username: 'bob' }, { username: 'carol' }] }, { teamScheduleEveryMs: EVERY_MS });
    const { fake } = w;
    const [alice, bob, carol] = fake.learnerIds as [string, string, string];
    const aliceThread = await passFirstStep(w, alice, 'en');
    const bobThread = await passFirstStep(w, bob, 'ja');
    await passFirstStepInDm(w, carol, 'ja');

    const aliceSwitch = await progressSwitch(w, alice, { channelId: aliceThread }, 'en', 'Streak: 1 day in a row');
    expect(aliceSwitch.customId).toBe(`ct1:remind:${alice}:on`);
    expect((await pressSwitch(w, alice, { channelId: aliceThread }, 'en', aliceSwitch)).text).toContain('nudge you gently');
    // Carol studies in a DM with the bot: she has no lesson thread, so her reminder comes as a DM.
    const carolSwitch = await progressSwitch(w, carol, { dm: true }, 'ja', '連続学習: 1 日');
    expect((await pressSwitch(w, carol, { dm: true }, 'ja', carolSwitch)).text).toContain('そっとお知らせ');
    // Bob turns it on, then off again from the same switch.
    const bobSwitch = await progressSwitch(w, bob, { channelId: bobThread }, 'ja', '連続学習: 1 日');
    const bobOn = await pressSwitch(w, bob, { channelId: bobThread }, 'ja', bobSwitch);
    expect(bobOn.text).toContain('そっとお知らせ');
    expect(bobOn.customId).toBe(`ct1:remind:${bob}:off`);
    expect((await pressSwitch(w, bob, { channelId: bobThread }, 'ja', { customId: bobOn.customId, messageId: bobSwitch.messageId })).text).toContain('お知らせを止めました');

    const nudges = () => fake.calls.filter((c) => c.method === 'POST' && /^\/channels\/\d+\/messages$/.test(c.path) && /gentle nudge|途切れそう/.test(contentOf(c)));
    const tomorrow = localParts(Date.now() + DAY, TZ);
    const second = await secondProcess(suite.services, fake);
    try {
      teamClock.now = zonedTime(TZ, tomorrow.year, tomorrow.month, tomorrow.day, 19, 30);
      await sleep(1200);
      expect(nudges()).toHaveLength(0); // evening has not come

      teamClock.now = zonedTime(TZ, tomorrow.year, tomorrow.month, tomorrow.day, 20, 30);
      await waitFor('the reminders', () => nudges().length >= 2, 10_000);
      teamClock.now = zonedTime(TZ, tomorrow.year, tomorrow.month, tomorrow.day, 23, 30);
      await sleep(2000);
      expect(nudges()).toHaveLength(2);
      const toAlice = nudges().find((c) => c.path === `/channels/${aliceThread}/messages`);
      expect(contentOf(toAlice!)).toContain('your 1 day streak ends at midnight');
      const toCarol = nudges().find((c) => c !== toAlice)!;
      // Her DM channel with the bot, as Discord describes it (discord.js may know it already, from her DM commands).
      const channel = await fetch(`${fake.apiBase}/v10${toCarol.path.replace(/\/messages$/, '')}`, { headers: { authorization: `Bot ${fake.token}` } }).then((r) => r.json() as Promise<JsonObject>);
      expect(channel['type']).toBe(1);
      expect(JSON.stringify(channel['recipients'])).toContain(carol);
      expect(contentOf(toCarol)).toContain('1 日続いている連続記録が、今夜0時で途切れそう');
      expect(postsIn(fake, bobThread).filter((c) => contentOf(c).includes('途切れそう'))).toHaveLength(0);

      // The day after, the streak has already broken: nothing more to remind of.
      teamClock.now += DAY;
      await sleep(1500);
      expect(nudges()).toHaveLength(2);
    } finally {
      await second.close();
      teamClock.now = undefined;
    }
  });
});
