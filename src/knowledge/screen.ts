// What a question must be before retrieval is worth trying. Each refusal is a reason code, so the tutor can
// answer it kindly in its own words.

/** Why no card was given. */
export type NoAnswerReason = 'empty' | 'too-long' | 'no-words' | 'other-language' | 'no-match';

/** Longer than this is a paste, not a question; the tutor asks for the question in a sentence or two. */
export const MAX_QUESTION_CHARS = 500;

/** A question worth looking up; for a pasted stack trace, its lines without the frames. */
export type Screened = { ok: true; question: string; pastedTrace: boolean } | { ok: false; reason: NoAnswerReason };

const KANA = /[\u3041-\u309F\u30A0-\u30FF\uFF66-\uFF9F]/gu;
const HAN = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/gu;
const HANGUL = /[\u1100-\u11FF\u3130-\u318F\uAC00-\uD7AF]/gu;
const LATIN = /[a-zA-Z\u00C0-\u024F\uFF21-\uFF3A\uFF41-\uFF5A]/gu;
const LETTER = /\p{L}/gu;
/** Characters Chinese writes often and Japanese never (simplified forms and function words). */
const CHINESE_ONLY = /[这们吗么为个时说设还进问题别什怎样呢吧啊间络网拟获读写删释较让给对应关联发现实际运麼嗎們這說]/u;
/** Lines of a stack trace: `at f (file:1:2)`, Python frames, Go goroutines, Java `Caused by`. */
const TRACE_LINE = /^\s*(?:at\s+\S.*[(:]\d+|File ".*", line \d+|goroutine \d+ \[|Caused by:|Traceback \(most recent call last\)|\S+\.(?:go|py|js|ts|java|rs):\d+)/;

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** Korean, Chinese, or another script the cards are not written in. */
export function isOtherLanguage(text: string): boolean {
  const kana = count(text, KANA);
  const han = count(text, HAN);
  const hangul = count(text, HANGUL);
  const latin = count(text, LATIN);
  const letters = count(text, LETTER);
  if (hangul >= 2 && hangul > kana + han) return true;
  if (kana === 0 && han >= 2 && (CHINESE_ONLY.test(text) || han >= 8)) return true;
  const otherScripts = letters - kana - han - hangul - latin;
  return otherScripts >= 3 && otherScripts > latin + kana + han;
}

export function looksLikeStackTrace(text: string): boolean {
  return text.split('\n').filter((line) => TRACE_LINE.test(line)).length >= 2;
}

/** Checks a learner's question; a pasted stack trace is kept, but marked so no card is asserted from it. */
export function screenQuestion(raw: string): Screened {
  const question = raw.trim();
  if (question === '') return { ok: false, reason: 'empty' };
  if ([...question].length > MAX_QUESTION_CHARS) return { ok: false, reason: 'too-long' };
  if (!/[\p{L}\p{N}]/u.test(question)) return { ok: false, reason: 'no-words' };
  if (isOtherLanguage(question)) return { ok: false, reason: 'other-language' };
  if (!looksLikeStackTrace(question)) return { ok: true, question, pastedTrace: false };
  const message = question.split('\n').filter((line) => !TRACE_LINE.test(line)).join('\n');
  return { ok: true, question: message, pastedTrace: true };
}
