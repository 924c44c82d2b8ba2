import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { COMMAND_DEFINITIONS, DISCORD_USAGES, deployCommands } from '../../src/discord/commands.js';
import { discordCommandNames } from '../../src/discord/command-names.js';
import { commandHelp } from '../../src/tutor/commands.js';
import { runDeployCommands } from '../../src/discord/main.js';
import { missingPermissions } from '../../src/discord/permissions.js';
import { PermissionFlagsBits } from 'discord.js';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/fake-discord.js';

const fakes: FakeDiscord[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

type Option = { name: string; description: string; description_localizations?: Record<string, string>; options?: readonly Option[]; choices?: readonly unknown[] };

function* walk(options: readonly Option[]): Generator<Option> {
  for (const option of options) {
    yield option;
    if (option.options) yield* walk(option.options);
  }
}

describe('/help on Discord', () => {
  it('starts with how to take a lesson, lists /lesson continue, /team and /cohort, and ends with /help', () => {
    const usages = DISCORD_USAGES.map((u) => u.usage.split(' [')[0]);
    expect(usages.slice(0, 4)).toEqual(['/lesson start id:<id>', '/lesson list', '/lesson continue', '/next']);
    expect(usages.at(-1)).toBe('/help');
    for (const expected of ['/team export', '/cohort create name:<name> lessons:<lessons> deadline:<deadline>', '/cohort join name:<name>', '/cohort leave name:<name>']) {
      expect(usages).toContain(expected);
    }
    for (const lang of ['ja', 'en'] as const) {
      const text = commandHelp(lang, DISCORD_USAGES).map((b) => ('text' in b ? b.text : '')).join('\n');
      expect(text).toMatch(lang === 'ja' ? /`\/lesson continue` — 今のレッスンの続きから/ : /`\/lesson continue` — Continue your current lesson/);
      expect(text).toMatch(lang === 'ja' ? /`\/cohort join name:<name>` — コホートに参加する/ : /`\/cohort join name:<name>` — Join a cohort/);
      // One message on a phone: Discord's limit with room to spare.
      expect(text.length).toBeLessThan(1900);
    }
  });

  it('names /lesson start with its option as Discord shows it (id:)', () => {
    expect(discordCommandNames(true).start).toBe('/lesson start id:');
  });
});

describe('slash command definitions', () => {
  it('keep Discord’s rules for names, descriptions and counts, with Japanese descriptions', () => {
    const all = [...walk(COMMAND_DEFINITIONS as unknown as Option[])];
    for (const item of all) {
      expect(item.name, item.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(item.description.length, item.name).toBeGreaterThan(0);
      expect(item.description.length, item.name).toBeLessThanOrEqual(100);
      expect(item.description_localizations?.ja?.length ?? 0, item.name).toBeGreaterThan(0);
      expect(item.description_localizations!.ja!.length, item.name).toBeLessThanOrEqual(100);
      expect(item.options?.length ?? 0).toBeLessThanOrEqual(25);
    }
    expect(COMMAND_DEFINITIONS.map((c) => c.name)).toEqual(
      expect.arrayContaining(['lesson', 'run', 'hint', 'next', 'progress', 'platform', 'language', 'style', 'reset', 'forget', 'sensei-admin']),
    );
    const admin = COMMAND_DEFINITIONS.find((c) => c.name === 'sensei-admin');
    expect(admin && 'default_member_permissions' in admin && admin.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
  });

  it('deploy to a guild for development and globally for production, through DISCORD_API_BASE', async () => {
    const fake = await startFakeDiscord();
    fakes.push(fake);
    const config = loadConfig({}, { DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase });
    const guild = await deployCommands(config, { guildId: fake.guildId });
    expect(guild).toEqual({ scope: 'guild', guildId: fake.guildId, names: COMMAND_DEFINITIONS.map((c) => c.name) });
    const global = await deployCommands(config);
    expect(global.scope).toBe('global');
    const puts = fake.calls.filter((c) => c.method === 'PUT').map((c) => [c.path, c.status]);
    expect(puts).toEqual([
      [`/applications/${fake.appId}/guilds/${fake.guildId}/commands`, 200],
      [`/applications/${fake.appId}/commands`, 200],
    ]);
    await expect(deployCommands(loadConfig({}, {}))).rejects.toThrow(/DISCORD_TOKEN/);
  });

  it('sensei deploy-commands: DISCORD_GUILD_ID by default, --global to override', async () => {
    const fake = await startFakeDiscord();
    fakes.push(fake);
    const config = loadConfig({}, { DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase, DISCORD_GUILD_ID: fake.guildId });
    const lines: string[] = [];
    const out = { write: (s: string) => lines.push(s) } as unknown as NodeJS.WritableStream;
    expect(await runDeployCommands(config, [], out)).toBe(0);
    expect(await runDeployCommands(config, ['--global'], out)).toBe(0);
    expect(lines[0]).toMatch(new RegExp(`^deployed ${COMMAND_DEFINITIONS.length} commands to server ${fake.guildId}: /lesson /run`));
    expect(lines[1]).toMatch(/globally/);
  });
});

describe('missingPermissions', () => {
  it('names what is missing, in order; Administrator has everything; unknown means all', () => {
    const all = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.CreatePrivateThreads | PermissionFlagsBits.SendMessagesInThreads | PermissionFlagsBits.AttachFiles;
    expect(missingPermissions(all)).toEqual([]);
    expect(missingPermissions(all & ~PermissionFlagsBits.SendMessagesInThreads & ~PermissionFlagsBits.ViewChannel)).toEqual(['ViewChannel', 'SendMessagesInThreads']);
    expect(missingPermissions(PermissionFlagsBits.Administrator)).toEqual([]);
    expect(missingPermissions(undefined)).toHaveLength(4);
  });
});
