// `sensei ask` and `sensei ask gaps`. bin/sensei.js runs this module precompiled (see bin/compiled-ask.js), so
// a cold `sensei ask` loads neither tsx, zod nor the YAML parser when the cached bundle is fresh.

import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lessonLanguages, type Lang } from '../lessons/languages.js';
import { createAsk, type Ask } from './ask.js';
import { knowledgeDirOf, loadAskBundle, type AskBundle } from './bundle.js';
import type { ModelSettings } from './llm.js';
import { askWords, type AskReply } from './reply.js';
import { respond } from './respond.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const ASK_USAGE = `Usage:
  sensei ask [--lang ja|en] [--json] -- "question"   answer one question from the knowledge cards
  sensei ask [--lang ja|en] [--json] < questions.txt  one question per line, one answer per line (--json)
  sensei ask gaps [--limit N]                          the most asked unanswered questions, the worst-rated cards`;

interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const processIo: Io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

/** The language a question is written in, when the learner did not say: any kana or kanji means Japanese. */
export function guessLang(question: string): Lang {
  return /[\u3041-\u30FF\u4E00-\u9FFF]/u.test(question) ? 'ja' : 'en';
}

export async function commandAsk(argv: string[], io: Io = processIo): Promise<number> {
  if (argv[0] === 'gaps') return commandAskGaps(argv.slice(1), io);
  let values: { lang?: string; json?: boolean; knowledge?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { lang: { type: 'string' }, json: { type: 'boolean', default: false }, knowledge: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    io.stderr.write(`sensei: ${(err as Error).message}\n\n${ASK_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(`${ASK_USAGE}\n`);
    return 0;
  }
  const lang = values.lang as Lang | undefined;
  if (lang !== undefined && !lessonLanguages.includes(lang)) {
    io.stderr.write(`sensei: --lang must be one of: ${lessonLanguages.join(', ')}\n`);
    return 2;
  }
  let model: ModelSettings | undefined;
  try {
    model = await modelFromEnvironment();
  } catch (err) {
    io.stderr.write(`sensei: ${(err as Error).message}\n`);
    return 1;
  }
  const knowledgeDir = values.knowledge ?? knowledgeDirOf(ROOT);
  // One bundle (cards, lessons, index) per language, loaded the first time a question needs it.
  const loaded = new Map<Lang, { bundle: AskBundle; ask: Ask }>();
  const load = async (questionLang: Lang) => {
    let entry = loaded.get(questionLang);
    if (!entry) {
      const bundle = await loadAskBundle({ root: ROOT, knowledgeDir, lessonsDir: join(ROOT, 'lessons'), lang: questionLang });
      entry = { bundle, ask: createAsk({ cards: bundle.knowledge, curriculum: bundle.curriculum, indexes: { [questionLang]: bundle.index } }) };
      loaded.set(questionLang, entry);
    }
    return entry;
  };
  const answerOne = async (question: string) => {
    const questionLang = lang ?? guessLang(question);
    const { bundle, ask } = await load(questionLang);
    const { reply } = await respond(ask, question, questionLang, {
      ...(model ? { model } : {}),
      lessonTitle: (id) => bundle.curriculum.get(questionLang, id)?.title,
    });
    io.stdout.write(values.json ? `${JSON.stringify(reply)}\n` : `${formatText(reply, questionLang)}\n`);
  };
  try {
    return await answerQuestions(positionals, values.json ?? false, io, answerOne);
  } catch (err) {
    if (!(err instanceof Error && (err.name === 'KnowledgeError' || err.name === 'CurriculumError'))) throw err;
    io.stderr.write(`sensei: ${err.message}\n`);
    return 1;
  }
}

/** The question from the arguments, else one per line of stdin. */
async function answerQuestions(positionals: string[], json: boolean, io: Io, answerOne: (question: string) => Promise<void>): Promise<number> {
  if (positionals.length > 0) {
    await answerOne(positionals.join(' '));
    return 0;
  }
  const lines = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let first = true;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    if (!first && !json) io.stdout.write('\n');
    first = false;
    await answerOne(line);
  }
  return 0;
}

/** The model only when the environment names one: the config (and zod) is not loaded otherwise. */
async function modelFromEnvironment(): Promise<ModelSettings | undefined> {
  if (!process.env.LLM_BASE_URL) return undefined;
  const { loadConfig } = await import('../config.js');
  const { modelSettings } = await import('./llm.js');
  return modelSettings(loadConfig());
}

function formatText(reply: AskReply, lang: Lang): string {
  const lines = [reply.answer];
  if (reply.sources.length > 0) lines.push('', `${askWords[lang].sources}:`, ...reply.sources.map((s) => `  ${s}`));
  const facts = [reply.card ? `card ${reply.card}` : 'no card', `confidence ${reply.confidence.toFixed(2)}`];
  if (reply.lesson) facts.push(`lesson ${reply.lesson}`);
  if (reply.suggestions.length > 0) facts.push(`did you mean: ${reply.suggestions.join(', ')}`);
  lines.push('', `[${facts.join(' · ')}]`);
  return lines.join('\n');
}

async function commandAskGaps(argv: string[], io: Io): Promise<number> {
  let limit: number;
  try {
    const { values } = parseArgs({ args: argv, options: { limit: { type: 'string', default: '20' } } });
    limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new Error('--limit must be a whole number of at least 1');
  } catch (err) {
    io.stderr.write(`sensei: ${(err as Error).message}\n\n${ASK_USAGE}\n`);
    return 2;
  }
  const { loadConfig } = await import('../config.js');
  const { createRedis, pingRedis } = await import('../store/redis.js');
  const { AskGaps, formatGapsReport } = await import('./gaps.js');
  const config = loadConfig();
  const redis = createRedis(config.REDIS_URL, 'producer');
  try {
    await pingRedis(redis, config.REDIS_URL);
    const gaps = new AskGaps(redis, config.SENSEI_PREFIX);
    io.stdout.write(`${formatGapsReport(await gaps.topGaps(limit), await gaps.worstCards(limit))}\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`sensei: ${(err as Error).message}\n`);
    return 1;
  } finally {
    redis.disconnect();
  }
}
