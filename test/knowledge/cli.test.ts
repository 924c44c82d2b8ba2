import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrationGate, testConfig } from '../helpers/services.js';
import { FIXTURE_KNOWLEDGE } from './fixtures.js';

const SENSEI = fileURLToPath(new URL('../../bin/sensei.js', import.meta.url));
let cacheDir: string;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'sensei-ask-cache-'));
});
afterAll(async () => rm(cacheDir, { recursive: true, force: true }));

function sensei(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SENSEI, ...args], {
      env: { ...process.env, SENSEI_KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE, SENSEI_CACHE_DIR: cacheDir, LLM_BASE_URL: '', ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

const KEYS = ['answer', 'card', 'confidence', 'lesson', 'sources', 'suggestions', 'try'];

describe('sensei ask', () => {
  it('--json prints exactly one object with the contract’s keys and types', async () => {
    const { code, stdout, stderr } = await sensei(['ask', '--json', '--', 'what is a network namespace?']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const reply = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(reply).sort()).toEqual(KEYS);
    expect(reply).toMatchObject({ card: 'netns', lesson: 'network-namespace', try: { command: 'ip -o link' }, suggestions: [] });
    expect(typeof reply.answer).toBe('string');
    expect(reply.confidence).toBeGreaterThan(0.5);
    expect(reply.confidence).toBeLessThanOrEqual(1);
    expect(reply.sources).toEqual(['https://man7.org/linux/man-pages/man7/network_namespaces.7.html']);
    // The checked cards were cached for the next cold start, one file per language.
    expect((await readdir(cacheDir)).filter((f) => f.endsWith('.json')).sort()).toEqual([expect.stringMatching(/-en\.json$/), expect.stringMatching(/-ja\.json$/)]);
  });

  it('without a question reads one per stdin line and prints one object per line, each in its own language', async () => {
    const { code, stdout } = await sensei(['ask', '--json'], { stdin: 'cgroupのv1とv2の違いは？\n\nhow do I bake bread\n🐳\n' });
    expect(code).toBe(0);
    const replies = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(replies.map((r) => r.card)).toEqual(['cgroup-v1-vs-v2', null, null]);
    expect(replies.map((r) => Object.keys(r).sort())).toEqual([KEYS, KEYS, KEYS]);
    expect(replies[0]!.answer).toMatch(/統合/);
    expect(replies[1]).toMatchObject({ try: null, lesson: null, sources: [] });
  });

  it('answers in the language asked for with --lang', async () => {
    const { stdout } = await sensei(['ask', '--json', '--lang', 'ja', '--', 'what is a network namespace?']);
    expect(JSON.parse(stdout)).toMatchObject({ card: 'netns' });
    expect((JSON.parse(stdout) as { answer: string }).answer).toMatch(/ネットワーク名前空間は/);
  });

  it('prints a readable answer without --json', async () => {
    const { code, stdout } = await sensei(['ask', '--', 'why is my app PID 1?']);
    expect(code).toBe(0);
    expect(stdout).toContain('PID namespace of its own');
    expect(stdout).toContain('`ps -o pid,comm -p 1`');
    expect(stdout).toContain('Sources:\n  https://man7.org/linux/man-pages/man7/pid_namespaces.7.html');
    expect(stdout).toMatch(/\[card pid-1-in-container · confidence [01]\.\d\d · lesson pid-namespace\]/);
  });

  it('refuses a bad --lang, and names the file and line of a broken card', async () => {
    expect((await sensei(['ask', '--lang', 'fr', '--', 'x'])).code).toBe(2);
    const broken = await mkdtemp(join(tmpdir(), 'sensei-cards-'));
    try {
      await cp(FIXTURE_KNOWLEDGE, broken, { recursive: true });
      await writeFile(join(broken, 'en', 'netns.yaml'), 'id: netns\ntitle: x\nasked: [a, b, c]\naliases: [netns]\nanswr: y\n');
      const { code, stderr } = await sensei(['ask', '--', 'x'], { env: { SENSEI_KNOWLEDGE_DIR: broken } });
      expect(code).toBe(1);
      expect(stderr).toMatch(/en\/netns\.yaml:5:1: answr is not a field here; did you mean `answer`\?/);
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});

const gate = await integrationGate();

describe.runIf(gate.run)('sensei ask gaps', () => {
  it('prints the report from this install’s Redis', async () => {
    const { SENSEI_PREFIX } = testConfig();
    const { code, stdout } = await sensei(['ask', 'gaps', '--limit', '5'], { env: { SENSEI_PREFIX } });
    expect(code).toBe(0);
    expect(stdout).toContain('Most asked questions without a confident answer:\n  (none yet)');
    expect(stdout).toContain('Worst-rated cards');
  });
});
