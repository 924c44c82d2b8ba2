// What a typed line says before it is read as a command or chat: a control word (`next`, `ヒント`), a yes to
// the one forward choice on offer, a shell comment, a question, a sad face, or a slip of the first word.
import type { ChoiceAction } from './reply.js';

export type ControlWord = 'next' | 'skip' | 'hint' | 'more';

/** Trailing punctuation, emoji and spaces that do not change what a short line means. */
const TAIL = /[\s!！。.、,〜~♪]+$|(?:\p{Extended_Pictographic}|\u200d|\ufe0f)+$/gu;

const CONTROL: readonly [ControlWord, RegExp][] = [
  ['next', /^(?:next|next step|次|次へ|次に進む|次のステップ|つぎ|つぎへ)$/i],
  ['skip', /^(?:skip|スキップ|飛ばす|とばす)$/i],
  ['hint', /^(?:hint|ヒント|ひんと|ヒントちょうだい|ヒントください)$/i],
  ['more', /^(?:more|もっと|もっと詳しく|詳しく)$/i],
];

function bare(text: string): string {
  let t = text.trim();
  for (let prev = ''; prev !== t; ) {
    prev = t;
    t = t.replace(TAIL, '').trim();
  }
  return t;
}

/** `next`, `次へ`, `skip`, `hint`, `ヒント`, `more` typed alone (no slash) act as the tutor's own commands. */
export function controlWord(text: string): ControlWord | undefined {
  const t = bare(text);
  return CONTROL.find(([, re]) => re.test(t))?.[0];
}

const YES_WORDS = new Set([
  'yes', 'yeah', 'yep', 'yup', 'sure', 'ok', 'okay', 'k', 'ready', 'go', 'lets', "let's", 'let’s', 'continue', 'please',
  'alright', 'definitely', 'absolutely', 'of course', 'sounds good', 'do it', 'start', 'done', 'finished', 'did it',
  'はい', 'うん', 'ええ', 'いいよ', 'いいね', 'おけ', 'オッケー', 'ok!', 'いこう', '行こう', 'いきましょう', '行きましょう',
  'いく', '行く', 'お願い', 'お願いします', 'おねがい', 'よろしく', '了解', 'りょうかい', '大丈夫', '準備ok', '準備オッケー',
  '準備できた', 'できた', 'やる', 'やろう', 'やってみる', '始める', 'はじめる', '進む', '進もう', 'もちろん', 'ぜひ',
]);

/** "はい", "うん、いこう！", "yes", "ok let's go": every piece of the line says yes. */
export function isAffirmative(text: string): boolean {
  const t = bare(text).toLowerCase();
  if (t === '' || t.length > 40) return false;
  if (YES_WORDS.has(t)) return true;
  const pieces = t.split(/[\s、,，。!！]+/).filter((p) => p !== '');
  return pieces.length > 0 && pieces.every((p) => YES_WORDS.has(p) || YES_WORDS.has(p.replace(/よ$|ね$|!$/, '')));
}

/** "できた", "done", "did it": the learner says the step is done, not "run it for me". */
const DONE = /(?:^|[\s、,，。!！])(?:できた|できました|やった|やりました|終わった|おわった|done|did it|finished)(?:よ|ね|！|!|\s|$)/i;

/** The learner says they did it ("うん、できた！", "done!"). */
export function saysDone(text: string): boolean {
  return DONE.test(` ${bare(text)} `);
}

/**
 * What a yes presses: Next; else the answer's "shall we run it?" (its ▶ Run); else the one lesson offered;
 * else the step's "▶ Run this". Only when that kind is offered exactly once; otherwise nothing.
 * `heard`: once the step has passed, or when the learner says it is done, a yes moves on (Next) and never
 * re-runs the step's command.
 */
export function forwardChoice(offered: readonly ChoiceAction[] | undefined, heard?: { text: string; stepPassed: boolean; inLesson: boolean }): ChoiceAction | undefined {
  const onward = heard !== undefined && heard.inLesson && (heard.stepPassed || saysDone(heard.text));
  for (const type of ['next', 'try-card', 'start', 'run-step'] as const) {
    if (type === 'run-step' && onward) break;
    const forward = (offered ?? []).filter((a) => a.type === type);
    // "うん、できた！" after an answer's "run it and tell me": they ran it themselves; nothing is pressed for them.
    if (type === 'try-card' && forward.length > 0 && heard !== undefined && saysDone(heard.text)) return onward ? { type: 'next' } : undefined;
    if (forward.length > 0) return new Set(forward.map((a) => JSON.stringify(a))).size === 1 ? forward[0] : undefined;
  }
  return onward ? { type: 'next' } : undefined;
}

/** A line that starts a shell comment (`# find the PID`); whether the rest is a prompt is the classifier's to say. */
export function looksLikeComment(text: string): boolean {
  return /^#(?!!)/.test(text.trim());
}

const QUESTION_START = /^(?:why|what|how|when|where|which|who|is|are|does|do|can|could|whats|what's|hows|how's)\b|^(?:なぜ|なんで|どうして|どうやって|何で|何が|何を|何の|なにが|なにを)/i;
/** Japanese question endings and the words that ask for a difference or a meaning ("runc vs containerd"), even without "？". */
const QUESTION_WORDS = /[?？]\s*$|\b(?:vs\.?|versus)(?=\s)|ちがい|違い|とは|って何|ってなに|ってなん|って？|意味|どういう|どうなって|の？$|かな$|ですか$|教えて/;

/** A question: a trailing ?/？, a question word in front, or a Japanese way of asking (typos in the rest are fine). */
export function isQuestionLine(text: string): boolean {
  const t = text.trim();
  return !isAffirmative(t) && (QUESTION_WORDS.test(t) || QUESTION_START.test(t));
}

/** Words that ask for something (what, why, how…): a line with one is a question, however short. */
const ASKING_WORD = /\b(?:what|why|how|where|which|who|when|whats|hows)\b|何|なに|なん[でだ]|なぜ|どう|どこ|どれ|どの|いつ|誰|だれ|とは|意味|違い|ちがい|教えて/i;

/**
 * A short guess offered as the answer to the tutor's question ("max かな？", "134217728?", "1 つずつ？"): asked in
 * the shape of a question, yet with no word that asks for anything.
 */
export function isTentativeAnswer(text: string): boolean {
  const t = text.trim();
  return t.length <= 40 && /(?:[?？]|かな|かも|でしょうか|だと思う|だよね|ですよね)[?？]?\s*$/.test(t) && !ASKING_WORD.test(t);
}

/** The question is about what is in front of the learner ("what's this?", "これ何が起きてるの？"). */
export function aboutThis(text: string): boolean {
  return /\b(?:this|that|here|it)\b|これ|それ|ここ|今の|いまの/i.test(text);
}

/** 😭, 😢, "つらい": a sad or frustrated line is not a thank-you. */
export function isSad(text: string): boolean {
  return /[😭😢😞😿🥲😩😫☹🙁😔😣😖💀]|つらい|辛い|泣|しんどい|ダメだ|だめだ|無理|むり/u.test(text);
}

/** A number typed alone (`2`, `２`). */
export function typedNumber(text: string): number | undefined {
  return /^[0-9０-９]{1,2}$/.test(text) ? Number(text.replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10))) : undefined;
}

/** `dokcer ps` → `docker ps`: the line with its first word put right, when the classifier saw a slip of it. */
export function fixedSlip(command: string, signals: readonly string[]): string | undefined {
  const near = signals.find((s) => s.startsWith('typo-of:'))?.slice('typo-of:'.length);
  if (!near) return undefined;
  const m = /^(\S+)(.*)$/s.exec(command.trim());
  return m && m[1] !== near ? `${near}${m[2]}` : undefined;
}

/** `<ID>`, `‹ここに長いIDを入れる>`, `docker-<long ID>.scope`, `/proc/PID/ns`: a placeholder from the seed, meant to be filled in. */
export function placeholderIn(command: string): { text: string; kind: 'id' | 'pid' | 'other' } | undefined {
  // Words in angle brackets, spaces between them too (`<paste the long ID here>`), but not a redirection (`< in > out`).
  // A Discord mention or custom emoji (`<@123…>`, `<#123…>`, `<:name:123…>`) is not a placeholder.
  // Nor is anything in quotes (`echo '<html>'`, `printf "<%s>"`): the seed's placeholders sit bare in paths.
  const text = command.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, "''").replace(/<(?:@[!&]?|#|a?:\w+:)\d{5,}>/g, '');
  const found =
    /[<‹＜〈][^\s<>‹›＜＞〈〉]{1,40}[>›＞〉]/.exec(text)?.[0] ??
    /[<‹＜〈][\p{L}\p{N}][\p{L}\p{N}_.-]*(?: [\p{L}\p{N}_.-]+){1,6}[>›＞〉]/u.exec(text)?.[0] ??
    /(?<=\/proc\/)PID(?=\/|$)|(?<=docker-)ID(?=\.scope)/.exec(text)?.[0];
  if (!found) return undefined;
  return { text: found, kind: /PID/i.test(found) ? 'pid' : /ID|ＩＤ/i.test(found) ? 'id' : 'other' };
}

/** "Are you still there?", "まだいる？": a check that the tutor is listening, not a question for the cards. */
const PRESENCE =
  /^(?:(?:hey|hi|hello|sensei|teacher)[\s,!]*)?(?:are you (?:still )?(?:there|here|around|awake|alive|with me)|(?:you|u) (?:still )?there|still there|anyone (?:there|home)|hello+)\s*[?？!.…]*$|^(?:(?:先生|せんせい|sensei)[、,\s]*)?(?:まだ)?(?:いる|いますか|居る|居ますか|いるの|聞いてる|聞こえる|もしもし)[？?！!。…]*$/iu;

export function isPresenceCheck(text: string): boolean {
  return PRESENCE.test(text.trim());
}

/** Words that are harsh about the tutor or the lesson ("useless bot", "役に立たない"), not about a command's output. */
const HOSTILE =
  /\b(?:stupid|useless|dumb(?!-)|idiot(?:ic)?|moron|rubbish|sucks?|crap(?:py)?|worthless|pathetic|shut up|hate (?:you|this)|screw (?:you|this)|f+u+c+k+\w*|wtf)\b|役に立たない|役立たず|使えない|バカ|馬鹿|アホ|あほ|うざ|ウザ|クソ|糞|ポンコツ|黙れ|だまれ|ふざけんな|ムカつ|むかつ|ゴミ/i;

/** A harsh line about the tutor (an insult, a curse): heard calmly, never cheered or thanked. */
export function isHostile(text: string): boolean {
  return HOSTILE.test(text);
}
