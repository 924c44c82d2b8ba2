import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { SANDBOX_COMMANDS } from '../../src/tutor/sandbox-commands.js';
import { assertServices, integrationGate } from '../helpers/services.js';

const run = promisify(execFile);
const gate = await integrationGate();

describe('the committed list of sandbox commands', () => {
  it('is sorted, without duplicates, and holds the commands the lessons lean on', () => {
    const sorted = [...SANDBOX_COMMANDS].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(SANDBOX_COMMANDS).toEqual(sorted);
    expect(new Set(SANDBOX_COMMANDS).size).toBe(SANDBOX_COMMANDS.length);
    for (const name of ['ps', 'cat', 'ls', 'grep', 'nsenter', 'unshare', 'findmnt']) expect(SANDBOX_COMMANDS).toContain(name);
  });
});

describe.runIf(gate.run)('the sandbox image', () => {
  it('has exactly the committed commands on its PATH (run scripts/gen-sandbox-commands.sh when it changes)', async () => {
    assertServices(gate.probe);
    const image = loadConfig().SANDBOX_IMAGE;
    const { stdout } = await run('bash', ['scripts/gen-sandbox-commands.sh', '--stdout'], { env: { ...process.env, SANDBOX_IMAGE: image } });
    const committed = await readFile(new URL('../../src/tutor/sandbox-commands.ts', import.meta.url), 'utf8');
    // The header names the image it came from; the list itself is what must match.
    const list = (file: string) => file.slice(file.indexOf('export const'));
    expect(list(stdout)).toBe(list(committed));
  });
});
