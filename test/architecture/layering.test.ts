// The rooms of src/ and what each may import (docs/ARCHITECTURE.md). Read from the real import graph, so a
// new import that runs back up the layers, or pulls a transport into the core, fails here.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf, layeringViolations, readImportGraph, type ImportGraph, type LayeringRules } from './import-graph.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

const RULES: LayeringRules = {
  // The core runs without any transport or engine: its unit tests need no Redis, Docker or Discord.
  pureFolders: ['src/tutor', 'src/lessons'],
  forbiddenInPure: ['discord.js', '@discordjs/rest', '@discordjs/builders', 'dockerode', 'ioredis', 'bullmq'],
  // The sandbox is the bottom room: it knows nothing of the lab built on it or the queue that feeds it.
  forbiddenFolders: [
    { from: 'src/sandbox', to: 'src/lab' },
    { from: 'src/sandbox', to: 'src/queue' },
    { from: 'src/sandbox', to: 'src/worker' },
    { from: 'src/lab', to: 'src/queue' },
    { from: 'src/lab', to: 'src/worker' },
  ],
  packageOwners: {
    'discord.js': ['src/discord'],
    bullmq: ['src/queue'],
    dockerode: ['src/sandbox', 'src/lab', 'src/worker'],
  },
};

describe('the import graph reader', () => {
  it('tells run-time imports from type-only ones, and resolves our own modules', () => {
    const edges = importsOf(
      'src/tutor/x.ts',
      [
        "import type { A } from '../lab/a.js';",
        "import type {\n  B,\n} from 'ioredis';",
        "import { type C } from './c.js';",
        "import { D } from '../queue/d.js';",
        "import Docker from 'dockerode';",
        "// import { nope } from 'bullmq';",
        "const pattern = '/*';",
        "export { E } from './e.js';",
        "import { readFile } from 'node:fs';",
        "const later = async () => import('../discord/bot.js');",
        'console.log(D, E, pattern, later);',
      ].join('\n'),
    );
    expect(edges).toEqual(
      expect.arrayContaining([
        { target: 'src/lab/a.ts', local: true, typeOnly: true },
        { target: 'ioredis', local: false, typeOnly: true },
        { target: 'src/tutor/c.ts', local: true, typeOnly: false },
        { target: 'src/queue/d.ts', local: true, typeOnly: false },
        { target: 'dockerode', local: false, typeOnly: false },
        { target: 'src/tutor/e.ts', local: true, typeOnly: false },
        { target: 'src/discord/bot.ts', local: true, typeOnly: false },
      ]),
    );
    expect(edges.some((e) => e.target === 'bullmq' || e.target === 'node:fs' || e.target === 'fs')).toBe(false);
  });

  it('finds a transport the core reaches through another module, and a sandbox importing the lab', () => {
    const graph: ImportGraph = new Map([
      ['src/tutor/engine.ts', [{ target: 'src/queue/helper.ts', local: true, typeOnly: false }]],
      ['src/tutor/state.ts', [{ target: 'ioredis', local: false, typeOnly: true }]],
      ['src/queue/helper.ts', [{ target: 'ioredis', local: false, typeOnly: false }]],
      ['src/sandbox/sandbox.ts', [{ target: 'src/lab/runtime.ts', local: true, typeOnly: true }]],
      ['src/lab/runtime.ts', [{ target: 'bullmq', local: false, typeOnly: false }]],
    ]);
    expect(layeringViolations(graph, RULES)).toEqual([
      'src/tutor/engine.ts: ioredis (through src/queue/helper.ts)',
      'src/sandbox/sandbox.ts: imports src/lab/runtime.ts',
      'src/lab/runtime.ts: imports bullmq, which only src/queue may',
    ]);
  });
});

describe('the layers of src/', () => {
  const graph = readImportGraph(SRC);

  it('reads the whole tree', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('src/tutor/engine.ts')?.length).toBeGreaterThan(3);
  });

  it('keeps every room to what it may import', () => {
    expect(layeringViolations(graph, RULES)).toEqual([]);
  });
});
