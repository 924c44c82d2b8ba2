// Every learner command, defined once: its id, what it does in both languages, and its options. The Discord
// slash commands, the console's `/` commands and the help text are derived from this list, and a command's
// arguments become a tutor event (or a team action) here, so both adapters read them the same way.

import type { Lang, Platform } from '../lessons/index.js';
import { MAX_MESSAGE_CHARS } from '../text/limits.js';
import type { TutorEvent } from './events.js';
import { parseLang, parsePlatform } from './intent.js';
import type { Block } from './reply.js';

export type Localized = Readonly<Record<Lang, string>>;

export type CommandOption = {
  name: string;
  description: Localized;
  required: boolean;
} & (
  | { kind: 'text'; maxLength: number }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'choice'; choices: readonly { value: string; label: Localized }[] }
);

export interface LearnerCommand {
  id: string;
  /** tutor: the conversation engine answers it; team: the community features (boards, privacy). */
  area: 'tutor' | 'team';
  description: Localized;
  options: readonly CommandOption[];
}

const l = (en: string, ja: string): Localized => ({ en, ja });
const choice = (value: string, en: string, ja = en) => ({ value, label: l(en, ja) });
/** A command: its id, who answers it, what it does, and its options in order. */
const command = <const Id extends string>(id: Id, area: LearnerCommand['area'], description: Localized, ...options: CommandOption[]) => ({ id, area, description, options });
const text = (name: string, description: Localized, maxLength: number, required: boolean): CommandOption => ({ name, kind: 'text', maxLength, required, description });
/** A required pick among fixed values. */
const pick = (name: string, description: Localized, ...choices: ReturnType<typeof choice>[]): CommandOption => ({ name, kind: 'choice', required: true, description, choices });

export const LEARNER_COMMANDS = [
  command('lessons', 'tutor', l('Show every lesson', 'レッスンの一覧を見る')),
  command(
    'start',
    'tutor',
    l('Start a lesson (in your own private thread on Discord)', 'レッスンを始める（Discord では自分専用のスレッドで）'),
    text('id', l('Lesson id or number, e.g. 1', 'レッスンのIDか番号（例: 1）'), 64, true),
    { name: 'step', kind: 'integer', min: 1, max: 99, required: false, description: l('Step to start at', '始めるステップ') },
  ),
  command('next', 'tutor', l('Go on to the next step', '次のステップへ進む')),
  command('skip', 'tutor', l('Skip this step and go on', 'このステップを飛ばして進む')),
  command('run', 'tutor', l("Run a command (without one: the step's own)", 'コマンドを実行する（省略するとステップのコマンド）'), text('command', l('The shell command, e.g. ps aux', 'シェルのコマンド（例: ps aux）'), MAX_MESSAGE_CHARS, false)),
  command('hint', 'tutor', l('A hint for the current step', '今のステップのヒント')),
  command('more', 'tutor', l('Show what the last short reply left out', '短い返事の続きを見る')),
  command('progress', 'tutor', l('Your progress and your streak', 'これまでの進み具合と連続学習日数')),
  command('platform', 'tutor', l('The computer you use at home, for commands to try there', '手元で使っているOS（家で試すコマンド用）'), pick('os', l('Your operating system', 'あなたのOS'), choice('linux', 'Linux'), choice('mac', 'macOS'), choice('windows', 'Windows'))),
  command('language', 'tutor', l('The language the tutor speaks to you', '先生が話す言葉'), pick('lang', l('Japanese or English', '日本語か英語'), choice('ja', '日本語'), choice('en', 'English'))),
  command(
    'style',
    'tutor',
    l('Short replies (the point first, "More" for the rest) or detailed ones', '返事の長さ：短め（要点から、続きは「もっと詳しく」）か詳しめ'),
    pick('style', l('short or detailed', 'short（短め）か detailed（詳しめ）'), choice('short', 'short', '短め'), choice('detailed', 'detailed', '詳しめ')),
  ),
  command(
    'where',
    'tutor',
    l('Where your commands run: your sandbox, or the host (your lab containers from outside)', 'コマンドを動かす場所：サンドボックスか、ホスト（ラボのコンテナを外から見る）'),
    pick('place', l('sandbox or host', 'sandbox か host'), choice('sandbox', 'sandbox', 'サンドボックス'), choice('host', 'host', 'ホスト')),
  ),
  command('ask', 'tutor', l('Ask the tutor a question (never run as a command)', '先生に質問する（コマンドとしては実行しません）'), text('question', l('Your question', '質問'), MAX_MESSAGE_CHARS, true)),
  command('reset', 'tutor', l('Start your progress over', '進み具合を最初からやり直す')),
  command('forget', 'tutor', l('Delete everything Container Sensei stores about you', 'Container Sensei が保存しているあなたのデータをすべて消す')),
  command('help', 'tutor', l('What you can do here', 'ここでできること')),
  command(
    'board',
    'team',
    l("The study board: who is learning what, this week's finishers, streaks", '学習ボード：だれが何を学んでいるか、今週の修了、連続記録'),
    { name: 'period', kind: 'choice', required: false, description: l('This week, this month or all time', '今週・今月・全期間'), choices: [choice('week', 'this week', '今週'), choice('month', 'this month', '今月'), choice('all', 'all time', '全期間')] },
    text('cohort', l('Only this cohort', 'このコホートだけ'), 32, false),
  ),
  command('privacy', 'team', l('Show your name on boards and digests, or hide it', 'ボードやまとめに名前を出すか、隠すか'), pick('choice', l('show or hide', 'show（出す）か hide（隠す）'), choice('show', 'show', '出す'), choice('hide', 'hide', '隠す'))),
] as const satisfies readonly LearnerCommand[];

export type LearnerCommandId = (typeof LEARNER_COMMANDS)[number]['id'];
export type LearnerCommandDef = LearnerCommand & { id: LearnerCommandId };

export function learnerCommand(id: LearnerCommandId): LearnerCommandDef {
  const found = (LEARNER_COMMANDS as readonly LearnerCommandDef[]).find((c) => c.id === id);
  if (!found) throw new Error(`no learner command ${id}`);
  return found;
}

/** A command's arguments as an adapter read them: by option name, text or number. */
export type CommandArgs = Readonly<Record<string, string | number | undefined>>;

export type BoardPeriod = 'week' | 'month' | 'all';

/** What the team features are asked to do. */
export type TeamAction = { type: 'board'; period: BoardPeriod; cohort?: string } | { type: 'privacy'; visible: boolean };

export type CommandRequest =
  | { kind: 'tutor'; event: TutorEvent }
  | { kind: 'team'; action: TeamAction }
  /** The arguments do not fit the command: answered with its usage. */
  | { kind: 'invalid'; id: LearnerCommandId };

/** Turns a command and its arguments into what the tutor or the team features should do. */
export function commandRequest(id: LearnerCommandId, args: CommandArgs): CommandRequest {
  const text = (name: string) => {
    const v = args[name];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const tutor = (event: TutorEvent): CommandRequest => ({ kind: 'tutor', event });
  const invalid: CommandRequest = { kind: 'invalid', id };
  switch (id) {
    case 'lessons':
    case 'next':
    case 'skip':
    case 'hint':
    case 'more':
    case 'progress':
    case 'reset':
    case 'forget':
      return tutor({ type: id });
    case 'help':
      return tutor({ type: 'help' });
    case 'start': {
      const lessonId = text('id');
      // `/start` alone shows the lessons to start from.
      if (!lessonId) return tutor({ type: 'lessons' });
      const raw = args['step'];
      if (raw === undefined) return tutor({ type: 'start', lessonId });
      const step = Number(raw);
      return Number.isInteger(step) ? tutor({ type: 'start', lessonId, step }) : invalid;
    }
    case 'run': {
      const command = text('command');
      return tutor(command ? { type: 'command', command } : { type: 'run-step' });
    }
    case 'ask': {
      const question = text('question');
      return question ? tutor({ type: 'ask', question }) : invalid;
    }
    case 'platform': {
      const platform: Platform | undefined = parsePlatform(text('os') ?? '');
      return platform ? tutor({ type: 'platform', platform }) : invalid;
    }
    case 'language': {
      const lang = parseLang(text('lang') ?? '');
      return lang ? tutor({ type: 'language', lang }) : invalid;
    }
    case 'style': {
      const style = text('style')?.toLowerCase();
      return style === 'short' || style === 'detailed' ? tutor({ type: 'style', style }) : invalid;
    }
    case 'where': {
      const place = text('place')?.toLowerCase();
      return place === 'host' || place === 'sandbox' ? tutor({ type: 'place', place }) : invalid;
    }
    case 'board': {
      const period = text('period')?.toLowerCase() ?? 'week';
      if (period !== 'week' && period !== 'month' && period !== 'all') return invalid;
      const cohort = text('cohort');
      return { kind: 'team', action: { type: 'board', period, ...(cohort ? { cohort } : {}) } };
    }
    case 'privacy': {
      const visible = text('choice')?.toLowerCase();
      return visible === 'show' || visible === 'hide' ? { kind: 'team', action: { type: 'privacy', visible: visible === 'show' } } : invalid;
    }
  }
}

/** How a command is written in one adapter, for help texts and "did you mean". */
export interface CommandUsage {
  /** The learner command it writes; none for an adapter's own (the console's `/quit`). */
  id?: LearnerCommandId;
  usage: string;
  /** What it does, when that differs from the command's own description (a shortcut such as `/host`). */
  description?: Localized;
}

/** `name <id> [step]`, `name ja|en`: the command's options in the usual notation. */
export function usageOf(name: string, command: LearnerCommand, optionPrefix: (o: CommandOption) => string = () => ''): string {
  const parts = command.options.map((o) => {
    const value = o.kind === 'choice' ? o.choices.map((c) => c.value).join('|') : `<${o.name}>`;
    const written = `${optionPrefix(o)}${value}`;
    return o.required ? written : `[${written}]`;
  });
  return [name, ...parts].join(' ');
}

const HELP_HEAD: Localized = l('Here is what you can do — type any command as it is written:', 'できることの一覧です。書いてあるとおりに打ってね：');
const HELP_TAIL: Localized = l(
  'Anything else you type is read as a person would: a command runs in your sandbox, a question gets an answer.',
  'それ以外に打ったものは、人が読むように読みます。コマンドならサンドボックスで実行、質問なら答えます。',
);

/** The help text: every command as this adapter writes it, with what it does, in the learner's language. */
export function commandHelp(lang: Lang, usages: readonly CommandUsage[]): Block[] {
  const lines = usages.map((u) => `• \`${u.usage}\` — ${(u.description ?? (u.id ? learnerCommand(u.id).description : undefined))?.[lang] ?? ''}`);
  return [
    { kind: 'text', text: HELP_HEAD[lang], role: 'point' },
    { kind: 'text', text: lines.join('\n'), role: 'steps' },
    { kind: 'text', text: HELP_TAIL[lang], role: 'tip' },
  ];
}
