import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { formatPath, type LessonProblem } from './problems.js';
import { editDistance } from '../text/edit-distance.js';
import { lessonSchema, type LessonData } from './schema.js';

/** Maps a path inside a lesson (['steps', 0, 'say']) to a 1-based line and column in its file. */
export type Locate = (path: readonly PropertyKey[], options?: { key?: boolean }) => { line: number; column: number } | undefined;

export type ParsedLessonFile =
  | { ok: true; file: string; lesson: LessonData; locate: Locate }
  | { ok: false; file: string; problems: LessonProblem[] };

/** Parses and checks one lesson file's text. Pure: the caller reads the file. */
export function parseLessonFile(file: string, source: string): ParsedLessonFile {
  const parsed = parseYamlFile(file, source, lessonSchema, 'is empty; a lesson file starts with `id:`');
  return parsed.ok ? { ok: true, file, lesson: parsed.data, locate: parsed.locate } : parsed;
}

export type ParsedYamlFile<T> = { ok: true; file: string; data: T; locate: Locate } | { ok: false; file: string; problems: LessonProblem[] };

/**
 * Parses one YAML file and checks it with a zod schema; every problem is placed on its file, line and
 * path in plain words (the lessons' and the knowledge cards' files share this). Pure.
 */
export function parseYamlFile<S extends z.ZodType>(file: string, source: string, schema: S, emptyMessage: string): ParsedYamlFile<z.output<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      file,
      problems: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file, line: pos.line, column: pos.col, path: '', message: `is not valid YAML: ${plainYamlError(e.message)}${yamlAdvice(e.code)}` };
      }),
    };
  }
  const locate: Locate = (path, options) => locateNode(doc, lineCounter, path, options?.key ?? false);
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) return { ok: false, file, problems: [{ file, line: 1, path: '', message: emptyMessage }] };
  const parsed = schema.safeParse(data, { reportInput: true, error: plainMessage });
  if (!parsed.success) return { ok: false, file, problems: issuesToProblems(file, parsed.error.issues, locate, schema) };
  return { ok: true, file, data: parsed.data, locate };
}

/** The YAML mistakes lesson authors make most, with the usual fix. */
function yamlAdvice(code: string): string {
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    return ' (a text containing ": " must be quoted, or written as a block with `|`)';
  }
  if (code === 'TAB_AS_INDENT') return ' (indent with spaces, not tabs)';
  return '';
}

function plainYamlError(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function issuesToProblems(file: string, issues: readonly z.core.$ZodIssue[], locate: Locate, root: z.ZodType): LessonProblem[] {
  const problems: LessonProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      // One problem per unknown field, placed on the field itself.
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const fields = fieldsAt(root, issue.path);
        const suggestion = closestField(key, fields);
        problems.push({
          file,
          ...locate(path, { key: true }),
          path: formatPath(path),
          message: suggestion
            ? `is not a field here; did you mean \`${suggestion}\`?`
            : `is not a field here; the fields are ${fields.map((f) => `\`${f}\``).join(', ')}`,
        });
      }
      continue;
    }
    problems.push({ file, ...locate(issue.path), path: formatPath(issue.path), message: issue.message });
  }
  return problems;
}

/** Plain words for the issues whose schema gave no message of its own. */
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is missing';
      if (issue.input === null) return 'is empty (nothing after the colon)';
      return `should be ${describeExpected(String(issue.expected))}, but it is ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `should be one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `needs at least ${String(issue.minimum)} item(s)` : `is too small (minimum ${String(issue.minimum)})`;
    case 'too_big':
      return issue.origin === 'array' ? `has more than ${String(issue.maximum)} items` : `is too big (maximum ${String(issue.maximum)})`;
    default:
      return undefined;
  }
}

function describeExpected(expected: string): string {
  const words: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping of fields',
  };
  return words[expected] ?? expected;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping of fields';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function locateNode(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  wantKey: boolean,
): { line: number; column: number } | undefined {
  let node: unknown = doc.contents;
  let keyNode: unknown;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      keyNode = pair.key;
      // A key with nothing after the colon has no value node: point at the key.
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      keyNode = undefined;
      node = node.items[segment];
    } else {
      break;
    }
  }
  // A mapping or list under a key is shown by its key (`match:`), not by its first entry.
  const preferKey = keyNode !== undefined && (wantKey || isMap(node) || isSeq(node));
  const target = (preferKey ? keyNode : node) as Node | null | undefined;
  const offset = target?.range?.[0];
  if (offset === undefined) return undefined;
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** The fields the schema allows at a path (['steps', 0, 'say']), for "did you mean" on a misspelt key. */
function fieldsAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let schema: unknown = root;
  for (const segment of [...path, undefined]) {
    // Walk through wrappers (optional, default, preprocess pipes) to the object or array beneath.
    for (let guard = 0; guard < 10; guard++) {
      const def = zodDef(schema);
      if (def?.type === 'optional' || def?.type === 'default' || def?.type === 'nullable') schema = def.innerType;
      else if (def?.type === 'pipe') schema = def.out;
      else break;
    }
    const def = zodDef(schema);
    if (segment === undefined) return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
    if (def?.type === 'array') schema = def.element;
    else if (def?.type === 'object' && def.shape) schema = def.shape[String(segment)];
    else return [];
  }
  return [];
}

interface ZodDefLike {
  type?: string;
  innerType?: unknown;
  out?: unknown;
  element?: unknown;
  shape?: Record<string, unknown>;
}

function zodDef(schema: unknown): ZodDefLike | undefined {
  return (schema as { _zod?: { def?: ZodDefLike } } | undefined)?._zod?.def;
}

function closestField(key: string, fields: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.ceil(key.length / 2));
  for (const field of fields) {
    const d = editDistance(key.toLowerCase(), field.toLowerCase());
    if (d > 0 && d <= bestDistance && (best === undefined || d < editDistance(key.toLowerCase(), best.toLowerCase()))) best = field;
  }
  return best;
}
