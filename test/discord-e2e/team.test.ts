// The team features end to end: the real discord.js client against the fake Discord, the real tutor, queue,
// worker and sandbox behind it. Board and privacy, the weekly digest by an injected clock with two bot
// processes, completion roles and the admin's messages, peer help, and the team lead's export.

import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { startTutorApp } from '../../src/app.js';
import { startDiscordBot } from '../../src/discord/bot.js';
import { discordCommandNames } from '../../src/discord/command-names.js';
import { learnerIdFor } from '../../src/discord/messages.js';
import { silentLogger } from '../../src/log.js';
import { daysSoFar, localParts, startOfDay, zonedTime } from '../../src/team/time.js';
import { DEFAULT_BOT_PERMISSIONS } from '../fake-discord/fake-discord.js';
import { isJsonObject, type JsonObject } from '../fake-discord/json.js';
import { integrationGate } from '../helpers/services.js';
import { admin, clockFn, embedText, sleep, teamClock } from './team-helpers.js';
import { bodyOf, command, contentOf, customIdsOf, e2eSuite, LESSON, originalPath, postsIn, startLesson, stringOption, subcommand, waitFor } from './harness.js';

const gate = await integrationGate();
const TZ = 'Asia/Tokyo';
const DAY = 86_400_000;
const clock = teamClock;

describe.runIf(gate.run)('Discord: the team features', () => {
  const suite = e2eSuite(gate, { clock: clockFn });
  const world = suite.world;

  it('/board shows the server, names only members who chose /privacy show, switches period by button, and can be turned off', async () => {
    const w = await world({ learners: [{ username: 'alice', globalName: 'Alice' }, { username: 'bob' }] });
    const { fake } = w;
    const [alice, bob] = fake.learnerIds as [string, string];
    const shown = await command(w, 'privacy', [stringOption('choice', 'show')], { userId: alice });
    expect(bodyOf(shown.deferral)).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(contentOf(shown.reply)).toContain('**Alice**');

    const { threadId, step } = await startLesson(w, alice);
    const run = fake.interaction({ kind: 'button', customId: customIdsOf(step).find((id) => id.startsWith('cs1:run:'))!, messageId: (step.response as { id: string }).id, channelId: threadId, userId: alice });
    await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, run.token) && /```console/.test(contentOf(c)), 30_000);
    expect((await suite.services.app.team.streak(fake.guildId, learnerIdFor(alice))).days).toBe(1);
    await startLesson(w, bob);

    const board = await command(w, 'board', [], { userId: bob });
    expect(bodyOf(board.deferral)).toMatchObject({ type: 5, data: { flags: 0 } }); // public: the whole server sees the board
    const week = embedText(board.reply);
    expect(week).toContain('学習ボード（今週）');
    expect(week).toContain('学習者 2 人');
    expect(week).toContain('Alice');
    expect(week).toContain('▰');
    expect(week).not.toContain('bob');
    expect(customIdsOf(board.reply)).toEqual(['ct1:board:week', 'ct1:board:month', 'ct1:board:all']);

    // Anyone may press a period button; the board changes in place.
    const pressed = fake.interaction({ kind: 'button', customId: 'ct1:board:all', messageId: (board.reply.response as { id: string }).id, userId: alice });
    const allTime = await fake.waitForCall((c) => c.path.endsWith(`/${pressed.token}/callback`));
    expect(bodyOf(allTime)['type']).toBe(7);
    expect(JSON.stringify(bodyOf(allTime))).toContain('学習ボード（全期間）');

    await command(w, 'privacy', [stringOption('choice', 'hide')], { userId: alice });
    const hidden = await command(w, 'board', [], { userId: bob });
    expect(embedText(hidden.reply)).not.toContain('Alice');
    expect(embedText(hidden.reply)).toContain('学習者 2 人');

    const a = admin(fake, 'boards', [stringOption('state', 'off')]);
    await command(w, a.name, a.options, a.origin);
    const off = await command(w, 'board', [], { userId: bob });
    expect(contentOf(off.reply)).toContain('オフ');
  });

  it('posts the weekly digest once per week by the injected clock, with two bot processes and across a restart', async () => {
    const w = await world({ channels: [{ name: 'lessons' }, { name: 'digest' }] }, { teamScheduleEveryMs: 250 });
    const { fake } = w;
    const digestChannel = fake.channelId('digest');
    await startLesson(w);
    const tomorrow = localParts(Date.now() + DAY, TZ);
    // The clock starts at this local week's Monday 00:00, before any due time the test sets.
    clock.now = startOfDay(daysSoFar('week', Date.now(), TZ)[0]!, TZ);
    try {
      const a = admin(fake, 'digest', [{ type: 7, name: 'channel', value: digestChannel }, { type: 4, name: 'weekday', value: tomorrow.weekday }, { type: 4, name: 'hour', value: 9 }]);
      const set = await command(w, a.name, a.options, a.origin);
      expect(contentOf(set.reply)).toContain(`<#${digestChannel}>`);
      const digests = () => postsIn(fake, digestChannel).filter((c) => embedText(c).includes('週間まとめ'));
      await sleep(1200);
      expect(digests()).toHaveLength(0);

      // A second bot process: its own tutor app and bot, the same Redis and the same Discord.
      const config = { ...suite.services.config, DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase, DISCORD_APP_ID: fake.appId };
      const app2 = await startTutorApp(config, silentLogger, { defaultLang: 'ja', commands: discordCommandNames(true), clock: () => clock.now ?? Date.now() });
      const bot2 = await startDiscordBot(config, silentLogger, { tutorApp: app2, teamScheduleEveryMs: 250 });
      try {
        clock.now = zonedTime(TZ, tomorrow.year, tomorrow.month, tomorrow.day, 9, 0) + 30_000;
        await waitFor('the first digest', () => digests().length > 0, 15_000);
        await sleep(2000);
        expect(digests()).toHaveLength(1);
        const first = embedText(digests()[0]!);
        expect(first).toContain('新しく始めた人: 1 人');
        expect(first).toContain('次のおすすめ');

        await w.restartBot();
        await sleep(1500);
        expect(digests()).toHaveLength(1);

        clock.now += 7 * DAY;
        await waitFor('the next week’s digest', () => digests().length > 1, 15_000);
        await sleep(2000);
        expect(digests()).toHaveLength(2);
        expect((await w.bot.teamJobs.scheduleIds()).filter((id) => id === `digest-weekly-${fake.guildId}`)).toHaveLength(1);
      } finally {
        await bot2.close();
        await app2.close();
      }
    } finally {
      clock.now = undefined;
    }
  });

  it('gives the mapped role on completing a lesson, and tells the admin exactly what stops it', async () => {
    const noManage = await world({ roles: [{ name: 'finisher', position: 1 }] });
    const refused = admin(noManage.fake, 'roles', [stringOption('target', '1'), { type: 8, name: 'role', value: noManage.fake.roleId('finisher') }], 'en');
    expect(contentOf((await command(noManage, refused.name, refused.options, refused.origin)).reply)).toContain('I lack the **Manage Roles** permission');

    const w = await world({ roles: [{ name: 'finisher', position: 1 }, { name: 'mentor', position: 5 }], botPermissions: DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageRoles });
    const { fake } = w;
    const [finisher, mentor] = [fake.roleId('finisher'), fake.roleId('mentor')];
    const above = admin(fake, 'roles', [stringOption('target', 'phase 1'), { type: 8, name: 'role', value: mentor }], 'en');
    expect(contentOf((await command(w, above.name, above.options, above.origin)).reply)).toContain(`<@&${mentor}> sits at or above my highest role`);
    const removed = admin(fake, 'roles', [stringOption('target', 'phase 1'), { type: 5, name: 'remove', value: true }], 'en');
    expect(contentOf((await command(w, removed.name, removed.options, removed.origin)).reply)).toContain('No role for phase 1');
    const ok = admin(fake, 'roles', [stringOption('target', '1'), { type: 8, name: 'role', value: finisher }], 'en');
    const okReply = contentOf((await command(w, ok.name, ok.options, ok.origin)).reply);
    expect(okReply).toContain(`get <@&${finisher}>`);
    expect(okReply).not.toContain('⚠️');

    const learner = fake.learnerIds[0]!;
    // Roles stack: one the learner already has (here a mentor's) stays beside the new one.
    fake.giveRole(learner, mentor);
    const { threadId } = await startLesson(w, learner);
    const steps = suite.services.app.team.curriculum.get('ja', LESSON)!.steps.length;
    for (let i = 0; i < steps; i++) await command(w, 'skip', [], { channelId: threadId });
    const completedAt = Date.now();
    const put = await fake.waitForCall((c) => c.method === 'PUT' && c.path === `/guilds/${fake.guildId}/members/${learner}/roles/${finisher}`, 60_000);
    expect(put.status).toBe(204);
    expect(put.at - completedAt).toBeLessThan(60_000);
    expect(fake.memberRoleIds(learner)).toEqual(expect.arrayContaining([finisher, mentor]));
  });

  it('peer help: a stuck learner asks the team, a thread opens in the help channel, Solved closes it and credits the helper', async () => {
    const w = await world({ channels: [{ name: 'lessons' }, { name: 'help' }], learners: [{ username: 'alice', globalName: 'Alice' }, { username: 'bob', globalName: 'Bob' }] });
    const { fake } = w;
    const [alice, bob] = fake.learnerIds as [string, string];
    const help = fake.channelId('help');
    const a = admin(fake, 'help-channel', [{ type: 7, name: 'channel', value: help }]);
    expect(contentOf((await command(w, a.name, a.options, a.origin)).reply)).toContain(`<#${help}>`);
    await command(w, 'privacy', [stringOption('choice', 'show')], { userId: bob });

    const { threadId } = await startLesson(w, alice);
    const from = fake.calls.length;
    fake.message({ content: 'echo stuck-here', channelId: threadId, userId: alice });
    await fake.waitForCall((c) => fake.calls.indexOf(c) >= from && contentOf(c).includes('stuck-here\n```'), 30_000);
    for (let i = 0; i < 3; i++) await command(w, 'hint', [], { channelId: threadId, userId: alice });
    const offer = await fake.waitForCall((c) => c.method === 'POST' && isJsonObject(c.body) && customIdsOf(c).some((id) => id.startsWith('ct1:ask:')), 10_000);
    const askNamed = customIdsOf(offer).find((id) => id.endsWith(':named'))!;

    const pressed = fake.interaction({ kind: 'button', customId: askNamed, messageId: (offer.response as { id: string }).id, channelId: threadId, userId: alice });
    const modal = await fake.waitForCall((c) => c.path.endsWith(`/${pressed.token}/callback`));
    expect(bodyOf(modal)).toMatchObject({ type: 9, data: { custom_id: askNamed.replace(':ask:', ':ask-modal:') } });
    fake.interaction({ kind: 'modal', customId: askNamed.replace(':ask:', ':ask-modal:'), fields: { expected: 'PID 1 to be my shell' }, channelId: threadId, userId: alice });

    const card = await fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${help}/messages`, 10_000);
    const cardText = embedText(card);
    for (const part of ['Alice', 'echo stuck-here', 'stuck-here', 'PID 1 to be my shell']) expect(cardText).toContain(part);
    const thread = await fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${help}/messages/${(card.response as { id: string }).id}/threads`);
    const helpThread = (thread.response as { id: string }).id;
    const link = await fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${threadId}/messages` && contentOf(c).includes(`<#${helpThread}>`));
    const solved = customIdsOf(link)[0]!;
    expect(solved).toBe(`ct1:solved:${alice}:${helpThread}`);

    // Asked once: pressing the other button, or sending the form again, points to the thread; no second card.
    const askAnon = customIdsOf(offer).find((id) => id.endsWith(':anon'))!;
    const again = fake.interaction({ kind: 'button', customId: askAnon, messageId: (offer.response as { id: string }).id, channelId: threadId, userId: alice });
    expect(JSON.stringify(bodyOf(await fake.waitForCall((c) => c.path.endsWith(`/${again.token}/callback`))))).toContain(`<#${helpThread}>`);
    const resent = fake.interaction({ kind: 'modal', customId: askNamed.replace(':ask:', ':ask-modal:'), fields: { expected: 'PID 1 to be my shell' }, channelId: threadId, userId: alice });
    await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, resent.token) && contentOf(c).includes(`<#${helpThread}>`));
    expect(postsIn(fake, help)).toHaveLength(1);

    fake.message({ content: 'PID 1 is docker-init: --init puts it there', channelId: helpThread, userId: bob });
    const notHers = fake.interaction({ kind: 'button', customId: solved, messageId: (link.response as { id: string }).id, channelId: threadId, userId: bob });
    expect(JSON.stringify(bodyOf(await fake.waitForCall((c) => c.path.endsWith(`/${notHers.token}/callback`))))).toContain('質問した人だけ');
    const done = fake.interaction({ kind: 'button', customId: solved, messageId: (link.response as { id: string }).id, channelId: threadId, userId: alice });
    const thanks = await fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${helpThread}/messages` && contentOf(c).includes(`<@${bob}>`), 10_000);
    expect(contentOf(thanks)).toContain('解決');
    await fake.waitForCall((c) => c.method === 'PATCH' && c.path === `/channels/${helpThread}` && bodyOf(c)['archived'] === true);
    await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, done.token) && contentOf(c).includes('解決'));

    const board = await command(w, 'board', [], { userId: alice });
    expect(embedText(board.reply)).toContain('助け合い');
    expect(embedText(board.reply)).toContain('Bob');
  });

  it('/team export attaches a CSV for admins and the role they name, anonymous unless shown; others are told why not', async () => {
    const w = await world({ learners: [{ username: 'alice', globalName: 'Alice' }, { username: 'bob' }], roles: [{ name: 'leads', position: 1 }] });
    const { fake } = w;
    const [alice, bob] = fake.learnerIds as [string, string];
    await command(w, 'privacy', [stringOption('choice', 'show')], { userId: alice });
    await startLesson(w, alice);
    await startLesson(w, bob);

    const denied = await command(w, 'team', subcommand('export'), { userId: bob });
    expect(bodyOf(denied.deferral)).toMatchObject({ data: { flags: 64 } });
    expect(contentOf(denied.reply)).toContain('エクスポートは');

    const exported = await command(w, 'team', subcommand('export'), { userId: fake.ownerId, locale: 'en' });
    const file = exported.reply.files[0]!;
    expect(file.name).toMatch(new RegExp(`^team-${fake.guildId}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const lines = file.data.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('member,lessons_done,current_lesson,current_step,last_active,streak_days,hints_used,stuck_on');
    expect(lines).toHaveLength(3);
    expect(lines.some((l) => l.startsWith(`Alice,0,${LESSON},1,`))).toBe(true);
    expect(lines.some((l) => /^anon-[0-9a-f]{10},0,/.test(l))).toBe(true);
    expect(lines.join('\n')).not.toContain(bob);

    const leads = fake.roleId('leads');
    const a = admin(fake, 'export-role', [{ type: 8, name: 'role', value: leads }]);
    await command(w, a.name, a.options, a.origin);
    fake.giveRole(bob, leads);
    const asLead = await command(w, 'team', subcommand('export'), { userId: bob });
    expect(asLead.reply.files).toHaveLength(1);

    // A cohort: its board and its export show its members against its own goal and deadline.
    const cohort = [stringOption('name', 'spring'), stringOption('lessons', '1, 2'), stringOption('deadline', '2099-12-31')];
    expect(contentOf((await command(w, 'cohort', subcommand('create', cohort), { userId: bob })).reply)).toContain('管理');
    expect(contentOf((await command(w, 'cohort', subcommand('create', cohort), { userId: fake.ownerId })).reply)).toContain('spring');
    expect(contentOf((await command(w, 'cohort', subcommand('join', [stringOption('name', 'spring')]), { userId: alice })).reply)).toContain('spring');
    const board = await command(w, 'board', [stringOption('cohort', 'spring')], { userId: alice });
    expect(embedText(board.reply)).toContain('コホート「spring」');
    expect(embedText(board.reply)).toContain('学習者 1 人');
    expect(embedText(board.reply)).toContain('🎯 0/2');
    const cohortExport = await command(w, 'team', subcommand('export', [stringOption('cohort', 'spring')]), { userId: fake.ownerId, locale: 'en' });
    const cohortLines = cohortExport.reply.files[0]!.data.toString('utf8').trim().split('\r\n');
    expect(cohortLines[0]).toMatch(/,cohort_goal$/);
    expect(cohortLines.slice(1)).toEqual([expect.stringMatching(/^Alice,.*,0\/2$/)]);
  });

  it('/forget takes the learner off the board, out of the export and out of every team record', async () => {
    const w = await world({ learners: [{ username: 'alice', globalName: 'Alice' }, { username: 'bob' }] });
    const { fake } = w;
    const [alice, bob] = fake.learnerIds as [string, string];
    await command(w, 'privacy', [stringOption('choice', 'show')], { userId: alice });
    await startLesson(w, alice);
    await startLesson(w, bob);
    const { reply: question } = await command(w, 'forget', [], { userId: alice });
    const yes = fake.interaction({ kind: 'button', customId: customIdsOf(question).find((id) => id.startsWith('cs1:forget:'))!, messageId: (question.response as { id: string }).id, userId: alice });
    await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, yes.token));
    const board = await command(w, 'board', [stringOption('period', 'all')], { userId: bob });
    expect(embedText(board.reply)).toContain('学習者 1 人');
    expect(embedText(board.reply)).not.toContain('Alice');
    const exported = await command(w, 'team', subcommand('export'), { userId: fake.ownerId });
    expect(exported.reply.files[0]!.data.toString('utf8').trim().split('\r\n')).toHaveLength(2);
    const { redis, config } = suite.services;
    const teamKeys = await redis.keys(`${config.SENSEI_PREFIX}:team:*${alice}*`);
    expect(teamKeys).toEqual([]);
  });

  it('server-wide posts follow the language and time zone the admin sets; each member still hears their own language', async () => {
    const w = await world({ channels: [{ name: 'lessons' }, { name: 'digest' }], learners: [{ username: 'alice', globalName: 'Alice' }] });
    const { fake } = w;
    const [alice] = fake.learnerIds as [string];
    const say = async (name: string, options: JsonObject[]) => {
      const a = admin(fake, name, options, 'en');
      return contentOf((await command(w, a.name, a.options, a.origin)).reply);
    };
    expect(await say('server-language', [stringOption('lang', 'en')])).toContain('now in English');
    expect(await say('timezone', [stringOption('tz', 'Mars/Olympus')])).toContain('“Mars/Olympus” is not a time zone I know');
    const ny = localParts(Date.now(), 'America/New_York');
    const two = (n: number) => String(n).padStart(2, '0');
    expect(await say('timezone', [stringOption('tz', 'America/New_York')])).toContain(`${ny.year}-${two(ny.month)}-${two(ny.day)}`);

    // Alice speaks Japanese: her own replies stay Japanese, the board everyone sees is in English.
    expect(contentOf((await command(w, 'privacy', [stringOption('choice', 'show')], { userId: alice, locale: 'ja' })).reply)).toContain('名前が出ます');
    await startLesson(w, alice, undefined, 'ja');
    const board = embedText((await command(w, 'board', [], { userId: alice, locale: 'ja' })).reply);
    expect(board).toContain('Study board');
    expect(board).toContain('Alice');

    // This week's digest, due now in New York: posted in English, and only once.
    const digestChannel = fake.channelId('digest');
    const due = [{ type: 7, name: 'channel', value: digestChannel }, { type: 4, name: 'weekday', value: ny.weekday }, { type: 4, name: 'hour', value: 0 }];
    expect(await say('digest', due)).toContain(`<#${digestChannel}>`);
    expect(await w.bot.teamJobs.digest(fake.guildId, 'weekly')).toBe(true);
    expect(await w.bot.teamJobs.digest(fake.guildId, 'weekly')).toBe(false);
    const digests = postsIn(fake, digestChannel);
    expect(digests).toHaveLength(1);
    expect(embedText(digests[0]!)).toContain('Weekly digest');
  });
});
