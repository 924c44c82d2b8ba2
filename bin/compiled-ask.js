// `sensei ask` (and `sensei team report`) run as cold processes (ask on every question), and tsx's loader alone costs about a second here.
// So the TypeScript sources are transpiled once (esbuild, which tsx already brings) into dist/, the same
// layout `npm run build` gives, and run as plain JavaScript; again only after a source file changes.
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const stamp = join(dist, '.sensei-transpiled');

async function newestSource() {
  const names = (await readdir(src, { recursive: true })).filter((n) => n.endsWith('.ts') && !n.endsWith('.d.ts'));
  // Every process start pays this check: the stats go out together, not one after another.
  const times = await Promise.all(names.map(async (name) => (await stat(join(src, name))).mtimeMs));
  return { names, newest: Math.max(0, ...times) };
}

async function transpile(names) {
  const { transform } = await import('esbuild');
  const tsconfigRaw = { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true, target: 'ES2022' } };
  for (const name of names) {
    const code = await readFile(join(src, name), 'utf8');
    const out = await transform(code, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: join(src, name), sourcemap: 'inline', tsconfigRaw });
    const target = join(dist, name.replace(/\.ts$/, '.js'));
    await mkdir(dirname(target), { recursive: true });
    // Write then rename, so a second `sensei ask` starting meanwhile never imports half a file.
    await writeFile(`${target}.${process.pid}.tmp`, out.code);
    await rename(`${target}.${process.pid}.tmp`, target);
  }
  await writeFile(stamp, `${new Date().toISOString()}\n`);
}

/** The path of a runnable module of src/ (e.g. `knowledge/cli.js`), or undefined when it cannot be made (then tsx runs it). */
export async function compiledModule(relative) {
  try {
    const { names, newest } = await newestSource();
    const made = await stat(stamp).then((s) => s.mtimeMs, () => 0);
    if (made < newest) await transpile(names);
    return join(dist, relative);
  } catch {
    return undefined;
  }
}

// `node bin/compiled-ask.js`: transpile now (the Dockerfile does, so containers start without writing dist/).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!(await compiledModule('cli.js'))) process.exit(1);
}
