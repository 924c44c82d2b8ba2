import { describe, expect, it } from 'vitest';
import type { LabNote } from '../../src/lab/notes.js';
import { LAB_LIMITS, parseLabLine, type LabCommand, type LabParse } from '../../src/lab/parse.js';
import { refusedFlags, refusedSubcommands, type LabRefusal } from '../../src/lab/refusals.js';
import { labNoteText, labRefusalText } from '../../src/tutor/lab-text.js';
import { labEn } from '../../src/tutor/phrases/lab-en.js';
import { labJa } from '../../src/tutor/phrases/lab-ja.js';

const MiB = 1024 * 1024;
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** The parser returns codes; the tests read the tutor's words for them too. */
type Worded<T> = T & { ja: string; en: string };
const wordNote = (n: LabNote): Worded<LabNote> => ({ ...n, ja: labNoteText('ja', n), en: labNoteText('en', n) });
const wordRefusal = (r: LabRefusal): Worded<LabRefusal> => ({ ...r, ja: labRefusalText('ja', r), en: labRefusalText('en', r) });

function accepted(line: string, opts?: Parameters<typeof parseLabLine>[1]): Omit<Extract<LabParse, { ok: true }>, 'notes'> & { notes: Worded<LabNote>[] } {
  const result = parseLabLine(line, opts);
  if (!result.ok) throw new Error(`expected ${line} to parse, got ${result.refusal.code}: ${labRefusalText('en', result.refusal)}`);
  return { ...result, notes: result.notes.map(wordNote) };
}

function command(line: string): LabCommand {
  return accepted(line).command;
}

function refused(line: string): Worded<LabRefusal> {
  const result = parseLabLine(line);
  if (result.ok) throw new Error(`expected ${line} to be refused, got ${JSON.stringify(result.command)}`);
  const refusal = wordRefusal(result.refusal);
  expect(refusal.ja, `${line}: ja`).toMatch(JAPANESE);
  expect(refusal.en.length, `${line}: en`).toBeGreaterThan(20);
  return refusal;
}

describe('the seed lesson, word for word', () => {
  it('docker run --init asks for an init as PID 1, as the pid-namespace lesson types it', () => {
    expect(command('docker run -d --init --name sig alpine sleep 600')).toMatchObject({ kind: 'run', detach: true, init: true, name: 'sig', args: ['sleep', '600'] });
    expect(command('docker run --rm alpine ps')).not.toHaveProperty('init');
  });

  it('docker run -d --name my-alpine alpine sleep 1000', () => {
    const result = accepted('docker run -d --name my-alpine alpine sleep 1000');
    expect(result.command).toEqual({
      kind: 'run',
      detach: true,
      remove: false,
      interactive: false,
      tty: false,
      name: 'my-alpine',
      env: [],
      resources: {},
      image: { asked: 'alpine', name: 'alpine', mapped: true },
      args: ['sleep', '1000'],
    });
    expect(result.notes.map((n) => n.code)).toEqual(['image-mapped']);
    expect(result.clamped).toEqual([]);
  });

  it('docker exec -it my-alpine sh', () => {
    const result = accepted('docker exec -it my-alpine sh');
    expect(result.command).toEqual({
      kind: 'exec',
      interactive: true,
      tty: true,
      env: [],
      container: 'my-alpine',
      args: ['sh'],
      opensShell: true,
    });
    // The chat moves inside the container, as a terminal would: no word on -i/-t.
    expect(result.notes.map((n) => n.code)).toEqual([]);
    expect(accepted('docker exec -it my-alpine ps').notes.map((n) => n.code)).toEqual(['interactive']);
  });

  it('docker rm -f my-alpine / deep-dive-container', () => {
    expect(command('docker rm -f my-alpine')).toEqual({ kind: 'rm', force: true, containers: ['my-alpine'] });
    expect(command('docker rm -f deep-dive-container')).toEqual({ kind: 'rm', force: true, containers: ['deep-dive-container'] });
  });

  it('docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777', () => {
    const result = accepted('docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777');
    expect(result.command).toMatchObject({
      kind: 'run',
      detach: true,
      name: 'deep-dive-container',
      resources: { memoryBytes: 134217728 },
      image: { asked: 'alpine', mapped: true },
      args: ['sleep', '7777'],
    });
    expect(result.clamped).toEqual([]);
  });

  it('ps aux | grep "sleep 7777" and ps aux | grep sleep are the host view', () => {
    expect(command('ps aux | grep "sleep 7777"')).toEqual({ kind: 'host', command: 'ps', grep: 'sleep 7777' });
    expect(command('ps aux | grep sleep')).toEqual({ kind: 'host', command: 'ps', grep: 'sleep' });
    expect(command("ps aux|grep 'sleep 1000'")).toEqual({ kind: 'host', command: 'ps', grep: 'sleep 1000' });
    expect(command('ps aux')).toEqual({ kind: 'host', command: 'ps' });
  });

  it("docker inspect -f '{{.Id}}' deep-dive-container", () => {
    expect(command("docker inspect -f '{{.Id}}' deep-dive-container")).toEqual({
      kind: 'inspect',
      format: '{{.Id}}',
      containers: ['deep-dive-container'],
    });
  });

  it('the nsenter escape is refused, explaining both --privileged and --pid=host', () => {
    const refusal = refused('docker run -it --rm --privileged --pid=host alpine nsenter -t 1 -m -u -n -i sh');
    expect(refusal.code).toBe('flag-privileged');
    expect(refusal.en).toMatch(/nearly all of the host's powers/);
    expect(refusal.en).toMatch(/host's PID namespace/);
    expect(refusal.ja).toMatch(/ほぼすべての権限/);
    expect(refusal.subject).toBe('--privileged --pid=host');
  });

  it('host commands from the lesson are refused with a way to do it in the lab', () => {
    // `ls -l /proc/PID/ns` is the host view now (host-view.test.ts); other host commands stay refused.
    const ls = refused('sudo ls -l /etc');
    expect(ls.code).toBe('not-docker');
    expect(ls.en).toMatch(/docker exec NAME ls/);
    // A placeholder left in a host-view path is the host view's to answer (host-view.test.ts), not a refusal.
    expect(refused('sudo cat /etc/<ここに長いIDを入れる>.conf').code).toBe('not-docker');
  });

  it('commands typed after the container prompt `/ #` point to docker exec', () => {
    const refusal = refused('/ # cat /sys/fs/cgroup/cgroup.controllers');
    expect(refusal.code).toBe('container-prompt');
    expect(refusal.en).toContain('docker exec my-alpine cat /sys/fs/cgroup/cgroup.controllers');
    expect(refused('/ # exit').en).toContain('docker exec NAME ps aux');
  });

  it('docker run --memory="256m" (no image) asks for the image', () => {
    expect(refused('docker run --memory="256m"').code).toBe('missing-argument');
  });
});

describe('docker run', () => {
  it('accepts every supported flag in long, short, = and clustered forms', () => {
    const result = accepted(
      "docker run --detach --rm -it --name=web.1 --hostname box -u 1000:1000 -e A=1 --env 'B=two words' -eC= -m128m --cpus=0.5 --pids-limit 32 alpine:3.19 sh -c 'echo hi'",
    );
    expect(result.command).toEqual({
      kind: 'run',
      detach: true,
      remove: true,
      interactive: true,
      tty: true,
      name: 'web.1',
      hostname: 'box',
      user: '1000:1000',
      env: [
        { key: 'A', value: '1' },
        { key: 'B', value: 'two words' },
        { key: 'C', value: '' },
      ],
      resources: { memoryBytes: 128 * MiB, cpus: 0.5, pidsLimit: 32 },
      image: { asked: 'alpine:3.19', name: 'alpine', tag: '3.19', mapped: true },
      args: ['sh', '-c', 'echo hi'],
    });
    expect(result.clamped).toEqual([]);
    expect(result.notes.map((n) => n.code)).toEqual(['image-mapped', 'interactive']);
  });

  it('leaves flags after the image to the command', () => {
    const run = command('docker run alpine ls -la --color=never -v /');
    expect(run).toMatchObject({ kind: 'run', args: ['ls', '-la', '--color=never', '-v', '/'] });
    expect(command('docker run -d alpine')).toMatchObject({ args: [] });
    expect(command('docker run -- alpine -x')).toMatchObject({ args: ['-x'] });
  });

  it('reads -dit, -m=64m and repeated flags the way docker does (last value wins)', () => {
    expect(command('docker run -dit -m=64m -m 32m alpine')).toMatchObject({
      detach: true,
      interactive: true,
      tty: true,
      resources: { memoryBytes: 32 * MiB },
    });
    expect(command('docker run --rm=false -d=true alpine')).toMatchObject({ remove: false, detach: true });
  });

  it.each([
    ['128m', 134217728],
    ['128M', 134217728],
    ['128mb', 134217728],
    ['128MiB', 134217728],
    ['65536k', 64 * MiB],
    ['0.25g', 256 * MiB],
    ['100000000', 100000000],
    ['104857600b', 100 * MiB],
  ])('--memory %s is %i bytes', (size, bytes) => {
    expect(command(`docker run -m ${size} alpine`)).toMatchObject({ resources: { memoryBytes: bytes } });
  });

  it('refuses unreadable or too-small sizes and bad numbers', () => {
    expect(refused('docker run -m lots alpine').code).toBe('bad-memory');
    expect(refused('docker run -m 128x alpine').code).toBe('bad-memory');
    expect(refused('docker run -m 4m alpine').code).toBe('memory-too-small');
    expect(refused('docker run --cpus half alpine').code).toBe('bad-cpus');
    expect(refused('docker run --cpus -1 alpine').code).toBe('bad-cpus');
    expect(refused('docker run --pids-limit 1.5 alpine').code).toBe('bad-pids-limit');
  });

  it('validates names, hostnames, users and environment variables', () => {
    expect(refused('docker run --name -bad alpine').code).toBe('bad-container-name');
    expect(refused('docker run --name "my alpine" alpine').subject).toBe('my alpine');
    expect(refused(`docker run --name ${'a'.repeat(65)} alpine`).code).toBe('bad-container-name');
    expect(command(`docker run --name ${'a'.repeat(64)} alpine`)).toMatchObject({ name: 'a'.repeat(64) });
    expect(refused('docker run --name _x alpine').code).toBe('bad-container-name');
    expect(refused('docker run --hostname bad_host alpine').code).toBe('bad-hostname');
    expect(refused('docker run -u "root;id" alpine').code).toBe('bad-user');
    expect(refused('docker run -e 1X=2 alpine').code).toBe('bad-env');
    const hostEnv = refused('docker run -e AWS_SECRET alpine');
    expect(hostEnv.code).toBe('env-needs-value');
    expect(hostEnv.en).toMatch(/copy the host's variable/);
  });

  it('reports a flag that is missing its value', () => {
    expect(refused('docker run --name').code).toBe('flag-missing-value');
    expect(refused('docker run -m').subject).toBe('-m');
    expect(refused('docker run --rm=yes alpine').code).toBe('flag-bad-boolean');
  });
});

describe('clamping to the lab limits', () => {
  it('exports the lab maxima', () => {
    expect(LAB_LIMITS).toEqual({ memoryBytes: 256 * MiB, cpus: 1, pids: 64 });
  });

  it('clamps limits above the maxima and says so', () => {
    const result = accepted('docker run -m 1g --cpus 4 --pids-limit 1000 alpine');
    expect(result.command).toMatchObject({ resources: { memoryBytes: 256 * MiB, cpus: 1, pidsLimit: 64 } });
    expect(result.clamped).toEqual([
      { field: 'memory', asked: 1024 * MiB, used: 256 * MiB },
      { field: 'cpus', asked: 4, used: 1 },
      { field: 'pids-limit', asked: 1000, used: 64 },
    ]);
    const clampNotes = result.notes.filter((n) => n.code === 'clamped');
    expect(clampNotes).toHaveLength(3);
    expect(clampNotes[0]?.en).toBe("--memory 1024 MiB is above the lab's maximum, so it is set to 256 MiB.");
    expect(clampNotes[0]?.ja).toMatch(JAPANESE);
  });

  it('treats "unlimited" (0 or -1) as the maximum', () => {
    const result = accepted('docker run -m 0 --cpus 0 --pids-limit -1 alpine');
    expect(result.command).toMatchObject({ resources: { memoryBytes: 256 * MiB, cpus: 1, pidsLimit: 64 } });
    expect(result.clamped.map((c) => c.asked)).toEqual([0, 0, -1]);
    expect(result.notes.find((n) => n.code === 'clamped')?.en).toMatch(/unlimited/);
  });

  it('keeps limits at or under the maxima', () => {
    expect(accepted('docker run -m 256m --cpus 1 --pids-limit 64 alpine').clamped).toEqual([]);
  });

  it('takes other maxima as parameters', () => {
    const result = accepted('docker run -m 200m --cpus 0.5 alpine', { limits: { memoryBytes: 128 * MiB, cpus: 0.25 } });
    expect(result.clamped).toEqual([
      { field: 'memory', asked: 200 * MiB, used: 128 * MiB },
      { field: 'cpus', asked: 0.5, used: 0.25 },
    ]);
    expect(() => parseLabLine('docker ps', { limits: { pids: 0 } })).toThrow();
  });
});

describe('images', () => {
  it.each([
    ['alpine', 'alpine', undefined],
    ['alpine:3.19', 'alpine', '3.19'],
    ['alpine:latest', 'alpine', 'latest'],
    ['docker.io/library/alpine', 'alpine', undefined],
    ['docker.io/library/alpine:3.19', 'alpine', '3.19'],
    ['library/busybox', 'busybox', undefined],
    ['ubuntu:22.04', 'ubuntu', '22.04'],
    ['debian:bookworm-slim', 'debian', 'bookworm-slim'],
    ['busybox', 'busybox', undefined],
  ])('%s maps to the sandbox image', (asked, name, tag) => {
    const result = accepted(`docker run ${asked} true`);
    const image = result.command.kind === 'run' ? result.command.image : undefined;
    expect(image).toEqual(tag === undefined ? { asked, name, mapped: true } : { asked, name, tag, mapped: true });
    expect(result.notes[0]?.en).toContain(asked);
  });

  it.each(['nginx', 'alpine/git', 'ghcr.io/x/alpine', 'Alpine', 'evil.example.com/library/alpine', 'alpine:', 'python:3'])(
    '%s is refused kindly',
    (image) => {
      const refusal = refused(`docker run ${image}`);
      expect(refusal.code).toBe('image-not-available');
      expect(refusal.en).toMatch(/no internet or registry/);
      expect(refusal.en).toContain('alpine, ubuntu, busybox, debian');
    },
  );
});

describe('the other subcommands', () => {
  it('parses exec with and without -it', () => {
    expect(command('docker exec my-alpine ps aux')).toEqual({
      kind: 'exec',
      interactive: false,
      tty: false,
      env: [],
      container: 'my-alpine',
      args: ['ps', 'aux'],
      opensShell: false,
    });
    expect(command("docker exec -e X=1 my-alpine sh -c 'echo $X'")).toMatchObject({
      env: [{ key: 'X', value: '1' }],
      args: ['sh', '-c', 'echo $X'],
      opensShell: false,
    });
    expect(command('docker exec -it my-alpine /bin/bash')).toMatchObject({ opensShell: true });
    expect(refused('docker exec my-alpine').code).toBe('missing-argument');
    expect(refused('docker exec').code).toBe('missing-argument');
    expect(refused('docker exec --privileged my-alpine sh').code).toBe('flag-privileged');
    expect(refused('docker exec -u root my-alpine sh').code).toBe('flag-unsupported');
  });

  it('parses ps, top, logs, stats, stop, kill, rm and inspect', () => {
    expect(command('docker ps')).toEqual({ kind: 'ps', all: false });
    expect(command('docker ps -a')).toEqual({ kind: 'ps', all: true });
    expect(command('docker ps --all')).toEqual({ kind: 'ps', all: true });
    expect(command('docker container ls -a')).toEqual({ kind: 'ps', all: true });
    expect(command('docker top my-alpine')).toEqual({ kind: 'top', container: 'my-alpine' });
    expect(command('docker logs my-alpine')).toEqual({ kind: 'logs', container: 'my-alpine' });
    expect(command('docker stats --no-stream')).toEqual({ kind: 'stats', containers: [] });
    expect(command('docker stats --no-stream a b')).toEqual({ kind: 'stats', containers: ['a', 'b'] });
    expect(command('docker stop a b')).toEqual({ kind: 'stop', containers: ['a', 'b'] });
    expect(command('docker kill a')).toEqual({ kind: 'kill', containers: ['a'] });
    expect(command('docker rm a b')).toEqual({ kind: 'rm', force: false, containers: ['a', 'b'] });
    expect(command('docker rm a --force')).toEqual({ kind: 'rm', force: true, containers: ['a'] });
    expect(command('docker container rm -f a')).toEqual({ kind: 'rm', force: true, containers: ['a'] });
    expect(command('docker inspect a b')).toEqual({ kind: 'inspect', containers: ['a', 'b'] });
    expect(command('docker inspect --format={{.State.Pid}} a')).toEqual({ kind: 'inspect', format: '{{.State.Pid}}', containers: ['a'] });
    expect(command(`docker inspect a -f "{{json .State}}"`)).toEqual({ kind: 'inspect', format: '{{json .State}}', containers: ['a'] });
  });

  it('tells the learner stats shows one snapshot when --no-stream is left out', () => {
    const result = accepted('docker stats my-alpine');
    expect(result.command).toEqual({ kind: 'stats', containers: ['my-alpine'] });
    expect(result.notes.map((n) => n.code)).toEqual(['stats-no-stream']);
  });

  it('refuses missing and extra arguments', () => {
    expect(refused('docker top').code).toBe('missing-argument');
    expect(refused('docker top a aux').code).toBe('too-many-arguments');
    expect(refused('docker logs a b').code).toBe('too-many-arguments');
    expect(refused('docker ps a').code).toBe('too-many-arguments');
    expect(refused('docker stop').code).toBe('missing-argument');
    expect(refused('docker rm -f').code).toBe('missing-argument');
    expect(refused('docker inspect -f {{.Id}}').code).toBe('missing-argument');
    expect(refused('docker stop "bad name"').code).toBe('bad-container-name');
    expect(refused('docker').code).toBe('missing-subcommand');
  });

  it('refuses malformed inspect templates before anything runs', () => {
    const refusal = refused(`docker inspect -f '{{.State.Pid' a`);
    expect(refusal.code).toBe('bad-template');
    expect(refusal.en).toMatch(/unclosed action/);
    expect(refused(`docker inspect -f '{{index .Config.Cmd 0}}' a`).en).toMatch(/"index" is not supported/);
  });

  it('accepts sudo docker, with a note', () => {
    const result = accepted('sudo docker ps');
    expect(result.command).toEqual({ kind: 'ps', all: false });
    expect(result.notes.map((n) => n.code)).toEqual(['sudo-ignored']);
  });
});

describe('refusals are teaching moments', () => {
  it('every refused flag has ja and en explanations, whichever spelling is used', () => {
    for (const entry of refusedFlags) {
      const ja = labJa.refusal[entry.code]({});
      const en = labEn.refusal[entry.code]({});
      expect(ja, entry.code).toMatch(JAPANESE);
      expect(en.length, entry.code).toBeGreaterThan(80);
      for (const flag of entry.flags) {
        const takesValue = entry.takesValue && !(entry.switches ?? []).includes(flag);
        const line = takesValue ? `docker run ${flag} x alpine sleep 1` : `docker run ${flag} alpine sleep 1`;
        const refusal = refused(line);
        expect(refusal.code, line).toBe(entry.code);
        expect(refusal.ja).toBe(ja);
        expect(refusal.en).toBe(en);
        if (takesValue && flag.startsWith('--')) expect(refused(`docker run ${flag}=x alpine`).code).toBe(entry.code);
      }
    }
  });

  it.each([
    ['--privileged', /nearly all of the host's powers/],
    ['-v /:/host', /mounts?|host's files/],
    ['--mount type=bind,src=/,dst=/host', /host's files/],
    ['--pid=host', /host's PID namespace/],
    ['--pid container:other', /another container/],
    ['--network host', /host's network stack/],
    ['--net=host', /no network/],
    ['--cap-add SYS_ADMIN', /capabilities/],
    ['--device /dev/sda', /raw host disk/],
    ['--security-opt seccomp=unconfined', /seccomp/],
    ['--ipc=host', /shared memory/],
    ['--userns=host', /uid 0/],
    ['-p 8080:80', /opens a port on the host/],
    ['-P', /opens a port on the host/],
    ['-vp /:/h', /host's files/],
  ])('docker run %s explains the real risk', (flag, risk) => {
    expect(refused(`docker run ${flag} alpine`).en).toMatch(risk);
  });

  it('explains several dangerous flags at once, even after an unknown one', () => {
    const refusal = refused('docker run -v /:/h --cap-add ALL --weird alpine');
    expect(refusal.code).toBe('flag-volume');
    expect(refusal.en).toMatch(/host's files[\s\S]*capabilities/);
  });

  it('names an unknown flag and lists what is supported', () => {
    const refusal = refused('docker run --entrypoint sh alpine');
    expect(refusal.code).toBe('flag-unsupported');
    expect(refusal.subject).toBe('--entrypoint');
    expect(refusal.en).toContain('--entrypoint');
    expect(refusal.en).toContain('-m, --memory SIZE');
    expect(refusal.ja).toContain('--pids-limit N');
    expect(refused('docker ps -q').en).toContain('-a, --all');
    expect(refused('docker logs -f a').subject).toBe('-f');
    expect(refused('docker run -x alpine').subject).toBe('-x');
  });

  it('explains the flags on --help', () => {
    const refusal = refused('docker run --help');
    expect(refusal.code).toBe('help');
    expect(refusal.en).toContain('--name NAME');
  });

  it('refuses other subcommands with the reason for each group', () => {
    // One reason per group: the same words for every subcommand in it, other words for every other group.
    const reasons = new Set<string>();
    for (const entry of refusedSubcommands) {
      const worded = new Set<string>();
      for (const sub of entry.subcommands) {
        const refusal = refused(`docker ${sub} something`);
        expect(refusal.code, sub).toBe(entry.code);
        expect(refusal.en).toContain(`\`docker ${sub}\``);
        expect(refusal.ja).toContain(`\`docker ${sub}\``);
        expect(refusal.en).toContain('run, exec, ps, inspect');
        worded.add(refusal.en.replace(`\`docker ${sub}\``, 'SUB'));
      }
      expect(worded.size, entry.code).toBe(1);
      reasons.add([...worded][0] as string);
    }
    expect(reasons.size).toBe(refusedSubcommands.length);
    expect(refused('docker pull alpine').en).toMatch(/no internet and no image registry/);
    expect(refused('docker build .').en).toMatch(/Building/);
    expect(refused('docker system prune -af').en).toMatch(/engine/);
    expect(refused('docker create alpine').code).toBe('subcommand-unsupported');
    expect(refused('docker container prune').code).toBe('subcommand-unsupported');
    expect(refused('docker -H tcp://10.0.0.1:2375 ps').code).toBe('flag-global');
  });

  it('refuses shell operators outside quotes, suggesting the container shell', () => {
    for (const [line, op] of [
      ['docker ps | grep alpine', '|'],
      ['docker ps; docker ps -a', ';'],
      ['docker run -d alpine sleep 1 && docker ps', '&&'],
      ['docker rm x || true', '||'],
      ['docker inspect x > out.json', '>'],
      ['docker exec x sh < script.sh', '<'],
      ['docker run alpine sleep 100 &', '&'],
    ] as const) {
      const refusal = refused(line);
      expect(refusal.code, line).toBe('shell-operator');
      expect(refusal.subject, line).toBe(op);
      expect(refusal.en, line).toMatch(/without a shell on the host/);
      expect(refusal.en, line).toContain("docker exec NAME sh -c 'ps aux | grep sleep'");
    }
    expect(refused('docker ps\ndocker ps -a').code).toBe('shell-multiple-commands');
    expect(command("docker exec x sh -c 'ps aux | grep sleep > /tmp/o; cat /tmp/o'")).toMatchObject({
      args: ['sh', '-c', 'ps aux | grep sleep > /tmp/o; cat /tmp/o'],
    });
  });

  it('refuses substitutions, variables and unbalanced quotes with where they are', () => {
    expect(refused('docker inspect $(docker ps -q)').code).toBe('shell-substitution');
    expect(refused('docker inspect `docker ps -q`').code).toBe('shell-substitution');
    expect(refused('docker exec x echo $HOME').code).toBe('shell-variable');
    const quote = refused(`docker inspect -f '{{.Id}} x`);
    expect(quote.code).toBe('quote-unclosed');
    expect(quote.en).toContain('column 19');
    expect(refused('docker run --name="x alpine').code).toBe('quote-unclosed');
  });

  it('only the ps aux | grep WORD pipeline is a host command', () => {
    expect(refused('ps aux | grep -v grep').code).toBe('host-ps-only');
    expect(refused('ps aux | grep a | wc -l').code).toBe('host-ps-only');
    expect(refused('ps aux | sort').code).toBe('host-ps-only');
    expect(refused('ps -o pid').code).toBe('host-ps-only');
    expect(refused('ps aux > x').code).toBe('shell-operator');
  });

  it('refuses empty, overlong and non-docker lines', () => {
    expect(refused('   ').code).toBe('empty');
    expect(refused('# just a comment').code).toBe('empty');
    expect(refused(`docker ps ${'a'.repeat(2000)}`).code).toBe('too-long');
    expect(refused('rm -rf /').code).toBe('not-docker');
    expect(refused('podman ps').subject).toBe('podman');
  });
});

describe('robustness', () => {
  it('reads curly quotes and full-width spaces from chat apps as plain ones, and says so', () => {
    const result = accepted('docker　run -d --name deep-dive-container --memory=“128m” alpine sleep 7777');
    expect(result.command).toMatchObject({ kind: 'run', resources: { memoryBytes: 128 * MiB } });
    expect(result.notes.map((n) => n.code)).toContain('typography');
    expect(command('docker inspect -f ‘{{.Id}}’ c')).toMatchObject({ format: '{{.Id}}' });
  });

  it('still explains a dangerous flag whose value is missing', () => {
    expect(refused('docker run -v').code).toBe('flag-volume');
    expect(refused('docker run --privileged --pid').en).toMatch(/PID namespace/);
  });

  it('refuses --cpus below docker’s floor of 0.01', () => {
    expect(refused('docker run --cpus 0.001 alpine').code).toBe('bad-cpus');
    expect(command('docker run --cpus 0.01 alpine')).toMatchObject({ resources: { cpus: 0.01 } });
  });

  it('never throws, whatever the line', () => {
    // A small deterministic generator over the characters that matter to the parser.
    const alphabet = ['docker', ' run', ' exec', ' ps', ' -', '--', '=', 'a', '1', 'm', "'", '"', '\\', '|', ';', '&', '$', '(', '`', '{{', '}}', '.', '#', '\n', ' ', 'alpine', '/ #', '“', '　'];
    let seed = 42;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let n = 0; n < 3000; n += 1) {
      let line = '';
      const length = next() % 14;
      for (let k = 0; k < length; k += 1) line += alphabet[next() % alphabet.length];
      const result = parseLabLine(line);
      if (!result.ok) {
        expect(labRefusalText('ja', result.refusal), line).not.toBe('');
        expect(labRefusalText('en', result.refusal), line).not.toBe('');
      }
    }
  });
});
