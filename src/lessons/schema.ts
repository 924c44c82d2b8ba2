import { z } from 'zod';

export { lessonLanguages, type Lang } from './languages.js';

/** oneshot: a fresh container per command. session: one container kept for the lesson. lab: the learner's lab (planned). */
export const stepModes = ['oneshot', 'session', 'lab'] as const;
/** The sandbox's seccomp profiles a step can ask for (mirrors src/sandbox/types.ts). */
export const sandboxProfiles = ['default', 'userns'] as const;
export type StepMode = (typeof stepModes)[number];

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A type error in plain words: a missing key and an empty value get their own message. */
export function expected(what: string) {
  return {
    error: (issue: { input?: unknown }) =>
      issue.input === undefined
        ? 'is missing'
        : issue.input === null
          ? 'is empty (nothing after the colon)'
          : typeof issue.input === 'object' && !Array.isArray(issue.input) && what === 'text'
            ? 'should be text, but YAML read it as a mapping: put text that contains ": " in quotes'
            : `should be ${what}`,
  };
}
const MAX_TEXT = 1500;

export const idSchema = z
  .string(expected('an id such as `pid-one` (lowercase letters, digits and dashes)'))
  .regex(ID_PATTERN, 'should be an id such as `pid-one` (lowercase letters, digits and dashes)');

/** Text a learner reads; `answer: 137` counts as text too (YAML would hand over a number). */
export function textOf(max: number, tooLong: string) {
  return z.preprocess(
    (value) => (typeof value === 'number' ? String(value) : value),
    z.string(expected('text')).trim().min(1, 'is empty').max(max, tooLong),
  );
}

const text = textOf(MAX_TEXT, `is longer than ${MAX_TEXT} characters; split it so it fits a chat message`);
const shortText = (what: string) => textOf(80, `is longer than 80 characters; keep ${what} short`);

export const commandSchema = z
  .string(expected('a shell command (text)'))
  .trim()
  .min(1, 'is empty')
  .max(MAX_TEXT, `is longer than ${MAX_TEXT} characters`);

/** What the regex engine said about a pattern, or undefined when it compiles. */
export function regexProblem(pattern: string): string | undefined {
  // Without the u flag JavaScript reads these as plain letters, so a pattern from another dialect fails silently.
  const foreign = /\\[AzZ]/.exec(pattern.replace(/\\\\/g, ''));
  if (foreign) return `${foreign[0]} is not an anchor in JavaScript; use ^ and $ (they match at each line)`;
  try {
    new RegExp(pattern, 'm');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const regex = z.string(expected('a regular expression (text)')).superRefine((pattern, ctx) => {
  if (pattern === '') ctx.addIssue({ code: 'custom', message: 'is an empty regular expression; it would match anything' });
  const problem = regexProblem(pattern);
  if (problem) ctx.addIssue({ code: 'custom', message: `is not a valid regular expression (${problem})` });
});

/** A single value or a list; the parsed lesson always holds the list. */
function oneOrMany<T extends z.ZodType>(item: T, what: string) {
  return z.preprocess(
    (value) => (value === undefined || Array.isArray(value) ? value : [value]),
    z.array(item, expected(`${what} or a list of them`)).min(1, 'is an empty list'),
  );
}

const exitCode = z
  .number(expected('an exit code (a whole number 0-255)'))
  .int('should be a whole number')
  .min(0, 'should be 0-255')
  .max(255, 'should be 0-255');

const matcherFields = {
  /** Regexes (JavaScript syntax, multiline: ^ and $ match at each line) that must all match stdout. */
  stdout: oneOrMany(regex, 'a regular expression').optional(),
  stderr: oneOrMany(regex, 'a regular expression').optional(),
  /** stdout followed by stderr. */
  output: oneOrMany(regex, 'a regular expression').optional(),
  exitCode: oneOrMany(exitCode, 'an exit code').optional(),
  timedOut: z.boolean(expected('true or false')).optional(),
  oomKilled: z.boolean(expected('true or false')).optional(),
};

function hasCondition(m: Record<string, unknown>): boolean {
  return Object.values(m).some((v) => v !== undefined);
}

const negatedMatcher = z
  .strictObject(matcherFields, expected('a matcher (stdout, stderr, output, exitCode, timedOut, oomKilled)'))
  .refine(hasCondition, 'needs at least one condition (stdout, stderr, output, exitCode, timedOut or oomKilled)');

export const matcherSchema = z
  .strictObject(
    { ...matcherFields, not: negatedMatcher.optional() },
    expected('a matcher (stdout, stderr, output, exitCode, timedOut, oomKilled, not)'),
  )
  .refine(hasCondition, 'needs at least one condition (stdout, stderr, output, exitCode, timedOut, oomKilled or not)');

export const expectationSchema = z.strictObject({
  id: idSchema,
  /** A short label for what this output shows, e.g. "cgroup v2 host". */
  shows: text.optional(),
  match: matcherSchema,
  /** What THIS output shows, in the tutor's voice. */
  explain: text,
  /** Passes the step without the cheer: the output is an error that is fine here (the container was already gone). */
  calm: z.boolean().optional(),
});

export const unexpectedSchema = z.strictObject({
  id: idSchema,
  match: matcherSchema,
  explain: text,
  /** What to try next. */
  hint: text.optional(),
});

export const saySchema = z.strictObject({
  /** Empathy and encouragement. */
  intro: text.optional(),
  /** The core point of the step. */
  point: text,
  /** Background and best practice, said after the learner has seen the output. */
  background: text.optional(),
  /** The 💡 tip. */
  tip: text.optional(),
  /** An inviting question that ends the turn. */
  question: text.optional(),
  /**
   * Answers the question expects: regexes (case-insensitive) over the learner's typed answer, each with the
   * tutor's reply. Any other answer gets a kind general reply, never small talk.
   */
  answers: z
    .array(z.strictObject({ match: oneOrMany(regex, 'a regular expression'), reply: text }), expected('a list of answers (match, reply)'))
    .optional(),
});

export const trySchema = z.strictObject({
  /** On a Linux host with Docker (also the fallback for mac and windows). */
  linux: commandSchema.optional(),
  /** On macOS with Docker Desktop (or another VM-based engine). */
  mac: commandSchema.optional(),
  /** On Windows with Docker Desktop / WSL 2. */
  windows: commandSchema.optional(),
  /** What really runs in our sandbox, as `sh -c '<sandbox>'` by uid 1000. */
  sandbox: commandSchema.max(500, 'is longer than 500 characters; sandbox commands stay short'),
  /** Docker commands for the learner's lab containers, once the lab exists. */
  lab: commandSchema.optional(),
});

export const hintsSchema = z.strictObject({
  nudge: text,
  stronger: text,
  answer: text,
});

export const quizSchema = z
  .strictObject({
    id: idSchema,
    question: text,
    /** Multiple choice; leave out for a free answer. */
    choices: z.array(text, expected('a list of choices')).min(2, 'needs at least two choices').optional(),
    /** The correct choice, written exactly as in `choices`; or the model answer to a free question. */
    answer: text,
    /** Regexes that accept a free answer (case-insensitive). */
    accept: z.array(regex, expected('a list of regular expressions')).min(1, 'is an empty list').optional(),
    explanation: text,
  })
  .superRefine((q, ctx) => {
    if (q.choices) {
      if (!q.choices.includes(q.answer)) {
        ctx.addIssue({ code: 'custom', path: ['answer'], message: 'is not one of the choices; write the correct choice exactly' });
      }
      if (new Set(q.choices).size !== q.choices.length) {
        ctx.addIssue({ code: 'custom', path: ['choices'], message: 'has the same choice twice' });
      }
      if (q.accept) ctx.addIssue({ code: 'custom', path: ['accept'], message: 'is only for free-answer questions (without choices)' });
    } else if (q.accept && q.accept.every((p) => regexProblem(p) === undefined && !new RegExp(p, 'i').test(q.answer))) {
      ctx.addIssue({ code: 'custom', path: ['accept'], message: 'does not accept the model answer; make one pattern match `answer`' });
    }
  });

export const stepSchema = z
  .strictObject({
    id: idSchema,
    /** A short label, e.g. for a button or a progress line. */
    title: shortText('step titles'),
    mode: z.enum(stepModes, expected(`one of: ${stepModes.join(', ')}`)),
    /** `userns`: run under the opt-in seccomp profile that allows user namespaces (unshare, overlay mounts). */
    profile: z.enum(sandboxProfiles, expected(`one of: ${sandboxProfiles.join(', ')}`)).optional(),
    say: saySchema,
    try: trySchema,
    expect: z.array(expectationSchema, expected('a list of expectations')).min(1, 'needs at least one expectation'),
    unexpected: z.array(unexpectedSchema, expected('a list of unexpected results')).optional(),
    hints: hintsSchema,
    quiz: z.array(quizSchema, expected('a list of quiz questions')).optional(),
  })
  .superRefine((step, ctx) => {
    if (step.mode === 'lab' && !step.try.lab) {
      ctx.addIssue({ code: 'custom', path: ['try', 'lab'], message: 'is missing; a step in lab mode needs the lab command' });
    }
    duplicateIds(step.expect, ['expect'], ctx);
    duplicateIds(step.unexpected ?? [], ['unexpected'], ctx);
    duplicateIds(step.quiz ?? [], ['quiz'], ctx);
  });

const phaseObject = z.strictObject({
  number: z.number(expected('a phase number')).int('should be a whole number').min(1, 'starts at 1'),
  title: shortText('phase titles').optional(),
});

export const lessonSchema = z
  .strictObject({
    id: idSchema,
    title: shortText('lesson titles'),
    phase: z.preprocess(
      (value) => (typeof value === 'number' ? { number: value } : value),
      z.strictObject(phaseObject.shape, expected('a phase number, or `number` and `title`')),
    ),
    summary: text,
    prerequisites: z.array(idSchema, expected('a list of lesson ids')).default([]),
    /** Opening words: empathy and what this lesson is about. */
    intro: text,
    /** Closing words and a look at what comes next. */
    outro: text,
    steps: z.array(stepSchema, expected('a list of steps')).min(1, 'needs at least one step'),
  })
  .superRefine((lesson, ctx) => {
    duplicateIds(lesson.steps, ['steps'], ctx);
    if (lesson.prerequisites.includes(lesson.id)) {
      ctx.addIssue({ code: 'custom', path: ['prerequisites'], message: 'lists the lesson itself' });
    }
  });

function duplicateIds(items: readonly { id: string }[], at: (string | number)[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [...at, index, 'id'], message: `repeats the id \`${item.id}\`` });
    seen.add(item.id);
  });
}

export type Matcher = z.infer<typeof matcherSchema>;
export type Expectation = z.infer<typeof expectationSchema>;
export type UnexpectedResult = z.infer<typeof unexpectedSchema>;
export type Say = z.infer<typeof saySchema>;
export type TryCommands = z.infer<typeof trySchema>;
export type Hints = z.infer<typeof hintsSchema>;
export type QuizQuestion = z.infer<typeof quizSchema>;
export type Step = z.infer<typeof stepSchema>;
export type LessonData = z.infer<typeof lessonSchema>;
export type Platform = 'linux' | 'mac' | 'windows';
