// The Discord side of /ask that is not routing: autocomplete choices from card titles, and which button
// presses under an answer stay as private as the answer.

import { MessageFlags, type AutocompleteInteraction, type ButtonInteraction } from 'discord.js';
import type { Lang } from '../lessons/index.js';
import type { TutorEvent } from '../tutor/engine.js';
import type { QuestionDesk } from '../tutor/questions.js';

/** Discord shows at most 25 autocomplete choices, each name and value at most 100 characters. */
const MAX_CHOICES = 25;
const MAX_CHOICE_CHARS = 100;

/** Events from the buttons under a /ask answer ("did you mean", try it, 👍/👎). */
const ASK_EVENTS: ReadonlySet<TutorEvent['type']> = new Set(['card', 'try-card', 'rate']);

/** Answers /ask's question box with card titles; the chosen title is asked as the question (it answers its card). */
export async function respondWithCardTitles(i: AutocompleteInteraction, questions: Pick<QuestionDesk, 'titles'>, lang: Lang): Promise<void> {
  const focused = i.options.getFocused(true);
  if (i.commandName !== 'ask' || focused.name !== 'question') return void (await i.respond([]));
  const titles = questions.titles(String(focused.value), lang, MAX_CHOICES).map(({ title }) => title.slice(0, MAX_CHOICE_CHARS));
  await i.respond(titles.map((title) => ({ name: title, value: title })));
}

/** A press under a private (ephemeral) /ask answer is answered privately too. */
export function isPrivateAskPress(i: ButtonInteraction, event: TutorEvent): boolean {
  return ASK_EVENTS.has(event.type) && i.message.flags.has(MessageFlags.Ephemeral);
}
