// Copies, from this machine's npm cache, what `npm ci --omit=dev` of the project needs into a cache of
// its own (packuments and tarballs of the production dependencies), so the Node stand-in can run the
// app's Dockerfile offline. Usage: node npm-offline-cache.mjs <package-lock.json> <host cache> <out cache>
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const [lockPath, hostCache, outCache] = process.argv.slice(2);
if (!lockPath || !hostCache || !outCache) {
  console.error('usage: node npm-offline-cache.mjs <package-lock.json> <host npm cache> <out cache>');
  process.exit(2);
}
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const wanted = new Set(
  Object.entries(lock.packages ?? {})
    .filter(([path, entry]) => path !== '' && !entry.dev)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)),
);

/** The package a cache key is about: `…request-cache:https://registry/NAME[/-/file.tgz]` or `pacote:…:NAME@version`. */
function packageOfKey(key) {
  const url = /request-cache:(https?:\/\/\S+)$/.exec(key)?.[1];
  if (url) return decodeURIComponent(new URL(url).pathname.slice(1)).split('/-/')[0];
  const spec = /^pacote:[a-z-]+:(.+)@[^@]+$/.exec(key)?.[1];
  return spec;
}

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

const src = join(hostCache, '_cacache');
const out = join(outCache, '_cacache');
const copy = (from) => {
  const to = join(out, relative(src, from));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
};
let buckets = 0;
let contents = 0;
const indexDir = join(src, 'index-v5');
for (const bucket of existsSync(indexDir) ? files(indexDir) : []) {
  const entries = readFileSync(bucket, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const json = line.slice(line.indexOf('\t') + 1);
      try {
        return json ? [JSON.parse(json)] : [];
      } catch {
        return [];
      }
    });
  const kept = entries.filter((e) => typeof e.key === 'string' && wanted.has(packageOfKey(e.key) ?? ''));
  if (kept.length === 0) continue;
  copy(bucket);
  buckets++;
  for (const { integrity } of kept) {
    if (typeof integrity !== 'string') continue;
    const [algo, b64] = integrity.split(' ')[0].split('-');
    const hex = Buffer.from(b64, 'base64').toString('hex');
    const content = join(src, 'content-v2', algo, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
    if (existsSync(content)) {
      copy(content);
      contents++;
    }
  }
}
console.error(`[standins] npm cache: ${buckets} index entries and ${contents} contents for ${wanted.size} production packages`);
