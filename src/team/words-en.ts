import type { TeamWords } from './words.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const en: TeamWords = {
  period: { week: 'this week', month: 'this month', all: 'all time' },
  boardTitle: (period) => `📋 Study board — ${period}`,
  cohortTitle: (name, period) => `📋 Cohort “${name}” — ${period}`,
  cohortGoal: ({ goal, deadline, daysLeft }) =>
    `Goal: ${plural(goal, 'lesson', 'lessons')} by ${deadline} (${daysLeft >= 0 ? `${plural(daysLeft, 'day', 'days')} left` : 'deadline passed'})`,
  totals: ({ learners, active, period }) => `${plural(learners, 'learner', 'learners')} in all · ${active} active ${period}`,
  lessonsHeading: 'Lessons (started · finished)',
  lessonLine: ({ title, started, finished }) => `${title}: ${started} started · ${finished} finished`,
  noLessons: 'No lesson started in this period yet — be the first with /lesson start!',
  membersHeading: 'Who is learning what',
  memberBetween: 'between lessons',
  memberDone: (n) => `${plural(n, 'lesson', 'lessons')} done`,
  moreMembers: (n) => `…and ${n} more`,
  noMembers: 'Nobody has chosen to be shown yet. `/privacy show` puts your name here.',
  finishersHeading: (period) => `🎉 Finished ${period}`,
  others: (n) => `+${n} more`,
  nobody: '—',
  streaksHeading: '🔥 Streak leaders',
  days: (n) => plural(n, 'day', 'days'),
  helpersHeading: '🤝 Helpers',
  answers: (n) => plural(n, 'answer', 'answers'),
  privacyFooter: 'Only members who chose /privacy show are named; everyone counts in the totals.',
  boardsOff: 'The study board is turned off in this server by its admins.',
  unknownCohort: (name, known) => `There is no cohort called “${name}”.${known.length ? ` Cohorts here: ${known.join(', ')}` : ''}`,
  privacyShown: (name) =>
    `You are now shown as **${name}** on the board, in digests and in exports. \`/privacy hide\` takes you off again at once.`,
  privacyHidden: 'You are off the boards, digests and exports by name now. You still count in the totals, anonymously.',
  streakLine: ({ days, activeToday }) =>
    days === 0
      ? '🔥 Streak: none yet — pass one step today to start one.'
      : `🔥 Streak: ${plural(days, 'day', 'days')} in a row${activeToday ? ' (today ✓)' : ' — one step today keeps it going'}.`,
  remindOn: 'I will nudge you gently in the evening when your streak is about to break. 🌙',
  remindOff: 'No more streak reminders. Your streak still counts.',
  remindButtonOn: 'Remind me before my streak breaks',
  remindButtonOff: 'Stop streak reminders',
  reminder: (days) =>
    `🌙 A gentle nudge: your ${plural(days, 'day', 'days')} streak ends at midnight. One small step today keeps it going — even a hint counts as a start! (\`/next\` picks up where you left off.)`,
  digestTitle: (kind, from, to) => `📰 ${kind === 'weekly' ? 'Weekly' : 'Monthly'} digest · ${from} – ${to}`,
  digestFinished: (count) => `🎉 ${plural(count, 'lesson', 'lessons')} finished`,
  digestNewcomers: (count) => `👋 ${plural(count, 'new learner', 'new learners')}`,
  digestStreaks: '🔥 Streaks',
  digestStuckHeading: '🧭 Where learners got stuck (mentors, this is where to help)',
  digestStuckLine: ({ lessonTitle, step, stepTitle, learners }) => `${lessonTitle} · step ${step} “${stepTitle}”: ${plural(learners, 'learner', 'learners')}`,
  digestNothingStuck: 'Nobody got stuck — smooth sailing! ⛵',
  digestNextUp: ({ title, learners, start }) =>
    learners > 0 ? `➡️ Next up: **${title}** — ${plural(learners, 'person is', 'people are')} on it now. Pair up!` : `➡️ Next up: **${title}** — \`${start}\` to begin.`,
  digestFooter: (learners) => `${plural(learners, 'learner', 'learners')} in this server. Names appear only for members who chose /privacy show.`,
  exportHeader: ['member', 'lessons_done', 'current_lesson', 'current_step', 'last_active', 'streak_days', 'hints_used', 'stuck_on'],
  exportGoal: 'cohort_goal',
  exportReady: ({ rows, cohort }) => `Here is the export: ${plural(rows, 'learner', 'learners')}${cohort ? ` in cohort “${cohort}”` : ''}. Members who did not choose /privacy show appear as anonymous ids.`,
  exportDenied: 'The export is for server admins and the role they named for it.',
  reportEmpty: (guildId) => `No learners recorded for server ${guildId} yet.`,
};
