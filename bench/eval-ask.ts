/**
 * `npm run eval:ask`: retrieval quality and speed on test/fixtures/ask-questions.yaml, per language and split,
 * plus in-process retrieval p95 with every card loaded and `sensei ask` as a cold process.
 *
 *   --knowledge DIR   the cards (default: knowledge/)
 *   --questions FILE  the labelled questions (default: test/fixtures/ask-questions.yaml)
 *   --fit             fit the confidence model on the TUNE split and print it (never the held split)
 *   --misses          print the tune split's misses (the held split is never printed)
 *   --write-doc       put the table into docs/ASK.md
 *   --no-cold         skip the cold-process timing
 *   --split tune      report the tune split only (while tuning: never look at held)
 *   --known           only questions whose label is null or a card that exists (while cards are being written)
 */
import { execFile } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { createAsk } from '../src/knowledge/ask.js';
import { ANSWER_THRESHOLD, CONFIDENCE_MODEL, type ConfidenceFeatures, type ConfidenceModel } from '../src/knowledge/confidence.js';
import { formatEvalTable, parseEvalQuestions, percentile, runEval, summarize, evalSplits, type EvalRow } from '../src/knowledge/evaluate.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { loadCurriculum, lessonLanguages } from '../src/lessons/index.js';

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const { values } = parseArgs({
  options: {
    knowledge: { type: 'string', default: root('knowledge') },
    questions: { type: 'string', default: root('test/fixtures/ask-questions.yaml') },
    fit: { type: 'boolean', default: false },
    misses: { type: 'boolean', default: false },
    'write-doc': { type: 'boolean', default: false },
    'no-cold': { type: 'boolean', default: false },
    split: { type: 'string' },
    known: { type: 'boolean', default: false },
  },
});

const curriculum = await loadCurriculum(root('lessons'));
const knowledge = await loadKnowledge(values.knowledge, { curriculum });
const cardIds = new Set(knowledge.list('en').map((c) => c.id));
const questions = parseEvalQuestions(await readFile(values.questions, 'utf8')).filter(
  (q) => (!values.split || q.split === values.split) && (!values.known || q.card === null || cardIds.has(q.card)),
);
const ask = createAsk({ cards: knowledge, curriculum });

// Warm up (index build, segmenter, the JIT) so latency is retrieval alone.
for (const q of questions) ask.answer(q.q, q.lang);
const rows = runEval(ask, questions);
const metrics = lessonLanguages.flatMap((lang) => evalSplits.filter((s) => !values.split || s === values.split).map((split) => summarize(rows, lang, split, cardIds)));

const timings: number[] = [];
for (let i = 0; i < 3; i++) {
  for (const q of questions) {
    const t = performance.now();
    ask.answer(q.q, q.lang);
    timings.push(performance.now() - t);
  }
}

const lines = [
  `cards: ${knowledge.size} per language; questions: ${questions.length}; threshold ${ANSWER_THRESHOLD}`,
  '',
  formatEvalTable(metrics),
  '',
  `in-process retrieval with every card loaded: p50 ${percentile(timings, 50).toFixed(2)} ms, p95 ${percentile(timings, 95).toFixed(2)} ms, max ${Math.max(...timings).toFixed(2)} ms (${timings.length} questions)`,
];
const unknown = [...new Set(metrics.flatMap((m) => m.unknownLabels))];
if (unknown.length > 0) lines.push(`labels naming no card (${unknown.length}): ${unknown.join(', ')}`);

if (!values['no-cold']) {
  const cold = await coldRuns([root('bin/sensei.js'), 'ask', '--json', '--', 'what is a network namespace?'], [root('bin/sensei.js'), 'ask', '--json', '--', 'cgroupのv1とv2の違いは？']);
  const bare = await coldRuns(['-e', '']);
  lines.push(
    `sensei ask as a cold process: p50 ${percentile(cold.wall, 50).toFixed(0)} ms, max ${Math.max(...cold.wall).toFixed(0)} ms wall; ${percentile(cold.cpu, 50).toFixed(0)} ms CPU (${cold.wall.length} runs after one that refreshes the cache)`,
    `  for scale, an empty \`node -e ''\` here: p50 ${percentile(bare.wall, 50).toFixed(0)} ms wall, ${percentile(bare.cpu, 50).toFixed(0)} ms CPU; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);

if (values.misses) {
  process.stdout.write('\ntune-split misses (label → ranked; * = asserted):\n');
  for (const r of rows.filter((r) => r.question.split === 'tune')) {
    const wrongTop = r.question.card !== null && r.ranked[0] !== r.question.card;
    const wrongAnswer = r.answered !== undefined && r.answered !== r.question.card;
    const abstained = r.question.card !== null && r.answered === undefined;
    if (!wrongTop && !wrongAnswer && !abstained) continue;
    process.stdout.write(`  [${r.question.lang}] ${r.question.q}\n      ${r.question.card} → ${r.ranked.join(', ')}${r.answered ? ` *${r.answered}` : ''} (${r.confidence.toFixed(2)})\n`);
  }
}

if (values.fit) process.stdout.write(`\n${fitReport(rows.filter((r) => r.question.split === 'tune'))}\n`);

if (values['write-doc']) {
  const doc = root('docs/ASK.md');
  const text = await readFile(doc, 'utf8');
  const block = `<!-- eval:start -->\nMeasured ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} with \`npm run eval:ask\` on this machine (2 cores, shared).\n\n${lines.join('\n')}\n<!-- eval:end -->`;
  await writeFile(doc, text.replace(/<!-- eval:start -->[\s\S]*<!-- eval:end -->/, block));
}

/**
 * Wall and CPU (user + sys, from /usr/bin/time) milliseconds of fresh node processes, alternating between the
 * argument lists; one run first, unmeasured, so `sensei ask` refreshes its transpiled code and cached bundle.
 */
async function coldRuns(...argLists: string[][]): Promise<{ wall: number[]; cpu: number[] }> {
  const run = promisify(execFile);
  const env = { ...process.env, SENSEI_KNOWLEDGE_DIR: values.knowledge };
  await run(process.execPath, argLists[0]!, { env });
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    const { stderr } = await run('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, ...argLists[i % argLists.length]!], { env });
    wall.push(performance.now() - t);
    const [, user, sys] = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr) ?? [];
    cpu.push((Number(user) + Number(sys)) * 1000);
  }
  return { wall, cpu };
}

/** Logistic regression of "the top card is right" on the tune split, then the threshold that keeps it safe. */
function fitReport(tune: readonly EvalRow[]): string {
  const data = tune.filter((r) => r.features).map((r) => ({ f: r.features!, y: r.question.card !== null && r.ranked[0] === r.question.card ? 1 : 0 }));
  const keys = Object.keys(CONFIDENCE_MODEL).filter((k) => k !== 'bias') as (keyof ConfidenceFeatures)[];
  const w: Record<string, number> = Object.fromEntries(Object.keys(CONFIDENCE_MODEL).map((k) => [k, 0]));
  const rate = 0.5;
  for (let epoch = 0; epoch < 10_000; epoch++) {
    const grad: Record<string, number> = Object.fromEntries(Object.keys(w).map((k) => [k, 0]));
    for (const { f, y } of data) {
      const x = w.bias! + keys.reduce((n, k) => n + w[k]! * f[k], 0);
      const error = 1 / (1 + Math.exp(-x)) - y;
      grad.bias! += error;
      for (const k of keys) grad[k]! += error * f[k];
    }
    for (const k of Object.keys(w)) w[k]! -= (rate * (grad[k]! + 0.01 * (k === 'bias' ? 0 : w[k]!))) / data.length;
  }
  const model = w as unknown as ConfidenceModel;
  const conf = (f: ConfidenceFeatures) => 1 / (1 + Math.exp(-(model.bias + keys.reduce((n, k) => n + model[k] * f[k], 0))));
  const out = [`fitted on ${data.length} tune questions: ${JSON.stringify(Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Number(v.toFixed(3))])))}`];
  for (const threshold of [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95]) {
    const answered = data.filter((d) => conf(d.f) >= threshold);
    const wrong = answered.filter((d) => d.y === 0).length;
    out.push(`  threshold ${threshold}: answers ${answered.length}/${tune.length} (right ${answered.length - wrong}), wrong ${wrong} (${((wrong / tune.length) * 100).toFixed(1)}% of all)`);
  }
  return out.join('\n');
}
