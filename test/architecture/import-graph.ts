// Reads the import graph of a TypeScript tree: which files and packages each file imports,
// and whether the import survives compilation (`import type` and `export type` do not).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
// esbuild comes with tsx (a dependency); it strips types exactly as the compiler's emit would.
import { transformSync } from 'esbuild';

export interface ImportEdge {
  /** A repository-relative `.ts` path for our own modules, else the package name (`ioredis`, `discord.js`). */
  target: string;
  local: boolean;
  /** Erased by the compiler: nothing of it exists at run time. */
  typeOnly: boolean;
}

/** Every file's imports; keys are paths relative to the tree's parent, like `src/tutor/engine.ts`. */
export type ImportGraph = Map<string, ImportEdge[]>;

/** `import type … from '…'` and `export type … from '…'`, at the start of a line (so not in a comment). */
const TYPE_ONLY = /^(?:import|export)\s+type\s+[^;]*?from\s+['"]([^'"]+)['"]/gm;
/** In esbuild's output: one import or re-export per line, and dynamic imports anywhere. */
const EMITTED = /^(?:import|export)\b[^'"\n]*?["']([^"']+)["'];?$/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

/**
 * The imports of one file, given its path (for resolving `./x.js`) and its text. What survives compilation
 * is read from esbuild's output under verbatimModuleSyntax, as tsc emits it; the rest are type-only.
 */
export function importsOf(path: string, source: string): ImportEdge[] {
  const emitted = transformSync(source, { loader: 'ts', format: 'esm', tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } } }).code;
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    if (specifier.startsWith('node:')) return;
    const local = specifier.startsWith('.');
    const target = local ? normalize(join(dirname(path), specifier)).replace(/\.js$/, '.ts') : packageOf(specifier);
    edges.push({ target, local, typeOnly });
  };
  for (const m of emitted.matchAll(EMITTED)) add(m[1] as string, false);
  for (const m of emitted.matchAll(DYNAMIC)) add(m[1] as string, false);
  for (const m of source.matchAll(TYPE_ONLY)) add(m[1] as string, true);
  return edges;
}

/** Reads every `.ts` file below `root` (e.g. `/repo/src`), keyed relative to root's parent. */
export function readImportGraph(root: string): ImportGraph {
  const base = dirname(root);
  const graph: ImportGraph = new Map();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const path = relative(base, full);
        graph.set(path, importsOf(path, readFileSync(full, 'utf8')));
      }
    }
  };
  walk(root);
  return graph;
}

/**
 * The packages a file pulls in at run time, directly or through our own modules, each with the chain of
 * files that leads to it (type-only imports are not followed: they are gone after compilation).
 */
export function packagesReachedAtRunTime(graph: ImportGraph, start: string): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const seen = new Set<string>([start]);
  const queue: { file: string; chain: string[] }[] = [{ file: start, chain: [start] }];
  while (queue.length > 0) {
    const { file, chain } = queue.shift() as { file: string; chain: string[] };
    for (const edge of graph.get(file) ?? []) {
      if (edge.typeOnly) continue;
      if (!edge.local) {
        if (!reached.has(edge.target)) reached.set(edge.target, chain);
      } else if (!seen.has(edge.target)) {
        seen.add(edge.target);
        queue.push({ file: edge.target, chain: [...chain, edge.target] });
      }
    }
  }
  return reached;
}

/** What a layering rule found wrong, one line each: `file: what it imports (through a → b)`. */
export interface LayeringRules {
  /** Folders whose files must not reach these packages at run time, directly or through our modules. */
  pureFolders: readonly string[];
  forbiddenInPure: readonly string[];
  /** `from` may not import anything under `to`, not even types. */
  forbiddenFolders: readonly { from: string; to: string }[];
  /** A package only these folders may import directly. */
  packageOwners: Readonly<Record<string, readonly string[]>>;
}

const under = (path: string, folder: string) => path.startsWith(`${folder}/`);

export function layeringViolations(graph: ImportGraph, rules: LayeringRules): string[] {
  const problems: string[] = [];
  for (const [file, edges] of graph) {
    if (rules.pureFolders.some((folder) => under(file, folder))) {
      for (const [pkg, chain] of packagesReachedAtRunTime(graph, file)) {
        if (rules.forbiddenInPure.includes(pkg)) {
          problems.push(`${file}: ${pkg}${chain.length > 1 ? ` (through ${chain.slice(1).join(' → ')})` : ''}`);
        }
      }
    }
    for (const edge of edges) {
      for (const { from, to } of rules.forbiddenFolders) {
        if (under(file, from) && edge.local && under(edge.target, to)) problems.push(`${file}: imports ${edge.target}`);
      }
      const owners = rules.packageOwners[edge.target];
      if (!edge.local && owners && !owners.some((folder) => under(file, folder))) {
        problems.push(`${file}: imports ${edge.target}, which only ${owners.join(', ')} may`);
      }
    }
  }
  return problems;
}
