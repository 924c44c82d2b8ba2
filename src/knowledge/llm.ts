// The optional language model (off by default): an OpenAI-compatible /chat/completions endpoint rewrites a
// confident answer in the tutor's shape from the retrieved cards ONLY, citing their ids. Any failure
// (timeout, HTTP error, broken JSON, an empty or unsafe answer) means the offline answer is used instead.

import type { Lang } from '../lessons/languages.js';
import { escapeMentions, findCodeBlockEscapes, stripTerminalControls } from '../text/sanitize.js';
import type { Card } from './knowledge.js';

export interface ModelSettings {
  /** The API base, e.g. http://127.0.0.1:11434/v1; `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
}

/** Why the model's answer was not used; the caller shows the offline answer. */
export type ModelFailure = 'timeout' | 'http' | 'bad-json' | 'empty' | 'no-answer' | 'unsafe' | 'no-citation' | 'network';

export type ModelOutcome = { ok: true; text: string; cited: string[] } | { ok: false; why: ModelFailure; detail: string };

/** A rewrite longer than this is not the short answer we asked for. */
const MAX_MODEL_CHARS = 1500;
const CITATION = /\[card:([a-z0-9]+(?:-[a-z0-9]+)*)\]/g;

/** The settings from the config, or undefined when no model is configured. */
export function modelSettings(config: { LLM_BASE_URL?: string | undefined; LLM_MODEL?: string | undefined; LLM_API_KEY?: string | undefined; LLM_TIMEOUT_MS: number }): ModelSettings | undefined {
  if (!config.LLM_BASE_URL) return undefined;
  if (!config.LLM_MODEL) throw new Error('LLM_BASE_URL is set but LLM_MODEL is not; name the model to use (e.g. LLM_MODEL=llama3.1)');
  return { baseUrl: config.LLM_BASE_URL, model: config.LLM_MODEL, timeoutMs: config.LLM_TIMEOUT_MS, ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}) };
}

const PERSONA: Record<Lang, string> = {
  ja: 'あなたは Container Sensei。コンテナの仕組み（名前空間、cgroup、OverlayFS など）を教える、温かく親しみやすい先輩エンジニア（だよ/だね口調）です。日本語で答えてください。',
  en: 'You are Container Sensei, a warm, encouraging senior engineer who teaches how containers work (namespaces, cgroups, OverlayFS). Answer in plain, friendly English.',
};

export function buildMessages(question: string, lang: Lang, cards: readonly Card[]): { role: 'system' | 'user'; content: string }[] {
  const rules = [
    PERSONA[lang],
    'Use ONLY the facts in the cards below; never add facts of your own. If the cards do not answer the question, reply with exactly NO_ANSWER.',
    'Shape: one sentence of empathy, then the core point and why, briefly, then one 💡 tip if the cards give one. At most 600 characters.',
    'Markdown with `inline code` is fine; no headings, no code blocks, no links, no mentions.',
    'Cite every card you used as [card:ID] (for example [card:netns]) at the end of the sentence that uses it.',
  ].join('\n');
  const context = cards.map((c) => `[card:${c.id}] ${c.title}\n${c.what ? `${c.what.trim()}\n` : ''}${c.answer.trim()}\nSources: ${c.sources.join(' ')}`).join('\n\n');
  return [
    { role: 'system', content: rules },
    { role: 'user', content: `Cards:\n\n${context}\n\nQuestion: ${question}` },
  ];
}

/** Makes the model's text safe to show like command output, or says why it cannot be shown. */
export function checkModelText(raw: string, allowed: readonly string[]): ModelOutcome {
  const text = escapeMentions(stripTerminalControls(raw)).trim();
  if (text === '') return { ok: false, why: 'empty', detail: 'the model returned no text' };
  if (/^NO_ANSWER\b/.test(text)) return { ok: false, why: 'no-answer', detail: 'the model said the cards do not answer it' };
  const escapes = findCodeBlockEscapes(text);
  if (escapes.length > 0) return { ok: false, why: 'unsafe', detail: `the text contains ${escapes.join(', ')}` };
  if ([...text].length > MAX_MODEL_CHARS) return { ok: false, why: 'unsafe', detail: `the text is longer than ${MAX_MODEL_CHARS} characters` };
  const cited = [...new Set([...text.matchAll(CITATION)].map((m) => m[1]!))];
  const known = cited.filter((id) => allowed.includes(id));
  if (known.length === 0 || known.length < cited.length) {
    return { ok: false, why: 'no-citation', detail: `cited [${cited.join(', ')}], retrieved [${allowed.join(', ')}]` };
  }
  return { ok: true, text: text.replace(CITATION, '(📇 `$1`)'), cited: known };
}

/** Asks the model for the rewrite; never throws. */
export async function rewriteWithModel(settings: ModelSettings, input: { question: string; lang: Lang; cards: readonly Card[] }): Promise<ModelOutcome> {
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}) },
      body: JSON.stringify({ model: settings.model, messages: buildMessages(input.question, input.lang, input.cards), temperature: 0.2, max_tokens: 600, stream: false }),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    body = await response.text();
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { ok: false, why: timedOut ? 'timeout' : 'network', detail: err instanceof Error ? err.message : String(err) };
  }
  if (!response.ok) return { ok: false, why: 'http', detail: `HTTP ${response.status}` };
  let content: unknown;
  try {
    const parsed = JSON.parse(body) as { choices?: { message?: { content?: unknown } }[] };
    content = parsed.choices?.[0]?.message?.content;
  } catch {
    return { ok: false, why: 'bad-json', detail: 'the response is not JSON' };
  }
  if (typeof content !== 'string') return { ok: false, why: 'bad-json', detail: 'no choices[0].message.content in the response' };
  return checkModelText(content, input.cards.map((c) => c.id));
}
