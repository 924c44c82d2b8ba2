// Words shown around sandbox output, in both languages the tutor speaks. No literal ``` may appear here:
// these strings go into message content next to code blocks.

import type { CodeBlockEscapeReason } from './sanitize.js';

export type Lang = 'ja' | 'en';

const SIGNAL_NAMES: Readonly<Record<number, string>> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  6: 'SIGABRT',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
};

/** The signal behind a shell-style exit code (128 + n), if the code is one. */
export function signalFromExitCode(exitCode: number | null): { number: number; name: string } | undefined {
  if (exitCode === null || exitCode <= 128 || exitCode > 128 + 64) return undefined;
  const number = exitCode - 128;
  return { number, name: SIGNAL_NAMES[number] ?? `signal ${number}` };
}

export interface StatusFacts {
  exitCode: number | null;
  timedOut: boolean;
  oomKilled: boolean;
}

export function statusLine(facts: StatusFacts, lang: Lang): string {
  const code = facts.exitCode;
  const exitPart = code === null ? undefined : lang === 'ja' ? `終了コード ${code}` : `exit code ${code}`;
  if (facts.timedOut) return withExit(lang === 'ja' ? '⏱️ **時間切れ**' : '⏱️ **Timed out**', exitPart);
  // A child was OOM-killed but the command itself ended well (a shell that went on to `echo`): its own status leads.
  if (facts.oomKilled && code !== 0) return withExit(lang === 'ja' ? '💥 **メモリ不足**' : '💥 **Out of memory**', exitPart);
  if (exitPart === undefined) return lang === 'ja' ? '❔ 終了コードなし' : '❔ no exit code';
  return `${code === 0 ? '✅' : '❌'} ${exitPart}`;
}

function withExit(headline: string, exitPart: string | undefined): string {
  return exitPart === undefined ? headline : `${headline} (${exitPart})`;
}

export function noOutputText(lang: Lang): string {
  return lang === 'ja' ? '*（出力なし）*' : '*(no output)*';
}

export const NOTE_TEXT = {
  timedOut: (lang: Lang): string =>
    lang === 'ja'
      ? '制限時間を超えたため、コマンドは停止されました。'
      : 'The command was stopped because it ran past the time limit.',
  oomKilled: (lang: Lang): string =>
    lang === 'ja'
      ? 'サンドボックスのメモリ上限（cgroup）を超えたため、カーネルがコマンドを強制終了しました。'
      : 'The kernel killed the command: it used more memory than the sandbox allows (its cgroup memory limit).',
  killedBySignal: (lang: Lang, exitCode: number, signal: { number: number; name: string }): string => {
    const oftenKill = signal.number === 9;
    if (lang === 'ja') {
      const hint = oftenKill ? '（タイムアウトやメモリ不足のときによく起こります）' : '';
      return `終了コード ${exitCode} は、プロセスがシグナル ${signal.number}（${signal.name}）で終了したことを表します${hint}。`;
    }
    const hint = oftenKill ? ', which often means a timeout or running out of memory' : '';
    return `Exit code ${exitCode} means the process was killed by signal ${signal.number} (${signal.name})${hint}.`;
  },
  outputCapped: (lang: Lang): string =>
    lang === 'ja'
      ? '出力がサンドボックスのサイズ上限を超えたため、それ以降は破棄されました。'
      : "The output went past the sandbox's size limit; the rest was discarded.",
  cut: (lang: Lang, lines: number, chars: number, fileNames: readonly string[]): string =>
    lang === 'ja'
      ? `出力が ${lines} 行／${chars} 文字を超えるため、先頭だけを表示しています。全文は添付の ${fileNames.join('、')} にあります。`
      : `The output is longer than ${lines} lines / ${chars} characters, so only the beginning is shown. The full output is attached: ${fileNames.join(', ')}.`,
  codeBlockEscape: (lang: Lang, reasons: readonly CodeBlockEscapeReason[], fileNames: readonly string[]): string => {
    const what = reasons.map((reason) => ESCAPE_REASON_TEXT[reason][lang]);
    return lang === 'ja'
      ? `出力に${what.join('・')}が含まれ、Discord の表示を崩すおそれがあるため、ここには表示せず ${fileNames.join('、')} として添付しました。`
      : `The output contains ${what.join(' and ')}, which could break Discord's formatting, so it is attached as ${fileNames.join(', ')} instead of shown here.`;
  },
  attachmentCapped: (lang: Lang, mebibytes: number): string =>
    lang === 'ja'
      ? `添付ファイルは ${mebibytes} MiB で切り詰めました。`
      : `The attachment was cut to ${mebibytes} MiB.`,
} as const;

const ESCAPE_REASON_TEXT: Readonly<Record<CodeBlockEscapeReason, Record<Lang, string>>> = {
  backtickRun: { ja: '3つ以上連続したバッククォート', en: 'three or more backticks in a row' },
  bidiControl: { ja: '双方向テキストの制御文字（U+202E など）', en: 'bidirectional text controls (such as U+202E)' },
  zeroWidthRun: { ja: '連続したゼロ幅スペース', en: 'a run of zero-width spaces' },
};
