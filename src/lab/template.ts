// A safe evaluator for the small part of Go's text/template that learners use with
// `docker inspect -f`: literal text, field paths (`{{.State.Pid}}`, `{{.}}`), `{{json .X}}`, comments
// and the `{{-`/`-}}` trim markers. Nothing else runs: no functions, pipelines, variables or control words.

export type TemplateNode =
  | { type: 'text'; text: string }
  | { type: 'field'; path: string[] }
  | { type: 'json'; path: string[] };

export type TemplateParse = { ok: true; nodes: TemplateNode[] } | { ok: false; error: string };
export type TemplateRender = { ok: true; text: string } | { ok: false; error: string };

/** Go prints this for a missing map key (docker's inspect falls back to plain JSON maps). */
export const NO_VALUE = '<no value>';
/** Templates longer than this are not something a learner types. */
export const MAX_TEMPLATE_LENGTH = 1000;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SUPPORTED = 'only field paths like {{.State.Pid}} and {{json .State}} are supported here';

function parseFieldPath(text: string): string[] | string {
  if (text === '.') return [];
  if (!text.startsWith('.')) return `"${text}" is not a field path; ${SUPPORTED}`;
  const parts = text.slice(1).split('.');
  const bad = parts.find((part) => !IDENT.test(part));
  if (bad !== undefined) {
    return bad === '' ? `"${text}" has an empty field name` : `"${bad}" in "${text}" is not a field name (letters, digits and _)`;
  }
  return parts;
}

function parseAction(body: string, column: number): TemplateNode | string {
  const where = `in the action at column ${column}`;
  if (body.startsWith('/*')) {
    return body.endsWith('*/') && body.length >= 4 ? { type: 'text', text: '' } : `unclosed comment ${where}`;
  }
  const action = body.trim();
  if (action === '') return `missing value for command ${where}`;
  if (action.includes('|')) return `pipelines ("|") are not supported ${where}; ${SUPPORTED}`;
  if (action.includes('$')) return `variables ("$") are not supported ${where}; ${SUPPORTED}`;
  if (/["'`]/.test(action)) return `quoted strings are not supported ${where}; ${SUPPORTED}`;
  if (/[()]/.test(action)) return `parentheses are not supported ${where}; ${SUPPORTED}`;
  const words = action.split(/\s+/);
  const [first, ...rest] = words as [string, ...string[]];
  if (first === 'json') {
    if (rest.length !== 1) return `json takes exactly one field, like {{json .State}} (${where})`;
    const path = parseFieldPath(rest[0] as string);
    return typeof path === 'string' ? `${path} (${where})` : { type: 'json', path };
  }
  if (!first.startsWith('.')) return `"${first}" is not supported ${where}; ${SUPPORTED}`;
  if (rest.length > 0) return `a field path takes no arguments ${where}; ${SUPPORTED}`;
  const path = parseFieldPath(first);
  return typeof path === 'string' ? `${path} (${where})` : { type: 'field', path };
}

export function parseInspectTemplate(template: string): TemplateParse {
  if (template.length > MAX_TEMPLATE_LENGTH) {
    return { ok: false, error: `the template is longer than ${MAX_TEMPLATE_LENGTH} characters` };
  }
  const nodes: TemplateNode[] = [];
  let rest = 0;
  let trimNextText = false;
  for (;;) {
    const open = template.indexOf('{{', rest);
    let text = template.slice(rest, open < 0 ? template.length : open);
    if (trimNextText) text = text.replace(/^\s+/, '');
    if (open < 0) {
      if (text !== '') nodes.push({ type: 'text', text });
      return { ok: true, nodes };
    }
    const close = template.indexOf('}}', open + 2);
    if (close < 0) return { ok: false, error: `unclosed action: "{{" at column ${open + 1} has no matching "}}"` };
    let body = template.slice(open + 2, close);
    // Go's trim markers need a space: `{{- .X}}` trims, `{{-3}}` would be a number.
    const trimLeft = /^-[ \t\r\n]/.test(body);
    const trimRight = /[ \t\r\n]-$/.test(body);
    if (trimLeft) {
      body = body.slice(2);
      text = text.replace(/\s+$/, '');
    }
    if (trimRight) body = body.slice(0, -2);
    if (text !== '') nodes.push({ type: 'text', text });
    const node = parseAction(trimLeft || trimRight ? body.trim() : body, open + 1);
    if (typeof node === 'string') return { ok: false, error: node };
    if (!(node.type === 'text' && node.text === '')) nodes.push(node);
    trimNextText = trimRight;
    rest = close + 2;
  }
}

type Lookup = { ok: true; value: unknown } | { ok: false; error: string };

function goTypeName(value: unknown): string {
  if (Array.isArray(value)) return '[]interface {}';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'float64';
  if (typeof value === 'boolean') return 'bool';
  return 'interface {}';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `undefined` means "no such key", which Go prints as <no value>. */
function lookup(data: unknown, path: string[]): Lookup {
  let current: unknown = data;
  for (const name of path) {
    if (current === undefined) return { ok: true, value: undefined };
    if (current === null) return { ok: false, error: `nil pointer evaluating interface {}.${name}` };
    if (!isPlainObject(current)) return { ok: false, error: `can't evaluate field ${name} in type ${goTypeName(current)}` };
    // Own keys only: `.constructor` or `.__proto__` must not reach JavaScript's prototype chain.
    current = Object.prototype.hasOwnProperty.call(current, name) ? current[name] : undefined;
  }
  return { ok: true, value: current };
}

/** fmt's %v for values decoded from JSON, as Go prints them inside a template. */
function formatGoValue(value: unknown, nested: boolean): string {
  if (value === undefined || value === null) return nested ? '<nil>' : NO_VALUE;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => formatGoValue(item, true)).join(' ')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `map[${keys.map((key) => `${key}:${formatGoValue(value[key], true)}`).join(' ')}]`;
  }
  return String(value);
}

/** Renders `template` against one container's inspect object, the way `docker inspect -f` would. */
export function renderInspectTemplate(template: string, inspectJson: unknown): TemplateRender {
  const parsed = parseInspectTemplate(template);
  if (!parsed.ok) return parsed;
  let text = '';
  for (const node of parsed.nodes) {
    if (node.type === 'text') {
      text += node.text;
      continue;
    }
    const found = lookup(inspectJson, node.path);
    if (!found.ok) return { ok: false, error: `executing template: ${found.error}` };
    // docker's json function: compact, no HTML escaping, a missing value is null.
    text += node.type === 'json' ? (JSON.stringify(found.value ?? null) ?? 'null') : formatGoValue(found.value, false);
  }
  return { ok: true, text };
}
