import type { Curriculum } from '../lessons/curriculum.js';
import { parseYamlFile, type Locate } from '../lessons/parse.js';
import { formatProblem, LessonFileError, type LessonProblem } from '../lessons/problems.js';
import { lessonLanguages, type Lang } from '../lessons/schema.js';
import { Knowledge, type Card } from './knowledge.js';
import { cardSchema } from './schema.js';

export { Knowledge, type Card } from './knowledge.js';

/** A card file's text, named by its path relative to the knowledge directory (`<lang>/<id>.yaml`). */
export interface CardSource {
  file: string;
  text: string;
}

/** Everything wrong with a knowledge directory at once, so an author fixes it in one pass. */
export class KnowledgeError extends AggregateError {
  override name = 'KnowledgeError';
  readonly problems: readonly LessonProblem[];

  constructor(problems: readonly LessonProblem[]) {
    const sorted = [...problems].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
    const heading = `${sorted.length} problem${sorted.length === 1 ? '' : 's'} in the knowledge cards:`;
    super(sorted.map((p) => new LessonFileError(p)), [heading, ...sorted.map((p) => `  ${formatProblem(p)}`)].join('\n'));
    this.problems = sorted;
  }
}

const CARD_FILE = /^(ja|en)\/([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$/;

interface Parsed {
  card: Card;
  locate: Locate;
}

/**
 * Parses every card file and checks them together: file names, ja/en parity (same ids, and the same
 * try/lesson/step/sources/tags), and, given the curriculum, that each lesson and step exists. Pure.
 */
export function checkCardSources(sources: readonly CardSource[], curriculum?: Curriculum): { knowledge?: Knowledge; problems: LessonProblem[] } {
  const problems: LessonProblem[] = [];
  const parsed: Parsed[] = [];
  const broken = new Set<string>();
  for (const source of sources) {
    const name = CARD_FILE.exec(source.file);
    if (!name) {
      problems.push({ file: source.file, path: '', message: 'is not named `<lang>/<card-id>.yaml` (e.g. `ja/netns.yaml`)' });
      continue;
    }
    const [, lang, fileId] = name as unknown as [string, Lang, string];
    const result = parseYamlFile(source.file, source.text, cardSchema, 'is empty; a card file starts with `id:`');
    if (!result.ok) {
      problems.push(...result.problems);
      broken.add(fileId);
      continue;
    }
    if (result.data.id !== fileId) {
      problems.push({ file: source.file, ...result.locate(['id']), path: 'id', message: `is "${result.data.id}" but the file is named ${fileId}.yaml; they must be the same` });
      broken.add(fileId);
      continue;
    }
    parsed.push({ card: { ...result.data, lang, file: source.file }, locate: result.locate });
  }
  problems.push(...parityProblems(parsed, broken));
  if (curriculum) for (const p of parsed) problems.push(...lessonProblems(p, curriculum));
  if (problems.length > 0) return { problems };
  return { knowledge: new Knowledge(parsed.map((p) => p.card)), problems };
}

/** Like `checkCardSources`, throwing a KnowledgeError listing every problem. */
export function buildKnowledge(sources: readonly CardSource[], curriculum?: Curriculum): Knowledge {
  const { knowledge, problems } = checkCardSources(sources, curriculum);
  if (!knowledge) throw new KnowledgeError(problems);
  return knowledge;
}

/** The fields that must be the same in every language: only the words differ. */
const SHARED_FIELDS = ['try', 'lesson', 'step', 'sources', 'tags', 'what'] as const;

function sharedValue(card: Card, field: (typeof SHARED_FIELDS)[number]): string {
  // Only whether there is a `what`: its words are the language's own.
  if (field === 'what') return card.what === undefined ? 'none' : 'given';
  if (field === 'try') {
    if (!card.try) return 'none';
    const outcomes = [...card.try.expect, ...(card.try.unexpected ?? [])].map((e) => ({ id: e.id, match: e.match }));
    return JSON.stringify({ command: card.try.command, outcomes });
  }
  return JSON.stringify(card[field] ?? null);
}

function parityProblems(parsed: readonly Parsed[], broken: ReadonlySet<string>): LessonProblem[] {
  const problems: LessonProblem[] = [];
  const [primary, ...others] = lessonLanguages;
  const of = (lang: Lang) => new Map(parsed.filter((p) => p.card.lang === lang).map((p) => [p.card.id, p]));
  const base = of(primary);
  for (const lang of others) {
    const other = of(lang);
    for (const [id, p] of base) {
      if (!other.has(id) && !broken.has(id)) problems.push({ file: p.card.file, path: '', message: `has no ${lang} version; add ${lang}/${id}.yaml` });
    }
    for (const [id, p] of other) {
      const twin = base.get(id);
      if (!twin) {
        if (!broken.has(id)) problems.push({ file: p.card.file, path: '', message: `has no ${primary} version; add ${primary}/${id}.yaml` });
        continue;
      }
      for (const field of SHARED_FIELDS) {
        if (sharedValue(p.card, field) !== sharedValue(twin.card, field)) {
          problems.push({ file: p.card.file, ...p.locate([field], { key: true }), path: field, message: `differs from ${twin.card.file}; only the words may differ between languages` });
        }
      }
    }
  }
  return problems;
}

function lessonProblems({ card, locate }: Parsed, curriculum: Curriculum): LessonProblem[] {
  if (!card.lesson) return [];
  const lesson = curriculum.get(card.lang, card.lesson);
  if (!lesson) {
    const known = curriculum.list(card.lang).map((l) => l.id).join(', ');
    return [{ file: card.file, ...locate(['lesson']), path: 'lesson', message: `is "${card.lesson}", which is not a lesson; the lessons are ${known}` }];
  }
  if (card.step !== undefined && card.step > lesson.steps.length) {
    return [{ file: card.file, ...locate(['step']), path: 'step', message: `is ${card.step}, but lesson ${lesson.id} has ${lesson.steps.length} steps` }];
  }
  return [];
}
