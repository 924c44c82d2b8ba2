/**
 * `npm run eval:lines`: how the line classifier (src/tutor/line-kind.ts) does on the labelled lines in
 * test/fixtures/lines.tsv, and on the hold-out lines (test/fixtures/lines-holdout.tsv) written after the
 * rules were settled. Prints Markdown tables (per place, per language) and every misclassified line.
 * Exits 1 when a target is missed: no prose run in either set, and ≥ 99% of the labelled set's commands
 * recognised (the hold-out is small: one line is more than 1%, so its recognition is reported, not held).
 */
import { breakdown, judge, loadLineSet, misclassified, tableOf, tally, type Judged } from './line-set.js';

const sets: [string, URL, { holdRecognition: boolean }][] = [
  ['labelled set (test/fixtures/lines.tsv)', new URL('../test/fixtures/lines.tsv', import.meta.url), { holdRecognition: true }],
  ['hold-out (test/fixtures/lines-holdout.tsv)', new URL('../test/fixtures/lines-holdout.tsv', import.meta.url), { holdRecognition: false }],
];

const show = (j: Judged) => `  ${j.label.padEnd(7)} → ${j.got.padEnd(7)} ${j.place.padEnd(9)} ${j.awaiting ? 'awaiting ' : '         '} ${JSON.stringify(j.line)}  (line ${j.at})`;

console.log(`# Line classifier evaluation, ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC\n`);
let missed = false;
for (const [name, file, { holdRecognition }] of sets) {
  const judged = judge(loadLineSet(file));
  const t = tally(judged);
  console.log(`## ${name}\n`);
  console.log(`total ${judged.length} lines: ${t.commands} commands, ${t.chats} chat`);
  console.log(`commands recognised ${t.recognised}/${t.commands} (${((100 * t.recognised) / t.commands).toFixed(1)}%), left unsure ${t.commandsUnsure}, taken for chat ${t.commands - t.recognised - t.commandsUnsure}`);
  console.log(`prose run ${t.proseRun} (target 0), chat asked about ${t.chatUnsure}/${t.chats}\n`);
  console.log(tableOf(breakdown(judged)));
  const wrong = misclassified(judged);
  console.log(`\nmisclassified (${wrong.length}):  label → got  place`);
  for (const j of wrong) console.log(show(j));
  console.log('');
  if (t.proseRun > 0 || (holdRecognition && t.recognised < 0.99 * t.commands)) missed = true;
}
process.exitCode = missed ? 1 : 0;
