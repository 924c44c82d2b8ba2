import { describe, expect, it } from 'vitest';
import { buttonIntent, decodeCustomId } from '../../src/discord/custom-id.js';
import { findLimitViolations } from '../../src/discord/limits.js';
import type { ActionButtonPayload, DiscordMessagePayload } from '../../src/discord/payload.js';
import { progressBar, renderReply, splitText } from '../../src/discord/render.js';
import type { RunResult } from '../../src/sandbox/types.js';
import type { Block, Choice, Reply } from '../../src/tutor/reply.js';

const learnerUserId = '123456789012345678';

function result(over: Partial<RunResult> = {}): RunResult {
  return { stdout: '', stderr: '', exitCode: 0, timedOut: false, oomKilled: false, truncated: false, durationMs: 12, ...over } as RunResult;
}

function render(blocks: Block[], lang: Reply['lang'] = 'ja'): DiscordMessagePayload[] {
  const payloads = renderReply({ blocks, lang }, { learnerUserId });
  for (const payload of payloads) expect(findLimitViolations(payload)).toEqual([]);
  return payloads;
}

function buttons(payload: DiscordMessagePayload | undefined): ActionButtonPayload[] {
  return (payload?.components ?? []).flatMap((row) => row.components) as ActionButtonPayload[];
}

describe('renderReply', () => {
  it('joins text, command, output and progress into one message, mentions off', () => {
    const [message, ...rest] = render([
      { kind: 'text', text: 'コンテナはただのプロセスです。', role: 'point' },
      { kind: 'command', command: 'ps aux', where: { kind: 'own-machine', platform: 'linux' } },
      { kind: 'output', command: 'ps aux', result: result({ stdout: 'PID USER\n1 root\n' }), where: { kind: 'sandbox', mode: 'oneshot' } },
      { kind: 'progress', label: 'Lesson 1', done: 2, total: 4 },
    ]);
    expect(rest).toEqual([]);
    expect(message?.allowedMentions).toEqual({ parse: [] });
    expect(message?.content).toContain('コンテナはただのプロセスです。');
    expect(message?.content).toContain('```sh\nps aux\n```');
    expect(message?.content).toContain('```console\n$ ps aux\n```');
    expect(message?.content).toContain('PID USER\n1 root');
    expect(message?.content).toContain('`▰▰▰▰▰▱▱▱▱▱` 2/4');
    expect(message?.files).toBeUndefined();
  });

  it('splits long text into several messages under 2000 characters, in order', () => {
    const paragraph = 'あ'.repeat(900);
    const payloads = render([{ kind: 'text', text: [paragraph, paragraph, paragraph, paragraph].join('\n') }]);
    expect(payloads.length).toBeGreaterThanOrEqual(2);
    expect(payloads.map((p) => p.content).join('\n')).toBe([paragraph, paragraph, paragraph, paragraph].join('\n'));
    for (const p of payloads) expect(p.content!.length).toBeLessThanOrEqual(2000);
  });

  it('neutralises mentions and bidi controls in tutor text and in output, and escapes code fences in output', () => {
    const [message] = render([
      { kind: 'text', text: 'you typed @everyone <@123> <@&456> \u202Egnp.exe' },
      { kind: 'output', command: 'echo @here', result: result({ stdout: '@everyone <@123> <@&123>\n' }), where: { kind: 'sandbox', mode: 'session' } },
    ]);
    const content = message?.content ?? '';
    expect(content).not.toMatch(/@everyone|@here|<@\d|<@&\d/);
    expect(content).not.toContain('\u202E');
    const [escaped] = render([
      { kind: 'output', command: 'printf', result: result({ stdout: '```\n@everyone\n```\u202E' }), where: { kind: 'sandbox', mode: 'session' } },
    ]);
    expect(escaped?.files?.map((f) => f.name)).toEqual(['stdout.txt']);
    expect(escaped?.content?.match(/```/g)?.length ?? 0).toBe(2); // only the prompt's own block
    expect(escaped?.content).not.toContain('\u202E');
  });

  it('puts long output in an attachment on the message that shows its head', () => {
    const stdout = Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n');
    const payloads = render([
      { kind: 'output', command: 'seq', result: result({ stdout }), where: { kind: 'sandbox', mode: 'oneshot' } },
      { kind: 'text', text: 'explanation' },
    ]);
    const withFile = payloads.find((p) => p.files?.length);
    expect(withFile?.files?.[0]?.attachment.toString('utf8')).toBe(stdout);
    expect(withFile?.content).toContain('line 0');
    expect(withFile?.content).not.toContain('line 199');
  });

  it('turns choices into buttons on the last message, ≤5 per row, ≤5 rows, ids carrying the learner', () => {
    const choices: Choice[] = [
      { label: '実行する', action: { type: 'run-step' } },
      { label: 'ヒント', action: { type: 'hint' } },
      { label: '次へ', action: { type: 'next' } },
      { label: 'Mac', action: { type: 'platform', platform: 'mac' } },
      { label: '答え 2', action: { type: 'quiz', questionId: 'q-pid1', choice: 1 } },
      ...Array.from({ length: 30 }, (_, n): Choice => ({ label: `Lesson ${n} ${'x'.repeat(100)}`, action: { type: 'start', lessonId: `lesson-${n}` } })),
    ];
    const payloads = render([{ kind: 'text', text: 'a'.repeat(1900) }, { kind: 'text', text: 'b'.repeat(500) }, { kind: 'choices', choices }]);
    expect(payloads).toHaveLength(2);
    expect(payloads[0]?.components).toBeUndefined();
    const rows = payloads[1]?.components ?? [];
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row.components.length).toBeLessThanOrEqual(5);
    const all = buttons(payloads[1]);
    expect(all).toHaveLength(25);
    for (const button of all) expect(button.label!.length).toBeLessThanOrEqual(80);
    const intents = all.slice(0, 5).map((b) => {
      const decoded = decodeCustomId(b.custom_id);
      if (!decoded.ok) throw new Error(`undecodable ${b.custom_id}`);
      expect(decoded.data.learnerId).toBe(learnerUserId);
      return buttonIntent(decoded.data);
    });
    expect(intents).toEqual(choices.slice(0, 5).map((c) => ({ kind: 'choice', action: c.action })));
    expect(all[0]?.style).toBe(1);
  });

  it('leaves out duplicate and unencodable choices instead of sending a broken message', () => {
    const [message] = render([
      {
        kind: 'choices',
        choices: [
          { label: 'hint', action: { type: 'hint' } },
          { label: 'hint again', action: { type: 'hint' } },
          { label: 'weird', action: { type: 'start', lessonId: 'has space' } },
          { label: '   ', action: { type: 'next' } },
        ],
      },
    ]);
    expect(buttons(message).map((b) => b.label)).toEqual(['hint', '…']);
  });

  it('always returns at least one sendable message', () => {
    expect(render([])).toEqual([{ content: '…', allowedMentions: { parse: [] } }]);
  });
});

describe('splitText and progressBar', () => {
  it('splits at line breaks and cuts over-long lines', () => {
    expect(splitText('a\nb\nc', 3)).toEqual(['a\nb', 'c']);
    expect(splitText('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(splitText('', 3)).toEqual([]);
  });

  it('draws bounded bars', () => {
    expect(progressBar(0, 0)).toBe('`▱▱▱▱▱▱▱▱▱▱` 0/0');
    expect(progressBar(5, 3)).toBe('`▰▰▰▰▰▰▰▰▰▰` 3/3');
  });
});
