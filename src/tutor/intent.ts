import type { Lang, Lesson, Platform, Step } from '../lessons/index.js';

/** What a learner's free text (not a /command, not a `$ ` command) most likely means. */
export type Intent =
  | { kind: 'platform'; platform: Platform }
  | { kind: 'help' }
  | { kind: 'question'; text: string }
  | { kind: 'chat' };

const PLATFORM_WORDS: [Platform, RegExp][] = [
  ['mac', /\b(mac|macos|macbook|osx|os x|orbstack|docker desktop for mac|apple silicon|m[1-4] mac)\b|マック|マッキントッシュ|Mac/i],
  ['windows', /\b(windows|win1[01]|wsl2?)\b|ウィンドウズ|ウインドウズ/i],
  ['linux', /\b(linux|ubuntu|debian|fedora|arch linux|centos|rhel)\b|リナックス|ウブントゥ/i],
];
const QUESTION = /[?？]|^(how|what|why|when|where|which|who|can|does|is|are|do)\b|どう|なぜ|なんで|何|どこ|どれ|教えて|とは|って(何|なに)|ですか|かな$/i;
const HELP = /\b(help|hint|stuck|lost|confused|no idea|don'?t (know|get|understand))\b|ヒント|わから|分から|わかんない|助けて|困っ|詰ま|むずかし|難し/i;

/** Classifies free text. A platform remark ("I'm on a Mac") switches the variant, as the seed does. */
export function classifyFreeText(text: string): Intent {
  const t = text.trim();
  const isQuestion = QUESTION.test(t);
  if (!isQuestion || t.length < 25) {
    for (const [platform, re] of PLATFORM_WORDS) if (re.test(t)) return { kind: 'platform', platform };
  }
  if (HELP.test(t) && t.length < 80) return { kind: 'help' };
  if (isQuestion) return { kind: 'question', text: t };
  return { kind: 'chat' };
}

const STOP = new Set(['the', 'and', 'for', 'with', 'what', 'how', 'why', 'does', 'this', 'that', 'are', 'can', 'you', 'your', 'about', 'from', 'when', 'where', 'which', 'into', 'there', 'docker', 'container', 'containers']);

/** Words of a question worth looking up: Latin words and runs of kanji/katakana. */
export function keywordsOf(text: string): string[] {
  const latin = (text.toLowerCase().match(/[a-z][a-z0-9_.-]{2,}/g) ?? []).filter((w) => !STOP.has(w));
  const cjk = text.match(/[\u4e00-\u9fff\u30a0-\u30ffー]{2,}/g) ?? [];
  return [...new Set([...latin, ...cjk.filter((w) => !['コンテナ', 'ドッカー'].includes(w))])];
}

export interface LessonMatch {
  lesson: Lesson;
  step?: Step;
  score: number;
}

/** The lessons (and the step in them) that talk most about the question's words, best first. */
export function findLessonsAbout(question: string, lessons: readonly Lesson[], limit = 3): LessonMatch[] {
  const words = keywordsOf(question);
  if (words.length === 0) return [];
  const score = (blob: string) => words.reduce((n, w) => n + (blob.includes(w) ? (w.length > 5 ? 2 : 1) : 0), 0);
  const found: LessonMatch[] = [];
  for (const lesson of lessons) {
    const head = `${lesson.id} ${lesson.title} ${lesson.summary}`.toLowerCase();
    let best: { step?: Step; score: number } = { score: score(head) * 2 };
    for (const step of lesson.steps) {
      const s = score(`${step.title} ${step.say.point} ${step.try.sandbox}`.toLowerCase());
      if (s > 0 && s + best.score / 2 > best.score) best = { step, score: s + best.score / 2 };
    }
    if (best.score > 0) found.push({ lesson, ...(best.step ? { step: best.step } : {}), score: best.score });
  }
  return found.sort((a, b) => b.score - a.score || a.lesson.order - b.lesson.order).slice(0, limit);
}

/** Parses a language name as learners write it. */
export function parseLang(text: string): Lang | undefined {
  const t = text.trim().toLowerCase();
  if (['ja', 'jp', 'japanese', '日本語', 'にほんご'].includes(t)) return 'ja';
  if (['en', 'english', '英語', 'えいご'].includes(t)) return 'en';
  return undefined;
}

/** Parses a platform name as learners write it. */
export function parsePlatform(text: string): Platform | undefined {
  for (const [platform, re] of PLATFORM_WORDS) if (re.test(text.trim())) return platform;
  return undefined;
}
