// The team commands in the terminal: the board and privacy for the learners who study here (the console's
// own pseudo-server), and the streak under /progress.

import type { TutorApp } from '../app.js';
import { DIRECT_GUILD } from '../team/keys.js';
import { boardSections, sectionsText } from '../team/render.js';
import { teamWords } from '../team/words.js';
import type { TeamAction } from '../tutor/commands.js';

export async function consoleTeam(app: Pick<TutorApp, 'tutor' | 'team'>, learner: string, action: TeamAction): Promise<string> {
  const lang = (await app.tutor.whereIs(learner))?.state.lang ?? 'ja';
  const w = teamWords(lang);
  if (action.type === 'privacy') {
    const name = action.visible ? learner.replace(/^console-/, '') : undefined;
    await app.team.setPrivacy(DIRECT_GUILD, learner, name);
    return name ? w.privacyShown(name) : w.privacyHidden;
  }
  const result = await app.team.board(DIRECT_GUILD, { period: action.period, lang, ...(action.cohort ? { cohort: action.cohort } : {}) });
  if (!result.ok) return result.reason === 'boards-off' ? w.boardsOff : w.unknownCohort(action.cohort ?? '', result.known);
  return sectionsText(boardSections(result.model, lang));
}

export async function consoleStreak(app: Pick<TutorApp, 'tutor' | 'team'>, learner: string): Promise<string> {
  const lang = (await app.tutor.whereIs(learner))?.state.lang ?? 'ja';
  return teamWords(lang).streakLine(await app.team.streak(DIRECT_GUILD, learner));
}
