// One list of learner commands: each adapter's surface is derived from it, and a command an adapter leaves
// out (or reads differently) fails here.
import { describe, expect, it } from 'vitest';
import { CONSOLE_COMMANDS, CONSOLE_NAMES, CONSOLE_USAGES, parseConsoleLine } from '../../src/console/input.js';
import { COMMAND_DEFINITIONS, DISCORD_PLACEMENTS, DISCORD_USAGES, discordCommandId } from '../../src/discord/commands.js';
import { commandHelp, commandRequest, LEARNER_COMMANDS, type CommandArgs, type CommandOption, type LearnerCommandDef } from '../../src/tutor/commands.js';

type DiscordOption = { name: string; type: number; required?: boolean; options?: DiscordOption[]; choices?: { value: string | number }[] };
const commands = LEARNER_COMMANDS as readonly LearnerCommandDef[];

/** A value each option accepts, as an adapter would pass it. */
function sample(o: CommandOption): string | number {
  if (o.kind === 'choice') return o.choices.at(-1)!.value;
  if (o.kind === 'integer') return 2;
  return o.name === 'id' ? 'overlayfs' : 'what is a namespace';
}

function sampleArgs(c: LearnerCommandDef): CommandArgs {
  return Object.fromEntries(c.options.map((o) => [o.name, sample(o)]));
}

describe('the learner commands', () => {
  it('are each defined once, with both languages and options in a valid order', () => {
    expect(new Set(commands.map((c) => c.id)).size).toBe(commands.length);
    for (const c of commands) {
      expect(c.description.ja.length, c.id).toBeGreaterThan(0);
      expect(c.description.en.length, c.id).toBeLessThanOrEqual(100);
      const firstOptional = c.options.findIndex((o) => !o.required);
      if (firstOptional >= 0) expect(c.options.slice(firstOptional).every((o) => !o.required), c.id).toBe(true);
    }
    expect(commands.map((c) => c.id)).toEqual(expect.arrayContaining(['start', 'next', 'skip', 'hint', 'progress', 'platform', 'language', 'where', 'reset', 'forget', 'run', 'ask', 'board', 'privacy']));
  });

  it('all reach Discord: a slash command or /lesson subcommand with the same options, routed back to the same command', () => {
    for (const c of commands) {
      const placements = DISCORD_PLACEMENTS[c.id] as readonly ({ slash: string } | { group: string; sub: string } | { button: string })[];
      expect(placements.length, `${c.id} has no place on Discord`).toBeGreaterThan(0);
      for (const placement of placements) {
        if ('button' in placement) continue;
        const top = COMMAND_DEFINITIONS.find((d) => d.name === ('slash' in placement ? placement.slash : placement.group)) as unknown as DiscordOption | undefined;
        const definition = 'slash' in placement ? top : top?.options?.find((o) => o.name === placement.sub);
        expect(definition, `${c.id} is not deployed`).toBeDefined();
        expect((definition!.options ?? []).map((o) => [o.name, o.required ?? false])).toEqual(c.options.map((o) => [o.name, o.required]));
        expect(discordCommandId('slash' in placement ? placement.slash : placement.group, 'slash' in placement ? null : placement.sub)).toBe(c.id);
      }
    }
    // Only "More" is a button rather than a command, and Discord has /skip now.
    expect(commands.filter((c) => !DISCORD_USAGES.some((u) => u.id === c.id)).map((c) => c.id)).toEqual(['more']);
    expect(DISCORD_USAGES.find((u) => u.id === 'skip')?.usage).toBe('/skip');
    expect(DISCORD_USAGES.find((u) => u.id === 'start')?.usage).toBe('/lesson start id:<id> [step:<step>]');
  });

  it('all reach the console, and a typed console command means what the same arguments mean on Discord', () => {
    for (const c of commands) {
      const names = CONSOLE_NAMES[c.id] as readonly string[];
      expect(names.length, `${c.id} has no console name`).toBeGreaterThan(0);
      const args = sampleArgs(c);
      const typed = [names[0], ...c.options.map((o) => String(args[o.name]))].join(' ');
      const expected = commandRequest(c.id, args);
      const parsed = parseConsoleLine(typed);
      if (expected.kind === 'tutor') expect(parsed, typed).toEqual({ kind: 'event', event: expected.event });
      else if (expected.kind === 'team') expect(parsed, typed).toEqual({ kind: 'team', action: expected.action });
      else throw new Error(`${typed}: sample arguments were refused`);
    }
    // Every learner command once, in order; then the console's own shortcuts and /quit, each with its own words.
    expect(CONSOLE_USAGES.filter((u) => !u.description).map((u) => u.id)).toEqual(commands.map((c) => c.id));
    expect(CONSOLE_USAGES.filter((u) => u.description).map((u) => u.usage)).toEqual(['/host', '/sandbox', '/quit']);
    expect(CONSOLE_COMMANDS).toEqual(expect.arrayContaining(['/start <id> [<step>]', '/lang ja|en', '/forget', '/board [week|month|all] [<cohort>]', '/privacy show|hide', '/host', '/quit']));
  });

  it('read arguments the same way everywhere: defaults, bad values, optional ones', () => {
    expect(commandRequest('start', {})).toEqual({ kind: 'tutor', event: { type: 'lessons' } });
    expect(commandRequest('start', { id: '3', step: 'two' })).toEqual({ kind: 'invalid', id: 'start' });
    expect(commandRequest('run', {})).toEqual({ kind: 'tutor', event: { type: 'run-step' } });
    expect(commandRequest('run', { command: ' ps aux ' })).toEqual({ kind: 'tutor', event: { type: 'command', command: 'ps aux' } });
    expect(commandRequest('ask', { question: '  ' })).toEqual({ kind: 'invalid', id: 'ask' });
    expect(commandRequest('board', {})).toEqual({ kind: 'team', action: { type: 'board', period: 'week' } });
    expect(commandRequest('board', { period: 'year' })).toEqual({ kind: 'invalid', id: 'board' });
    expect(commandRequest('privacy', { choice: 'HIDE' })).toEqual({ kind: 'team', action: { type: 'privacy', visible: false } });
    expect(commandRequest('language', { lang: '日本語' })).toEqual({ kind: 'tutor', event: { type: 'language', lang: 'ja' } });
    expect(parseConsoleLine('/run')).toEqual({ kind: 'event', event: { type: 'run-step' } });
    expect(parseConsoleLine('/ask why is PID 1 special?')).toEqual({ kind: 'event', event: { type: 'ask', question: 'why is PID 1 special?' } });
    expect(parseConsoleLine('/sandbox')).toEqual({ kind: 'event', event: { type: 'place', place: 'sandbox' } });
    expect(parseConsoleLine('/board month')).toEqual({ kind: 'team', action: { type: 'board', period: 'month' } });
  });

  it('make the help text in the learner’s language, one line per command as the adapter writes it', () => {
    const [head, list] = commandHelp('ja', CONSOLE_USAGES);
    expect(head).toMatchObject({ kind: 'text', role: 'point' });
    const lines = (list as { text: string }).text.split('\n');
    expect(lines).toHaveLength(commands.length + 3);
    expect(lines).toContain('• `/skip` — このステップを飛ばして進む');
    const en = commandHelp('en', DISCORD_USAGES)[1] as { text: string };
    expect(en.text).toContain('• `/privacy choice:show|hide` — Show your name on boards and digests, or hide it');
  });
});
