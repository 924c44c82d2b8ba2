/** The languages every lesson (and knowledge card) is written in; Japanese is the primary one. */
export const lessonLanguages = ['ja', 'en'] as const;
export type Lang = (typeof lessonLanguages)[number];
