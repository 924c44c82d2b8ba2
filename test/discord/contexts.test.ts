// Finding 9: slash commands deployed without `contexts` could be used in a DM with the bot, where /run
// skips the server's channel allow-list and cooldown. Every command is registered for servers only.
import { InteractionContextType } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { COMMAND_DEFINITIONS, deployCommands } from '../../src/discord/commands.js';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/fake-discord.js';

const fakes: FakeDiscord[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

describe('where the slash commands can be used', () => {
  it('registers every command for servers only, globally and per server, so none reaches a DM', async () => {
    const fake = await startFakeDiscord();
    fakes.push(fake);
    const config = loadConfig({}, { DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase });
    await deployCommands(config);
    await deployCommands(config, { guildId: fake.guildId });
    const puts = fake.calls.filter((c) => c.method === 'PUT');
    expect(puts).toHaveLength(2);
    for (const put of puts) {
      const body = put.body as { name: string; contexts?: number[] }[];
      expect(body.map((c) => c.name)).toEqual(COMMAND_DEFINITIONS.map((c) => c.name));
      for (const command of body) expect(command.contexts, command.name).toEqual([InteractionContextType.Guild]);
    }
    // And as Discord keeps them: /run among them, with no DM or private-channel context.
    const listed = (await (await fetch(`${fake.apiBase}/v10/applications/${fake.appId}/commands`, { headers: { authorization: `Bot ${fake.token}` } })).json()) as {
      name: string;
      contexts?: number[];
    }[];
    expect(listed.find((c) => c.name === 'run')?.contexts).toEqual([InteractionContextType.Guild]);
  });
});
