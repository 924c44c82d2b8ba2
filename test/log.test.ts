// The logger: JSON lines with the level from the settings, learner ids hashed wherever they appear.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger, hashLearnerId, type LoggerOptions } from '../src/log.js';

function capture(opts: Omit<LoggerOptions, 'write'>): { lines: () => Record<string, unknown>[]; raw: string[]; log: ReturnType<typeof createLogger> } {
  const raw: string[] = [];
  const log = createLogger({ ...opts, write: (line) => void raw.push(line) });
  return { raw, log, lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('structured logs', () => {
  it('writes one JSON object per line with time, level, scope, message and fields', () => {
    const { raw, lines, log } = capture({ level: 'info', scope: 'worker' });
    log.info('worker ready', { engine: 'e1', concurrency: 4 });
    log.warn('engine slow');
    expect(raw.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    const [first, second] = lines();
    expect(first).toMatchObject({ level: 'info', scope: 'worker', msg: 'worker ready', engine: 'e1', concurrency: 4 });
    expect(Number.isNaN(Date.parse(String(first?.['time'])))).toBe(false);
    expect(second).toMatchObject({ level: 'warn', msg: 'engine slow' });
  });

  it('drops lines below the level, and silent writes nothing', () => {
    const warn = capture({ level: 'warn' });
    warn.log.debug('d');
    warn.log.info('i');
    warn.log.warn('w');
    warn.log.error('e');
    expect(warn.lines().map((l) => l['level'])).toEqual(['warn', 'error']);
    const silent = capture({ level: 'silent' });
    silent.log.error('nothing');
    expect(silent.raw).toEqual([]);
  });

  it('hashes learner ids in learner fields and in free text, the same way everywhere', () => {
    const { raw, lines, log } = capture({ level: 'debug', salt: 's3cret' });
    log.warn('job failed for discord-123456789012345678', { learner: 'discord-123456789012345678', learnerId: 'cli-alice', job: 'j1' });
    const [line] = lines();
    const hashed = hashLearnerId('discord-123456789012345678', 's3cret');
    expect(line?.['learner']).toBe(hashed);
    expect(line?.['learnerId']).toBe(hashLearnerId('cli-alice', 's3cret'));
    expect(line?.['msg']).toBe(`job failed for ${hashed}`);
    expect(raw.join('')).not.toMatch(/123456789012345678|alice/);
    // Another salt, another hash: a list of Discord ids cannot be matched without it.
    expect(hashLearnerId('discord-123456789012345678', 'other')).not.toBe(hashed);
  });

  it('keeps an Error as its message and stack, and any other value as detail', () => {
    const { lines, log } = capture({ level: 'info' });
    log.error('boom', new Error('engine gone'));
    log.info('count', 3);
    const [err, count] = lines();
    expect(err).toMatchObject({ err: 'engine gone' });
    expect(String(err?.['stack'])).toContain('engine gone');
    expect(count).toMatchObject({ detail: 3 });
  });

  it('adds a child logger’s fields to every line', () => {
    const { lines, log } = capture({ level: 'info', scope: 'w' });
    log.child({ engine: 'e2' }).info('beat', { load: 1 });
    expect(lines()[0]).toMatchObject({ scope: 'w', engine: 'e2', load: 1, msg: 'beat' });
  });

  it('writes text for a person when asked', () => {
    const { raw, log } = capture({ level: 'info', scope: 'sensei', format: 'text' });
    log.info('ready', { engine: 'e1', learner: 'discord-99999999' });
    expect(raw[0]).toMatch(/^\[sensei\] info: ready engine=e1 learner=l-[0-9a-f]{12}\n$/);
  });

  it('reads the level and the format from the environment', () => {
    const config = loadConfig({ SENSEI_LOG: 'debug', SENSEI_LOG_FORMAT: 'json' });
    expect(config.SENSEI_LOG).toBe('debug');
    expect(config.SENSEI_LOG_FORMAT).toBe('json');
    expect(() => loadConfig({ SENSEI_LOG_FORMAT: 'xml' })).toThrow(/SENSEI_LOG_FORMAT/);
  });
});
