// The tutor's question desk: retrieval over the knowledge cards, the optional model's rewrite, and the
// unanswered questions kept in Redis for `sensei ask gaps`.
import type { Curriculum, Lang } from '../lessons/index.js';
import type { QuestionDesk } from '../tutor/questions.js';
import { createAsk } from './ask.js';
import type { AskGaps } from './gaps.js';
import type { Card, Knowledge } from './knowledge.js';
import type { ModelSettings } from './llm.js';
import { composeParts } from './reply.js';
import { respond } from './respond.js';

/** The language to search in: Japanese script means Japanese; Latin letters alone mean English. */
function questionLang(question: string, fallback: Lang): Lang {
  if (/[\u3041-\u30FF\u4E00-\u9FFF]/u.test(question)) return 'ja';
  return /[A-Za-z]/.test(question) ? 'en' : fallback;
}

export function createQuestionDesk(deps: { knowledge: Knowledge; curriculum: Curriculum; gaps?: AskGaps; model?: ModelSettings }): QuestionDesk {
  const ask = createAsk({ cards: deps.knowledge, curriculum: deps.curriculum });
  const lessonTitle = (lang: Lang) => (id: string) => deps.curriculum.get(lang, id)?.title;
  return {
    knowledge: deps.knowledge,
    async respond(question, lang, learnerId, opts) {
      // Searched in the question's own language (a Japanese question in an English session too), answered in the learner's.
      const asked = questionLang(question, lang);
      const first = ask.answer(question, asked);
      // Kept only when it was surely a question and no card answered it; a failure to keep it is not the learner's.
      const noted = opts.keepUnanswered && !first.card && first.reason === 'no-match' && deps.gaps !== undefined;
      if (noted) await deps.gaps!.recordUnanswered(question, asked, learnerId).catch(() => {});
      if (asked === lang) return respond(ask, question, lang, { lessonTitle: lessonTitle(lang), noted, ...(deps.model ? { model: deps.model } : {}) });
      const inLang = (card: Card) => deps.knowledge.get(lang, card.id) ?? card;
      const result = { ...first, ...(first.card ? { card: inLang(first.card) } : {}), suggestions: first.suggestions.map(inLang) };
      return { result, ...composeParts(result, lang, { lessonTitle: lessonTitle(lang), noted, question }) };
    },
    titles(typed, lang, limit) {
      // Looked up in what the member is typing (katakana in an English client too), shown in their language.
      return ask.autocomplete(typed, questionLang(typed, lang), limit).map((card) => {
        const shown = deps.knowledge.get(lang, card.id) ?? card;
        return { id: shown.id, title: shown.title };
      });
    },
    async rate(cardId, learnerId, vote) {
      await deps.gaps?.rate(cardId, learnerId, vote);
    },
    cardReply(card, lang) {
      const result = { card, confidence: 1, suggestions: [], ...(card.lesson ? { lesson: card.lesson } : {}), ...(card.step !== undefined ? { step: card.step } : {}) };
      return composeParts(result, lang, { lessonTitle: lessonTitle(lang) });
    },
  };
}
