// The lessons: their file format (one zod schema), the loader, the ja/en parity check, and the pure
// matching of a sandbox run against a step's expectations.
export {
  lessonLanguages,
  stepModes,
  lessonSchema,
  stepSchema,
  matcherSchema,
  regexProblem,
  type Lang,
  type StepMode,
  type Platform,
  type LessonData,
  type Step,
  type Say,
  type TryCommands,
  type Matcher,
  type Expectation,
  type UnexpectedResult,
  type Hints,
  type QuizQuestion,
} from './schema.js';
export { parseLessonFile, type ParsedLessonFile, type Locate } from './parse.js';
export { LessonFileError, CurriculumError, formatProblem, type LessonProblem } from './problems.js';
export {
  Curriculum,
  buildCurriculum,
  checkLessonSources,
  commandFor,
  commandSkeleton,
  LESSON_FILE_PATTERN,
  type Lesson,
  type Phase,
  type LessonSource,
} from './curriculum.js';
export { loadCurriculum, readLessonSources } from './loader.js';
export { matchExpectations, matcherMatches, builtinFor, combinedOutput, type CommandResult, type MatchOutcome } from './match.js';
export { builtinExplanations, builtinIds, type BuiltinId } from './builtins.js';
export { planLessonChecks, judgeStepRun, type LessonCheck, type StepCheck } from './check.js';
export { isCorrectAnswer, isQuizAnswer } from './quiz.js';
