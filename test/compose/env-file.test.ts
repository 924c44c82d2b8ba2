// scripts/standins/env-file.sh: the stand-in variables land in docker-compose's .env, so they outlast the shell.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/standins/env-file.sh', import.meta.url));

function setIn(file: string, lines: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('bash', [SCRIPT, file], (err, _stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr }));
    child.stdin?.end(lines);
  });
}

describe('scripts/standins/env-file.sh', () => {
  let dir: string;
  beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), 'sensei-env-file-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('replaces a key where it stands, appends new keys, and keeps the token, comments and blank lines', async () => {
    const env = join(dir, '.env');
    await writeFile(env, '# Discord\nDISCORD_TOKEN=secret=with=equals\n\nNODE_IMAGE=node:20-bookworm-slim\nSENSEI_LOG=info\n', { mode: 0o640 });
    expect(await setIn(env, 'NODE_IMAGE=container-sensei/standin-node:20\nREDIS_IMAGE=container-sensei/standin-redis:7\n')).toEqual({ code: 0, stderr: '' });
    expect(await readFile(env, 'utf8')).toBe(
      '# Discord\nDISCORD_TOKEN=secret=with=equals\n\nNODE_IMAGE=container-sensei/standin-node:20\nSENSEI_LOG=info\nREDIS_IMAGE=container-sensei/standin-redis:7\n',
    );
    expect((await stat(env)).mode & 0o777).toBe(0o640);
    // Run again (the script is idempotent): nothing doubles.
    await setIn(env, 'REDIS_IMAGE=container-sensei/standin-redis:7\n');
    expect((await readFile(env, 'utf8')).match(/^REDIS_IMAGE=/gm)).toHaveLength(1);
  });

  it('creates a missing file readable by its owner only (it will hold the token), and refuses empty input', async () => {
    const env = join(dir, 'new.env');
    expect((await setIn(env, 'DEBIAN_IMAGE=container-sensei/standin-debian:bookworm-slim\n')).code).toBe(0);
    expect(await readFile(env, 'utf8')).toBe('DEBIAN_IMAGE=container-sensei/standin-debian:bookworm-slim\n');
    expect((await stat(env)).mode & 0o777).toBe(0o600);
    const refused = await setIn(env, '');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no KEY=VALUE lines/);
    expect(await readFile(env, 'utf8')).toBe('DEBIAN_IMAGE=container-sensei/standin-debian:bookworm-slim\n');
  });
});
