// The real discord.js Client against the fake Discord: login, interactions, replies, uploads, threads,
// permissions, command deploys, and Discord's own refusals.

import { once } from 'node:events';
import {
  ChannelType,
  Client,
  Events,
  GatewayIntentBits,
  GatewayOpcodes,
  IntentsBitField,
  Partials,
  PermissionFlagsBits,
  Routes,
  type Interaction,
  type Message,
  type TextChannel,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeCustomId, encodeCustomId } from '../../src/discord/custom-id.js';
import { buildMessage, buildOutputMessage, renderOutputForDiscord } from '../../src/discord/format.js';
import { actionButton, actionRow } from '../../src/discord/payload.js';
import { DEFAULT_BOT_PERMISSIONS, startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type RecordedCall } from './fake-discord.js';
import { isJsonObject, type JsonObject } from './json.js';

const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.MessageContent,
];

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  // Bots before servers: destroy the client, then close the fake it talks to.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startFake(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = await startFakeDiscord(options);
  cleanups.push(() => fake.close());
  return fake;
}

function connectBot(fake: FakeDiscord): Promise<Client<true>> {
  return connectWith(fake, INTENTS);
}

async function connectWith(fake: FakeDiscord, intents: GatewayIntentBits[]): Promise<Client<true>> {
  const client = new Client({ intents, partials: [Partials.Channel], rest: { api: fake.apiBase } });
  cleanups.push(() => client.destroy());
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  if (!client.isReady()) throw new Error('client not ready after ClientReady');
  return client;
}

async function startWithBot(options: FakeDiscordOptions = {}): Promise<{ fake: FakeDiscord; client: Client<true>; lessons: TextChannel }> {
  const fake = await startFake(options);
  const client = await connectBot(fake);
  const lessons = client.channels.cache.get(fake.channelId('lessons'));
  if (lessons?.type !== ChannelType.GuildText) throw new Error('lessons channel missing from the cache');
  return { fake, client, lessons };
}

function nextInteraction(client: Client): Promise<Interaction> {
  return new Promise((resolve) => client.once(Events.InteractionCreate, resolve));
}

function nextLearnerMessage(client: Client): Promise<Message> {
  return new Promise((resolve) => {
    const listener = (message: Message): void => {
      if (message.author.bot) return;
      client.off(Events.MessageCreate, listener);
      resolve(message);
    };
    client.on(Events.MessageCreate, listener);
  });
}

/** Servers, sockets and timers alive in this process, by kind. */
function countActiveHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'TCPServerWrap' || kind === 'TCPSocketWrap' || kind === 'Timeout') counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

function bodyOf(call: RecordedCall): JsonObject {
  if (!isJsonObject(call.body)) throw new Error(`${call.method} ${call.path} had no JSON object body`);
  return call.body;
}

describe('fake Discord with the real discord.js Client', () => {
  it('logs in and reaches ClientReady quickly, with guild, channels and permissions cached', async () => {
    const fake = await startFake();
    const started = performance.now();
    const client = await connectBot(fake);
    expect(performance.now() - started).toBeLessThan(3000);

    const identify = fake.gatewayFrames.find((frame) => frame.op === GatewayOpcodes.Identify);
    expect(isJsonObject(identify?.d) && identify.d['intents']).toBe(Number(new IntentsBitField(INTENTS).bitfield));
    const gatewayCall = fake.calls.find((call) => call.path === '/gateway/bot');
    expect(gatewayCall?.authorization).toBe(`Bot ${fake.token}`);

    expect(client.user.id).toBe(fake.botUserId);
    expect(client.application.id).toBe(fake.appId);
    const lessons = client.channels.cache.get(fake.channelId('lessons'));
    expect(lessons?.type).toBe(ChannelType.GuildText);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.members.me?.permissions.bitfield).toBe(DEFAULT_BOT_PERMISSIONS);
  });

  it('delivers a slash command; deferReply and editReply hit the callback and @original routes', async () => {
    const { fake, client, lessons } = await startWithBot();
    const arrived = nextInteraction(client);
    const { id, token } = fake.interaction({
      kind: 'command',
      name: 'run',
      options: [{ name: 'command', type: 3, value: 'ls -la /proc/self/ns' }],
    });
    const interaction = await arrived;
    if (!interaction.isChatInputCommand()) throw new Error(`expected a ChatInputCommandInteraction, got type ${interaction.type}`);
    expect(interaction.commandName).toBe('run');
    expect(interaction.options.getString('command')).toBe('ls -la /proc/self/ns');
    expect(interaction.user.id).toBe(fake.learnerIds[0]);
    expect(interaction.channelId).toBe(lessons.id);
    expect(interaction.locale).toBe('ja');

    await interaction.deferReply();
    const stdout = Array.from({ length: 40 }, (_, i) => `lrwxrwxrwx 1 root root 0 ns${i} -> 'net:[4026531840]' @everyone`).join('\n');
    const rendered = renderOutputForDiscord({ stdout, stderr: '', exitCode: 0, timedOut: false, oomKilled: false, truncated: false }, { lang: 'ja' });
    await interaction.editReply(buildOutputMessage(rendered));

    const callback = await fake.waitForCall((call) => call.path === `/interactions/${id}/${token}/callback`);
    expect(bodyOf(callback)['type']).toBe(5);
    expect(callback.authorization).toBeUndefined();
    expect(callback.status).toBe(204);

    const edit = await fake.waitForCall((call) => call.method === 'PATCH' && call.path === `/webhooks/${fake.appId}/${token}/messages/@original`);
    expect(edit.rawPath).toContain('%40original');
    expect(edit.status).toBe(200);
    expect(bodyOf(edit)['allowed_mentions']).toEqual({ parse: [] });
    expect(bodyOf(edit)['content']).toBe(rendered.content);
    expect(edit.files.map((file) => [file.field, file.name])).toEqual([['files[0]', 'stdout.txt']]);
    expect(edit.files[0]?.data.toString('utf8')).toBe(stdout);

    const original = fake.messagesIn(lessons.id).at(-1);
    expect(original?.['content']).toBe(rendered.content);
    expect(original?.['flags']).toBe(0);
  });

  it('delivers a button press whose custom id decodes; update() and followUp() hit their routes', async () => {
    const { fake, client, lessons } = await startWithBot();
    const learnerId = fake.learnerIds[0] ?? '';
    const customId = encodeCustomId({ action: 'hint', learnerId, lessonId: 'namespaces', stepId: '1' });
    const sent = await lessons.send(buildMessage({ content: 'Step 1', components: [actionRow([actionButton(customId, 'ヒント')])] }));

    const arrived = nextInteraction(client);
    const { id, token } = fake.interaction({ kind: 'button', customId, messageId: sent.id });
    const interaction = await arrived;
    if (!interaction.isButton()) throw new Error(`expected a ButtonInteraction, got type ${interaction.type}`);
    expect(interaction.message.id).toBe(sent.id);
    expect(decodeCustomId(interaction.customId)).toEqual({
      ok: true,
      data: { action: 'hint', learnerId, lessonId: 'namespaces', stepId: '1' },
    });

    await interaction.update(buildMessage({ content: 'Step 1 (hint shown)', components: [] }));
    await interaction.followUp(buildMessage({ content: 'Hint: try `lsns`.' }));

    const callback = await fake.waitForCall((call) => call.path === `/interactions/${id}/${token}/callback`);
    expect(bodyOf(callback)['type']).toBe(7);
    expect(fake.messagesIn(lessons.id).find((message) => message['id'] === sent.id)?.['content']).toBe('Step 1 (hint shown)');
    const followUp = await fake.waitForCall((call) => call.method === 'POST' && call.path === `/webhooks/${fake.appId}/${token}`);
    expect(bodyOf(followUp)['content']).toBe('Hint: try `lsns`.');
    expect(bodyOf(followUp)['allowed_mentions']).toEqual({ parse: [] });
  });

  it('delivers selects, modal submits and DM slash commands, and passes raw dispatches through', async () => {
    const { fake, client } = await startWithBot();
    const learnerId = fake.learnerIds[0] ?? '';

    const selected = nextInteraction(client);
    fake.interaction({ kind: 'select', customId: encodeCustomId({ action: 'platform', learnerId }), values: ['linux/arm64'] });
    const select = await selected;
    expect(select.isStringSelectMenu() && select.values).toEqual(['linux/arm64']);

    const submitted = nextInteraction(client);
    fake.interaction({ kind: 'modal', customId: 'cs1:run:1', fields: { command: 'unshare -Ur id' } });
    const modal = await submitted;
    expect(modal.isModalSubmit() && modal.fields.getTextInputValue('command')).toBe('unshare -Ur id');

    const inDm = nextInteraction(client);
    fake.interaction({ kind: 'command', name: 'start', dm: true, locale: 'en-US' });
    const dmCommand = await inDm;
    expect(dmCommand.isChatInputCommand() && dmCommand.channel?.type).toBe(ChannelType.DM);
    expect(dmCommand.inGuild()).toBe(false);
    expect(dmCommand.locale).toBe('en-US');

    const raw = new Promise<unknown>((resolve) => client.once(Events.Raw, resolve));
    fake.dispatch('TYPING_START', { channel_id: fake.channelId('lessons'), user_id: learnerId, timestamp: 0 });
    expect(await raw).toMatchObject({ t: 'TYPING_START', d: { user_id: learnerId } });
  });

  it('records a message with an uploaded file, bytes included, and serves the attachment', async () => {
    const { fake, lessons } = await startWithBot();
    const data = Buffer.from('PID   USER     TIME  COMMAND\n    1 root      0:00 sh\n\u0000binary tail\u00ff', 'utf8');
    const sent = await lessons.send(buildMessage({ content: 'full output', files: [{ name: 'stdout.txt', attachment: data }] }));

    const upload = await fake.waitForCall((call) => call.method === 'POST' && call.path === `/channels/${lessons.id}/messages`);
    expect(upload.files).toHaveLength(1);
    expect(upload.files[0]?.name).toBe('stdout.txt');
    expect(upload.files[0]?.data.equals(data)).toBe(true);
    expect(bodyOf(upload)['attachments']).toEqual([expect.objectContaining({ id: '0' })]);

    const attachment = sent.attachments.first();
    expect(attachment?.size).toBe(data.length);
    const served = Buffer.from(await (await fetch(attachment?.url ?? '')).arrayBuffer());
    expect(served.equals(data)).toBe(true);
  });

  it('creates a private thread, adds the learner and posts in it', async () => {
    const { fake, client, lessons } = await startWithBot();
    const learnerId = fake.learnerIds[0] ?? '';
    const threadCreated = once(client, Events.ThreadCreate);
    const thread = await lessons.threads.create({ name: 'lesson-namespaces', type: ChannelType.PrivateThread, invitable: false });
    await threadCreated;
    await thread.members.add(learnerId);
    const posted = await thread.send(buildMessage({ content: 'Welcome to your lesson thread!' }));

    const create = await fake.waitForCall((call) => call.path === `/channels/${lessons.id}/threads`);
    expect(bodyOf(create)).toMatchObject({ name: 'lesson-namespaces', type: ChannelType.PrivateThread, invitable: false });
    expect(create.status).toBe(201);
    const join = await fake.waitForCall((call) => call.method === 'PUT' && call.path === `/channels/${thread.id}/thread-members/${learnerId}`);
    expect(join.status).toBe(204);
    expect(fake.threadMemberIds(thread.id).sort()).toEqual([fake.botUserId, learnerId].sort());
    expect(posted.channelId).toBe(thread.id);
    expect(fake.messagesIn(thread.id).map((message) => message['content'])).toEqual(['Welcome to your lesson thread!']);
    expect(client.channels.cache.get(thread.id)?.type).toBe(ChannelType.PrivateThread);
    expect(thread.joined).toBe(true);
  });

  it('creates a public thread from a message', async () => {
    const { fake, lessons } = await startWithBot();
    const starter = await lessons.send(buildMessage({ content: 'Lesson 1' }));
    const thread = await starter.startThread({ name: 'lesson-1' });
    expect(thread.id).toBe(starter.id);
    expect(thread.type).toBe(ChannelType.PublicThread);
    await fake.waitForCall((call) => call.path === `/channels/${lessons.id}/messages/${starter.id}/threads` && call.status === 201);
  });

  it('refuses a private thread when the bot lacks Create Private Threads, and discord.js sees it too', async () => {
    const { lessons, client } = await startWithBot({ botPermissions: DEFAULT_BOT_PERMISSIONS & ~PermissionFlagsBits.CreatePrivateThreads });
    expect(lessons.permissionsFor(client.user)?.has(PermissionFlagsBits.CreatePrivateThreads)).toBe(false);
    await expect(lessons.threads.create({ name: 'private', type: ChannelType.PrivateThread })).rejects.toMatchObject({ code: 50013, status: 403 });
    await expect(lessons.threads.create({ name: 'public', type: ChannelType.PublicThread })).resolves.toMatchObject({ name: 'public' });
  });

  it('refuses posts in threads when a channel overwrite denies the bot Send Messages In Threads', async () => {
    const { lessons } = await startWithBot({
      channels: [{ name: 'lessons', permissionOverwrites: [{ target: 'bot', deny: PermissionFlagsBits.SendMessagesInThreads }] }],
    });
    const thread = await lessons.threads.create({ name: 'quiet', type: ChannelType.PublicThread });
    expect(thread.sendable).toBe(false);
    await expect(thread.send('hello')).rejects.toMatchObject({ code: 50013 });
    await expect(lessons.send('the channel itself still works')).resolves.toMatchObject({ content: 'the channel itself still works' });
  });

  it('delivers learner messages in a guild channel and, with Partials.Channel, in DMs', async () => {
    const { fake, client, lessons } = await startWithBot();
    const inGuild = nextLearnerMessage(client);
    fake.message({ content: 'こんにちは', channelId: lessons.id });
    expect((await inGuild).content).toBe('こんにちは');

    const inDm = nextLearnerMessage(client);
    const { channelId } = fake.message({ content: '/help please', dm: true });
    const dm = await inDm;
    expect(dm.channel.type).toBe(ChannelType.DM);
    expect(dm.channelId).toBe(channelId);
    await dm.reply(buildMessage({ content: 'DM reply' }));
    const reply = await fake.waitForCall((call) => call.method === 'POST' && call.path === `/channels/${channelId}/messages`);
    expect(bodyOf(reply)['message_reference']).toMatchObject({ message_id: dm.id });
  });

  it('closes the gateway with 4014 when a privileged intent is off in the portal; discord.js gives up', async () => {
    const fake = await startFake({ privilegedIntents: { messageContent: false } });
    const client = new Client({ intents: INTENTS, partials: [Partials.Channel], rest: { api: fake.apiBase } });
    cleanups.push(() => client.destroy());
    const closes: number[] = [];
    client.on(Events.ShardDisconnect, (event) => closes.push(event.code));
    await expect(client.login(fake.token)).rejects.toThrow(/disallowed intents/i);
    expect(closes).toEqual([4014]);

    // The same application without the privileged intent logs in.
    const without = await connectWith(fake, INTENTS.filter((i) => i !== GatewayIntentBits.MessageContent));
    expect(without.user.id).toBe(fake.botUserId);
  });

  it('without Message Content, guild messages arrive empty; DMs and the bot’s own keep theirs; without Guild Messages none arrive', async () => {
    const fake = await startFake();
    const client = await connectWith(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages]);
    const lessons = client.channels.cache.get(fake.channelId('lessons')) as TextChannel;
    const inGuild = nextLearnerMessage(client);
    fake.message({ content: 'ps aux', channelId: lessons.id });
    const empty = await inGuild;
    expect(empty.content).toBe('');
    expect(empty.attachments.size).toBe(0);

    const inDm = nextLearnerMessage(client);
    fake.message({ content: 'ps aux in a DM', dm: true });
    expect((await inDm).content).toBe('ps aux in a DM');

    const own = new Promise<Message>((resolve) => client.once(Events.MessageCreate, resolve));
    await lessons.send(buildMessage({ content: 'the bot speaks' }));
    expect((await own).content).toBe('the bot speaks');

    const guildsOnly = await connectWith(fake, [GatewayIntentBits.Guilds]);
    const heard: Message[] = [];
    guildsOnly.on(Events.MessageCreate, (message) => heard.push(message));
    const stillHeard = nextLearnerMessage(client);
    fake.message({ content: 'anyone?', channelId: lessons.id });
    await stillHeard;
    expect(heard).toEqual([]);
  });

  it('deploys slash commands by bulk overwrite, globally and to the guild, and validates them', async () => {
    const { fake, client } = await startWithBot();
    const commands = [
      { name: 'start', description: 'Start a lesson' },
      { name: 'run', description: 'Run a command', options: [{ name: 'command', description: 'shell', type: 3, required: true }] },
    ];
    await client.rest.put(Routes.applicationCommands(fake.appId), { body: commands });
    const global = (await client.rest.get(Routes.applicationCommands(fake.appId))) as JsonObject[];
    expect(global.map((command) => command['name'])).toEqual(['start', 'run']);
    const startId = global[0]?.['id'];

    await client.rest.put(Routes.applicationCommands(fake.appId), { body: commands.slice(0, 1) });
    const again = (await client.rest.get(Routes.applicationCommands(fake.appId))) as JsonObject[];
    expect(again.map((command) => [command['name'], command['id']])).toEqual([['start', startId]]);

    const deployed = await client.application.commands.set(commands, fake.guildId);
    expect([...deployed.values()].map((command) => command.name).sort()).toEqual(['run', 'start']);
    const guildCall = await fake.waitForCall((call) => call.method === 'PUT' && call.path === `/applications/${fake.appId}/guilds/${fake.guildId}/commands`);
    expect(guildCall.status).toBe(200);

    await expect(client.rest.put(Routes.applicationCommands(fake.appId), { body: [{ name: 'Bad Name', description: 'x' }] })).rejects.toMatchObject({
      code: 50035,
    });
  });

  it('refuses a second acknowledgement and a late one, as Discord does', async () => {
    const { fake, client } = await startWithBot({ ackDeadlineMs: 100 });
    const first = nextInteraction(client);
    const { id, token } = fake.interaction({ kind: 'command', name: 'start' });
    const interaction = await first;
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    await interaction.deferReply();
    await expect(
      client.rest.post(Routes.interactionCallback(id, token), { body: { type: 4, data: { content: 'again' } }, auth: false }),
    ).rejects.toMatchObject({ code: 40060 });

    const second = nextInteraction(client);
    fake.interaction({ kind: 'command', name: 'start' });
    const late = await second;
    if (!late.isChatInputCommand()) throw new Error('expected a slash command');
    await new Promise((resolve) => setTimeout(resolve, 150));
    await expect(late.deferReply()).rejects.toMatchObject({ code: 10062 });
  });

  it('sends autocomplete (type 4) and takes only a valid autocomplete result (type 8) for it', async () => {
    const { fake, client } = await startWithBot();
    const typing = () => {
      const next = nextInteraction(client);
      const sent = fake.interaction({ kind: 'autocomplete', name: 'ask', options: [{ type: 3, name: 'question', value: 'nam', focused: true }] });
      return { next, sent };
    };
    const first = typing();
    const interaction = await first.next;
    if (!interaction.isAutocomplete()) throw new Error('expected an autocomplete interaction');
    expect(interaction.options.getFocused(true)).toMatchObject({ name: 'question', value: 'nam' });
    const choice = (n: number) => ({ name: `choice ${n}`, value: `value ${n}` });
    await expect(interaction.respond(Array.from({ length: 26 }, (_, n) => choice(n)))).rejects.toMatchObject({ code: 50035 });
    await expect(interaction.respond([{ name: 'x'.repeat(101), value: 'v' }])).rejects.toMatchObject({ code: 50035 });
    await expect(
      client.rest.post(Routes.interactionCallback(first.sent.id, first.sent.token), { body: { type: 5 }, auth: false }),
    ).rejects.toMatchObject({ code: 50035 });
    await interaction.respond(Array.from({ length: 25 }, (_, n) => choice(n)));

    const command = nextInteraction(client);
    const { id, token } = fake.interaction({ kind: 'command', name: 'start' });
    await command;
    await expect(client.rest.post(Routes.interactionCallback(id, token), { body: { type: 8, data: { choices: [] } }, auth: false })).rejects.toMatchObject({ code: 50035 });
  });

  it('refuses what Discord refuses: content over 2000 characters, an empty message', async () => {
    const { lessons } = await startWithBot();
    await expect(lessons.send({ content: 'x'.repeat(2001) })).rejects.toMatchObject({ code: 50035 });
    await expect(lessons.send(buildMessage({ content: 'x'.repeat(5000) }))).resolves.toMatchObject({ content: expect.stringMatching(/…$/) });
    await expect(lessons.send({ content: '' })).rejects.toThrow();
  });

  it('answers heartbeats, so the gateway ping gets measured', async () => {
    const fake = await startFake({ heartbeatIntervalMs: 100 });
    const client = await connectBot(fake);
    const deadline = Date.now() + 2000;
    while (client.ws.ping < 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.gatewayFrames.some((frame) => frame.op === GatewayOpcodes.Heartbeat)).toBe(true);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it('answers unknown routes with 404 and requests without the bot token with 401', async () => {
    const fake = await startFake();
    const unknown = await fetch(`${fake.apiBase}/v10/nothing/here`, { headers: { authorization: `Bot ${fake.token}` } });
    expect(unknown.status).toBe(404);
    const unauthorised = await fetch(`${fake.apiBase}/v10/users/@me`);
    expect(unauthorised.status).toBe(401);
    expect(fake.calls.map((call) => [call.route, call.status])).toEqual([
      [undefined, 404],
      ['GET /users/@me', 401],
    ]);
  });

  it('leaves no server, socket or timer behind once the client is destroyed and the fake closed', async () => {
    const handlesBefore = countActiveHandles();
    const fake = await startFakeDiscord();
    const client = new Client({ intents: INTENTS, partials: [Partials.Channel], rest: { api: fake.apiBase } });
    const ready = once(client, Events.ClientReady);
    await client.login(fake.token);
    await ready;
    await client.destroy();
    await fake.close();
    // Sockets finish closing on later turns of the event loop (the previous test's too, so compare kind by kind).
    const leftOver = (): string[] => {
      const now = countActiveHandles();
      return Object.keys(now).filter((kind) => (now[kind] ?? 0) > (handlesBefore[kind] ?? 0));
    };
    const deadline = Date.now() + 1000;
    while (leftOver().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(leftOver()).toEqual([]);
    await expect(fetch(`${fake.apiBase}/v10/gateway/bot`)).rejects.toThrow();
  });
});
