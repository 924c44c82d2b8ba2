// /ask end to end: the real discord.js client against the fake Discord, with the slash commands deployed to it
// (so the fake only sends autocomplete for an option registered with it), the real tutor and cards behind it.
// Outside CI a missing Redis/Docker skips the suite; under CI=true it fails.

import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { deployCommands } from '../../src/discord/commands.js';
import { decodeCustomId } from '../../src/discord/custom-id.js';
import type { Lang } from '../../src/lessons/index.js';
import type { FakeDiscord, RecordedCall } from '../fake-discord/fake-discord.js';
import { isJsonObject, type JsonObject } from '../fake-discord/json.js';
import { integrationGate } from '../helpers/services.js';
import { bodyOf, contentOf, customIdsOf, e2eSuite, originalPath, stringOption, subcommand, type World } from './harness.js';

const gate = await integrationGate();

describe.runIf(gate.run)('/ask on Discord end to end', () => {
  const suite = e2eSuite(gate);

  /** A world whose guild has the bot's real command definitions, as after `sensei deploy-commands --guild`. */
  async function deployedWorld(options: Parameters<typeof suite.world>[0] = {}): Promise<World> {
    const w = await suite.world(options);
    const { fake } = w;
    await deployCommands({ ...suite.services.config, DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase, DISCORD_APP_ID: fake.appId }, { guildId: fake.guildId });
    return w;
  }

  /** The member types `typed` in /ask's question box; resolves with the callback Discord got. */
  async function typeInAsk(fake: FakeDiscord, typed: string, locale: string): Promise<{ call: RecordedCall; choices: { name: string; value: string }[]; ms: number }> {
    const started = Date.now();
    const { token } = fake.interaction({ kind: 'autocomplete', name: 'ask', locale, options: [{ type: 3, name: 'question', value: typed, focused: true }] });
    const call = await fake.waitForCall((c) => c.path.endsWith(`/${token}/callback`), 5_000);
    const data = bodyOf(call)['data'];
    const raw = isJsonObject(data) && Array.isArray(data['choices']) ? data['choices'] : [];
    const choices = raw.filter(isJsonObject).map((c) => ({ name: String(c['name']), value: String(c['value']) }));
    return { call, choices, ms: Date.now() - started };
  }

  /** Whether a deferral was ephemeral (flags 64): only the asker sees what follows. */
  const ephemeral = (callback: RecordedCall): boolean => {
    const data = bodyOf(callback)['data'];
    return bodyOf(callback)['type'] === 5 && isJsonObject(data) && (Number(data['flags'] ?? 0) & 64) === 64;
  };

  const titles = (lang: Lang) => new Set(suite.services.app.questions.knowledge.list(lang).map((c) => c.title));

  async function ask(fake: FakeDiscord, question: string, opts: { locale?: string; userId?: string } = {}): Promise<{ callback: RecordedCall; answer: RecordedCall }> {
    const { token } = fake.interaction({ kind: 'command', name: 'ask', options: [stringOption('question', question)], ...opts });
    const callback = await fake.waitForCall((c) => c.path.endsWith(`/${token}/callback`), 5_000);
    const answer = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, token), 15_000);
    return { callback, answer };
  }

  it('registers question with autocomplete and suggests card titles in the member’s language, within Discord’s 3 s', async () => {
    const { fake } = await deployedWorld();
    const put = fake.calls.find((c) => c.method === 'PUT' && c.path.endsWith('/commands'));
    const askCommand = (Array.isArray(put?.body) ? put.body : []).filter(isJsonObject).find((c) => c['name'] === 'ask');
    expect(askCommand?.['options']).toEqual([expect.objectContaining({ name: 'question', type: 3, autocomplete: true })]);

    const en = await typeInAsk(fake, 'namesp', 'en-US');
    expect(en.call.status).toBe(204);
    expect(bodyOf(en.call)['type']).toBe(8);
    expect(en.choices.length).toBeGreaterThan(3);
    expect(en.choices.length).toBeLessThanOrEqual(25);
    for (const choice of en.choices) expect(titles('en').has(choice.name), choice.name).toBe(true);
    expect(en.choices.slice(0, 3).every((c) => /namespace/i.test(c.name))).toBe(true);
    expect(en.ms).toBeLessThan(2_000);

    const ja = await typeInAsk(fake, 'ネームスペ', 'ja');
    expect(ja.call.status).toBe(204);
    expect(ja.choices.length).toBeGreaterThan(3);
    expect(ja.choices.length).toBeLessThanOrEqual(25);
    for (const choice of ja.choices) expect(titles('ja').has(choice.name), choice.name).toBe(true);
    expect(ja.choices.slice(0, 3).every((c) => /namespace|ネームスペース|名前空間/i.test(c.name))).toBe(true);

    // Katakana typed in an English client finds the same cards, shown with their English titles.
    const mixed = await typeInAsk(fake, 'ネームスペ', 'en-US');
    expect(mixed.choices.length).toBeGreaterThan(3);
    for (const choice of mixed.choices) expect(titles('en').has(choice.name), choice.name).toBe(true);
  });

  it('offers the first cards for an empty box and never fails on 4,000 characters or emoji', async () => {
    const { fake } = await deployedWorld();
    const empty = await typeInAsk(fake, '', 'ja');
    expect(empty.choices).toHaveLength(25);
    for (const choice of empty.choices) expect(titles('ja').has(choice.name)).toBe(true);

    for (const typed of ['x'.repeat(4_000), 'なぜ'.repeat(2_000), '🐳🔥🙏', '🐳'.repeat(1_000), '   ']) {
      const result = await typeInAsk(fake, typed, 'en-US');
      expect(result.call.status, typed.slice(0, 10)).toBe(204);
      expect(bodyOf(result.call)['type']).toBe(8);
      expect(result.choices.length).toBeLessThanOrEqual(25);
      expect(result.ms).toBeLessThan(2_000);
    }
  });

  it('a picked title is answered with its own card', async () => {
    const { fake } = await deployedWorld();
    const { choices } = await typeInAsk(fake, 'ネームスペ', 'ja');
    const picked = choices[0]!;
    const card = suite.services.app.questions.knowledge.list('ja').find((c) => c.title === picked.value)!;
    const { answer } = await ask(fake, picked.value);
    const rated = customIdsOf(answer).map(decodeCustomId).find((d) => d.ok && d.data.action === 'rate');
    expect(rated?.ok && rated.data.value).toBe(card.id);
  });

  it('a server admin makes /ask answers private; a member cannot; the buttons under a private answer stay private', async () => {
    const { fake } = await deployedWorld();
    const admin = async (options: JsonObject[], userId: string, locale = 'ja'): Promise<string> => {
      const { token } = fake.interaction({ kind: 'command', name: 'sensei-admin', options, userId, locale });
      return contentOf(await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, token), 10_000));
    };
    const visibility = (value: string) => subcommand('ask-replies', [stringOption('visibility', value)]);

    // Public by default: the deferral carries no ephemeral flag, so the channel sees the answer.
    const first = await ask(fake, 'PID namespaceって何？');
    expect(ephemeral(first.callback)).toBe(false);

    expect(await admin(visibility('private'), fake.learnerIds[0]!)).toContain('サーバー管理');
    expect(ephemeral((await ask(fake, 'cgroup v2 とは')).callback)).toBe(false);

    expect(await admin(visibility('private'), fake.ownerId)).toContain('質問した人にだけ');
    expect(await admin(subcommand('settings'), fake.ownerId)).toContain('/ask の答え: 質問した人だけ');
    const hidden = await ask(fake, 'what is a network namespace', { locale: 'en-US' });
    expect(ephemeral(hidden.callback)).toBe(true);

    // 👍 under the private answer: the thanks is private too.
    const up = customIdsOf(hidden.answer).find((id) => id.startsWith('cs1:rate:'))!;
    const messageId = (hidden.answer.response as { id: string }).id;
    const press = fake.interaction({ kind: 'button', customId: up, messageId, locale: 'en-US' });
    expect(ephemeral(await fake.waitForCall((c) => c.path.endsWith(`/${press.token}/callback`), 5_000))).toBe(true);

    expect(await admin(visibility('public'), fake.ownerId, 'en-US')).toContain('for everyone in the channel');
    expect(await admin(subcommand('settings'), fake.ownerId, 'en-US')).toContain('/ask answers: public in the channel');
    expect(ephemeral((await ask(fake, 'what is a network namespace', { locale: 'en-US' })).callback)).toBe(false);
  });

  it('the ask-replies choice is offered only to members with Manage Server', async () => {
    const { fake } = await deployedWorld({ learnerPermissions: PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages });
    const put = fake.calls.find((c) => c.method === 'PUT' && c.path.endsWith('/commands'));
    const adminCommand = (Array.isArray(put?.body) ? put.body : []).filter(isJsonObject).find((c) => c['name'] === 'sensei-admin');
    expect(adminCommand?.['default_member_permissions']).toBe(String(PermissionFlagsBits.ManageGuild));
    const sub = (Array.isArray(adminCommand?.['options']) ? adminCommand['options'] : []).filter(isJsonObject).find((o) => o['name'] === 'ask-replies');
    expect(sub?.['options']).toEqual([expect.objectContaining({ name: 'visibility', required: true, choices: [expect.objectContaining({ value: 'public' }), expect.objectContaining({ value: 'private' })] })]);
  });
});
