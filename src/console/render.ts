import type { Block, Choice, Reply } from '../tutor/reply.js';
import { stripTerminalControls } from '../text/sanitize.js';
import { statusLine } from '../text/output-text.js';
import { placeName } from '../tutor/persona-talk.js';

const paint = (on: boolean) => (code: string, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/** Shown inline; the rest of a long output is summarised (the terminal keeps it readable). */
const OUTPUT_LINES = 40;

/**
 * Turns a Reply into terminal text. Numbered choices can be picked by typing their number; they are shown
 * together at the end (as Discord's buttons ride on the last message), so one set reads [1], [2], … with no gap.
 */
export function renderForTerminal(reply: Reply, opts: { color: boolean }): { text: string; choices: Choice[] } {
  const c = paint(opts.color);
  const out: string[] = [];
  const choices: Choice[] = [];
  for (const block of reply.blocks) if (block.kind !== 'choices') out.push(renderBlock(block, c, reply.lang, choices));
  const all = reply.blocks.flatMap((b) => (b.kind === 'choices' ? b.choices : []));
  if (all.length > 0) out.push(renderBlock({ kind: 'choices', choices: all }, c, reply.lang, choices));
  return { text: out.filter((s) => s !== '').join('\n\n'), choices };
}

function renderBlock(block: Block, c: ReturnType<typeof paint>, lang: Reply['lang'], choices: Choice[]): string {
  switch (block.kind) {
    case 'text': {
      const text = boldToTerminal(block.text.trim(), c);
      if (block.role === 'point') return c('1', text);
      if (block.role === 'tip' || block.role === 'hint') return c('33', text);
      if (block.role === 'question') return c('36', text);
      if (block.role === 'notice') return c('2', text);
      return text;
    }
    case 'command': {
      const where = block.where;
      const label =
        where.kind === 'own-machine'
          ? lang === 'ja' ? `あなたのマシンで（${where.platform}）` : `on your machine (${where.platform})`
          : lang === 'ja' ? 'ここで実行（そのまま入力）' : 'run here (type it as it is)';
      const lines = block.command.trim().split('\n').map((l) => (where.kind === 'own-machine' ? `  ${l}` : `  $ ${l}`));
      return `${c('2', label)}\n${c('36', lines.join('\n'))}`;
    }
    case 'output': {
      const r = block.result;
      const body: string[] = [];
      const show = (text: string, color: string) => {
        const clean = stripTerminalControls(text).replace(/\n$/, '');
        if (clean === '') return;
        const lines = clean.split('\n');
        const shown = lines.slice(0, OUTPUT_LINES).map((l) => `│ ${c(color, l)}`);
        if (lines.length > OUTPUT_LINES) shown.push(`│ ${c('2', `… ${lines.length - OUTPUT_LINES} more lines`)}`);
        body.push(...shown);
      };
      show(r.stdout, '0');
      show(r.stderr, '31');
      if (body.length === 0) body.push(`│ ${c('2', lang === 'ja' ? '（出力なし）' : '(no output)')}`);
      const status = boldToTerminal(statusLine({ exitCode: r.exitCode, timedOut: r.timedOut, oomKilled: r.oomKilled }, lang), c);
      const extra = r.truncated ? (lang === 'ja' ? ' · 出力は途中まで' : ' · output truncated') : '';
      const place = block.where.kind === 'own-machine' ? '' : `[${placeName(lang, block.where)}] `;
      return `${c('2', `┌ ${place}$ ${block.command.split('\n')[0]}`)}\n${body.join('\n')}\n${c('2', `└ ${status} · ${r.durationMs} ms${extra}`)}`;
    }
    case 'choices': {
      const start = choices.length;
      choices.push(...block.choices);
      return block.choices.map((ch, i) => c('35', `[${start + i + 1}] ${ch.label}`)).join('  ');
    }
    case 'progress': {
      const width = 20;
      const filled = block.total === 0 ? 0 : Math.round((block.done / block.total) * width);
      return `${block.label}\n  ${c('32', '█'.repeat(filled))}${c('2', '░'.repeat(width - filled))} ${block.done}/${block.total}`;
    }
  }
}

/** `**bold**` is the one markdown the tutor's text uses that a terminal can show. */
function boldToTerminal(text: string, c: ReturnType<typeof paint>): string {
  return text.replace(/\*\*([^*\n]+)\*\*/g, (_, inner: string) => c('1', inner));
}
