import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createAsk } from '../../src/knowledge/ask.js';
import { modelSettings, type ModelSettings } from '../../src/knowledge/llm.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { respond } from '../../src/knowledge/respond.js';
import { ZERO_WIDTH_SPACE } from '../../src/text/sanitize.js';
import { FIXTURE_KNOWLEDGE, realCurriculum } from './fixtures.js';

const curriculum = await realCurriculum();
const ask = createAsk({ cards: await loadKnowledge(FIXTURE_KNOWLEDGE, { curriculum }), curriculum });

interface Seen {
  path: string;
  authorization: string | undefined;
  body: { model: string; messages: { role: string; content: string }[] };
}

/** A small OpenAI-compatible /chat/completions server; each test says how it answers. */
let server: Server;
let answer: (res: ServerResponse) => void;
const seen: Seen[] = [];

function completion(content: string): (res: ServerResponse) => void {
  return (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
  };
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(body) as Seen['body'] });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen.length = 0;
});

const settings = (over: Partial<ModelSettings> = {}): ModelSettings => ({
  baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`,
  model: 'tiny-tutor',
  apiKey: 'sk-test',
  timeoutMs: 2000,
  ...over,
});

const QUESTION = 'what is a network namespace?';
const OFFLINE = 'A network namespace gives a group of processes their own copy of the network stack';

describe('the optional language model', () => {
  it('rewrites a confident answer from the retrieved cards only, citing them', async () => {
    answer = completion('Great question! Each network namespace has its own interfaces, routes and ports [card:netns]. 💡 Look at `ip -o link`.');
    const { reply, model } = await respond(ask, QUESTION, 'en', { model: settings() });
    expect(model).toMatchObject({ ok: true, cited: ['netns'] });
    expect(reply.answer).toContain('Each network namespace has its own interfaces, routes and ports (📇 `netns`).');
    expect(reply.answer).not.toContain(OFFLINE);
    expect(reply).toMatchObject({ card: 'netns', try: { command: 'ip -o link' }, lesson: 'network-namespace' });
    const [request] = seen;
    expect(request).toMatchObject({ path: '/v1/chat/completions', authorization: 'Bearer sk-test', body: { model: 'tiny-tutor' } });
    const context = request!.body.messages.map((m) => m.content).join('\n');
    expect(context).toContain('[card:netns]');
    expect(context).toContain(QUESTION);
    expect(context).not.toContain('[card:overlayfs]');
  });

  it('falls back to the offline answer after its timeout', async () => {
    answer = (res) => setTimeout(() => completion('too late [card:netns]')(res), 1500);
    const started = Date.now();
    const { reply, model } = await respond(ask, QUESTION, 'en', { model: settings({ timeoutMs: 300 }) });
    expect(Date.now() - started).toBeLessThan(1400);
    expect(model).toMatchObject({ ok: false, why: 'timeout' });
    expect(reply.answer).toContain(OFFLINE);
  });

  it.each([
    ['HTTP 500', (res: ServerResponse) => res.writeHead(500).end('{"error":"boom"}'), 'http'],
    ['broken JSON', (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": [{"message": {"content": "half'), 'bad-json'],
    ['JSON without a message', (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": []}'), 'bad-json'],
    ['an empty answer', completion('   '), 'empty'],
    ['an answer citing no card', completion('Namespaces isolate things.'), 'no-citation'],
    ['an answer citing a card it was not given', completion('See [card:netns] and [card:overlayfs].'), 'no-citation'],
    ['an answer that breaks out of a code block', completion('Sure [card:netns]\n```\n@everyone run rm -rf /\n```'), 'unsafe'],
    ['the model saying the cards do not answer it', completion('NO_ANSWER'), 'no-answer'],
  ])('falls back to the offline answer on %s', async (_, how, why) => {
    answer = how;
    const { reply, model } = await respond(ask, QUESTION, 'en', { model: settings() });
    expect(model).toMatchObject({ ok: false, why });
    expect(reply.answer).toContain(OFFLINE);
  });

  it('defuses mentions in the model’s text', async () => {
    answer = completion('Hey @everyone and @here, <@123456789> look: namespaces isolate [card:netns].');
    const { reply, model } = await respond(ask, QUESTION, 'en', { model: settings() });
    expect(model?.ok).toBe(true);
    expect(reply.answer).toContain(`@${ZERO_WIDTH_SPACE}everyone`);
    expect(reply.answer).toContain(`@${ZERO_WIDTH_SPACE}here`);
    expect(reply.answer).not.toMatch(/@everyone|@here|<@\d/);
  });

  it('falls back when nothing listens', async () => {
    const { reply, model } = await respond(ask, QUESTION, 'en', { model: settings({ baseUrl: 'http://127.0.0.1:9/v1' }) });
    expect(model).toMatchObject({ ok: false, why: 'network' });
    expect(reply.answer).toContain(OFFLINE);
  });

  it('is never asked when no card is confident: a weak match is not a guess', async () => {
    answer = completion('made up [card:netns]');
    const { reply, model } = await respond(ask, 'how are limits kept', 'en', { model: settings() });
    expect(model).toBeUndefined();
    expect(seen).toEqual([]);
    expect(reply.card).toBeNull();
  });

  it('is off unless LLM_BASE_URL is set, and needs LLM_MODEL with it', () => {
    expect(modelSettings(loadConfig({}))).toBeUndefined();
    expect(() => modelSettings(loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1' }))).toThrow(/LLM_MODEL/);
    expect(modelSettings(loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'llama3.1' }))).toEqual({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1', timeoutMs: 8000 });
    expect(() => loadConfig({ LLM_BASE_URL: 'ftp://x' })).toThrow(/LLM_BASE_URL/);
  });
});
