import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../src/lessons/index.js';
import { classifyLine, type LineContext, type LinePlace } from '../../src/tutor/line-kind.js';
import { judge, loadLineSet, misclassified, tally } from '../../bench/line-set.js';

const at = (place: LinePlace, awaitingAnswer = false, lang: 'ja' | 'en' = 'en'): LineContext => ({ place, lang, awaitingAnswer });
const kindOf = (line: string, ctx: LineContext) => classifyLine(line, ctx).kind;
const PLACES: LinePlace[] = ['chat', 'container', 'host'];

describe('classifyLine: explicit commands', () => {
  it('takes `$ `, `$` with a full-width space and pasted prompts as commands, without the prefix', () => {
    expect(classifyLine('$ ps aux', at('chat'))).toEqual({ kind: 'command', command: 'ps aux', signals: ['explicit-prefix'] });
    expect(classifyLine('$\u3000ps aux', at('chat'))).toMatchObject({ kind: 'command', command: 'ps aux' });
    expect(classifyLine('/ # ps aux', at('chat'))).toMatchObject({ kind: 'command', command: 'ps aux', signals: ['pasted-prompt'] });
    expect(classifyLine('root@5f2c:/# cat /proc/1/status', at('host'))).toMatchObject({ kind: 'command', command: 'cat /proc/1/status' });
    // Even prose runs when the learner says so.
    expect(classifyLine('$ ありがとう', at('chat'))).toMatchObject({ kind: 'command', command: 'ありがとう' });
  });

  it('reads a line wrapped in code formatting as the command inside', () => {
    expect(classifyLine('`docker exec -it my-alpine sh`', at('chat'))).toMatchObject({ kind: 'command', command: 'docker exec -it my-alpine sh' });
  });

  it('takes absolute paths as commands, and `/bin/ls # list` as a command with a comment rather than a prompt', () => {
    for (const line of ['/bin/ls', '/proc/1/status', '/usr/bin/id -u']) expect(kindOf(line, at('chat')), line).toBe('command');
    expect(classifyLine('/bin/ls # list', at('chat'))).toMatchObject({ kind: 'command', command: '/bin/ls # list' });
  });
});

describe('classifyLine: the seed, typed as written', () => {
  const seed: [string, LinePlace][] = [
    ['docker run -d --name my-alpine alpine sleep 1000', 'chat'],
    ['docker exec -it my-alpine sh', 'chat'],
    ['ps aux', 'container'],
    ['cat /sys/fs/cgroup/cgroup.controllers', 'container'],
    ['exit', 'container'],
    ['docker rm -f my-alpine', 'chat'],
    ['docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777', 'chat'],
    ['ps aux | grep "sleep 7777"', 'chat'],
    ['sudo ls -l /proc/12345/ns', 'chat'],
    ["docker inspect -f '{{.Id}}' deep-dive-container", 'chat'],
    ['sudo cat /sys/fs/cgroup/system.slice/docker-<ID>.scope/memory.max', 'chat'],
    ['sudo cat /sys/fs/cgroup/system.slice/docker-<ここに長いIDを入れる>.scope/memory.max', 'chat'],
    ['docker run -it --rm --privileged --pid=host justincormack/nsenter1', 'chat'],
    ['docker run -it --rm --privileged --pid=host alpine nsenter -t 1 -m -u -n -i sh', 'chat'],
    ['nsenter -t 1 -m -u -n -i sh', 'host'],
    ['ls -l /proc/1234/ns', 'host'],
  ];
  it.each(seed)('%s (%s) is a command', (line, place) => {
    expect(classifyLine(line, at(place))).toMatchObject({ kind: 'command', command: line });
  });

  it('names its signals', () => {
    const result = classifyLine('ps aux | grep "sleep 7777"', at('host'));
    expect(result.kind === 'command' && result.signals).toEqual(expect.arrayContaining(['command:ps', 'pipe', 'quotes', 'in-host']));
  });
});

describe('classifyLine: chat', () => {
  it('never runs prose, in any place', () => {
    const prose = [
      'ありがとう', 'what does this mean?', 'PID 1 は docker-init でした', 'ps aux を実行したよ', "I'm on a Mac", 'Macです',
      'sleep 1000 was PID 1', 'cgroupって何？', 'PID 1 って何で特別なの', 'exit code 137', 'docker desktop', 'more details',
      "ls: cannot access '/proc/12345/ns': No such file or directory", 'lrwxrwxrwx 1 root root 0 pid -> pid:[4026532201]',
      'what does `ls -l /proc/1/ns` show', 'namespaces > cgroups',
    ];
    for (const place of PLACES) for (const line of prose) expect(kindOf(line, at(place)), `${line} in ${place}`).not.toBe('command');
  });

  it('takes plain sentences and Japanese as chat, even when they name a command', () => {
    for (const line of ['what is a namespace?', 'how does docker isolate processes', 'ps aux shows sleep 1000 as PID 1', 'ps aux を実行したよ', '134217728 って出た']) {
      expect(kindOf(line, at('chat')), line).toBe('chat');
      expect(kindOf(line, at('container')), line).toBe('chat');
    }
  });

  it('asks rather than guesses when Japanese is wrapped in real shell syntax', () => {
    expect(kindOf('ps aux | grep sleep ってやったら2行出た', at('chat'))).toBe('unsure');
    // Japanese inside quotes is an argument, not a sentence.
    expect(kindOf('echo "こんにちは" > /tmp/hello', at('container'))).toBe('command');
  });

  it('keeps words that are commands and chat alike as chat while talking, and asks about `yes` in a shell', () => {
    for (const word of ['yes', 'no', 'ok', 'help', 'more', 'time', 'test', 'who', 'next', 'done', 'sure', 'watch', 'true', 'wait']) {
      expect(kindOf(word, at('chat')), word).toBe('chat');
      expect(kindOf(word, at('chat', true)), word).toBe('chat');
    }
    expect(kindOf('yes', at('container'))).toBe('unsure');
    expect(kindOf('yes', at('host'))).toBe('unsure');
    expect(kindOf('ok', at('container'))).toBe('chat');
    expect(kindOf('true', at('container'))).toBe('command');
    expect(kindOf('yes | head -3', at('chat'))).toBe('command');
    expect(kindOf('time docker stop sig', at('chat'))).toBe('command');
  });

  it('hears an answer to the tutor\'s question that also looks like a command', () => {
    expect(kindOf('sleep 1000', at('chat'))).toBe('command');
    expect(kindOf('sleep 1000', at('chat', true))).toBe('unsure');
    expect(kindOf('/sbin/docker-init', at('chat', true))).toBe('unsure');
    expect(kindOf('uid 1000', at('chat', true))).toBe('chat');
  });

  it('treats an empty line as nothing to run', () => {
    expect(classifyLine('   ', at('container'))).toEqual({ kind: 'chat' });
  });
});

describe('classifyLine: typos and loose typing', () => {
  it('runs misspelt commands that are shell-shaped, and asks about bare ones', () => {
    for (const line of ['ps aix', 'dokcer ps -a', 'sl -l', 'suod ls -l /proc/12345/ns', 'docker exce -it my-alpine sh', 'dockr ps']) {
      expect(kindOf(line, at('chat')), line).toBe('command');
    }
    expect(kindOf('hostnmae', at('chat'))).toBe('unsure');
    expect(kindOf('exti', at('container'))).toBe('command');
    // A letter added at the end of a command makes another word more often than a typo.
    for (const word of ['stop', 'cgroups', 'makes sense', 'uid 0']) expect(kindOf(word, at('container')), word).not.toBe('command');
  });

  it('reads an IME left on, and asks about a phone\'s capital letter', () => {
    expect(classifyLine('ｐｓ　ａｕｘ', at('container'))).toMatchObject({ kind: 'command', command: 'ｐｓ　ａｕｘ' });
    expect(kindOf('Docker run -d --name my-alpine alpine sleep 1000', at('chat'))).toBe('command');
    expect(kindOf('Exit', at('container'))).toBe('unsure');
  });

  it('does not read a comment, `$?` or `$!` as prose', () => {
    expect(kindOf("docker run --rm --cap-add SYS_TIME alpine date -s '2030-01-01'   # this changes the host's clock: don't actually run it", at('chat'))).toBe('command');
    expect(kindOf('test -e /.dockerenv; echo $?', at('container'))).toBe('command');
    expect(kindOf('sleep 30 & echo $!', at('chat'))).toBe('command');
  });
});

describe('the labelled lines (test/fixtures/lines.tsv)', () => {
  const lines = loadLineSet(new URL('../fixtures/lines.tsv', import.meta.url));

  it('is at least 600 lines: 300 commands, 250 chat, a good share typed in a container or the host view', () => {
    expect(lines.length).toBeGreaterThanOrEqual(600);
    expect(lines.filter((l) => l.label === 'command').length).toBeGreaterThanOrEqual(300);
    expect(lines.filter((l) => l.label === 'chat').length).toBeGreaterThanOrEqual(250);
    expect(lines.filter((l) => l.place !== 'chat').length).toBeGreaterThanOrEqual(200);
    expect(lines.filter((l) => l.lang === 'ja' && l.label === 'chat').length).toBeGreaterThanOrEqual(100);
  });

  it('recognises at least 99% of the commands and runs no prose', () => {
    const judged = judge(lines);
    const t = tally(judged);
    const wrong = misclassified(judged).map((j) => `${j.label}→${j.got} ${j.place}: ${j.line}`);
    expect(t.proseRun, wrong.join('\n')).toBe(0);
    expect(t.recognised / t.commands, wrong.join('\n')).toBeGreaterThanOrEqual(0.99);
  });

  it('runs no prose among the hold-out lines written after the rules were settled', () => {
    const t = tally(judge(loadLineSet(new URL('../fixtures/lines-holdout.tsv', import.meta.url))));
    expect(t.proseRun).toBe(0);
    expect(t.recognised / t.commands).toBeGreaterThanOrEqual(0.95);
  });
});

describe("the lessons' own commands", () => {
  it('are each recognised as commands, as the learner would type them to the tutor', async () => {
    const curriculum = await loadCurriculum(fileURLToPath(new URL('../../lessons', import.meta.url)));
    const commands = new Set<string>();
    for (const lang of ['ja', 'en'] as const) {
      for (const lesson of curriculum.list(lang)) {
        for (const step of lesson.steps) {
          for (const block of Object.values(step.try)) {
            if (typeof block !== 'string') continue;
            for (const line of block.split('\n').map((l) => l.trim())) if (line !== '' && !line.startsWith('#')) commands.add(line);
          }
        }
      }
    }
    expect(commands.size).toBeGreaterThan(100);
    const missed = [...commands].filter((line) => kindOf(line, at('chat')) !== 'command');
    expect(missed).toEqual([]);
  });
});

describe('classifyLine: a pasted kernel log is not a `[` test', () => {
  it('reads `[    0.37] usb …` as chat everywhere, and `[ -f x ]` with its own `]` as a command', () => {
    for (const place of ['chat', 'container', 'host'] as const) {
      for (const line of ['[    0.370000] usb 1-1: new high-speed USB device number 2 using xhci_hcd', '[  12.345678] eth0: link up']) {
        expect(classifyLine(line, { place, lang: 'en' }).kind, `${place}: ${line}`).toBe('chat');
      }
      for (const line of ['[ -f /etc/passwd ] && echo yes', '[ -d /proc/1 ]']) {
        expect(classifyLine(line, { place, lang: 'en' }).kind, `${place}: ${line}`).toBe('command');
      }
    }
  });
});
