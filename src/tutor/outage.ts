// What a transport says when the service itself failed under a learner (Redis or the queue unreachable), and
// what a restarted chat says about the command its previous run left: the tutor's words, never a stack trace.
import type { Lang } from '../lessons/index.js';
import * as persona from './persona.js';
import type { Reply } from './reply.js';

/** "The sandbox isn't working right now, that's on our side", with the learner's progress said to be safe. */
export function outageReply(lang: Lang): Reply {
  return { lang, blocks: persona.refusal({ lang, turn: 0 }, { code: 'unavailable', detail: '' }) };
}

/** The command a closed chat left unanswered: it did not finish, and may be sent again. */
export function interruptedReply(lang: Lang, command: string): Reply {
  return { lang, blocks: persona.interrupted({ lang, turn: 0 }, command) };
}
