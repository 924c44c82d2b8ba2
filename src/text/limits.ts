/**
 * The longest message, in characters: Discord's limit for a message's content, and so the longest line the
 * tutor reads or a learner's command may be. One number, so the adapters and the core cannot disagree.
 */
export const MAX_MESSAGE_CHARS = 2000;
