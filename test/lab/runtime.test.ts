import Docker from 'dockerode';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { bytesSize, formatTable, humanDuration, psCommand, shellQuote } from '../../src/lab/cli-format.js';
import { labDockerName } from '../../src/lab/own-containers.js';
import { parseLabLine } from '../../src/lab/parse.js';
import { isRootUser, LabManager, type LabManagerOptions } from '../../src/lab/runtime.js';
import { silentLogger } from '../../src/log.js';
import { redisKeys } from '../../src/store/redis.js';
import { labNoteText, labRefusalText } from '../../src/tutor/lab-text.js';
import { reapContainers } from '../../src/worker/reaper.js';
import { startLabFixture, type LabFixture } from '../helpers/lab.js';
import { appContainers, assertServices, eventually, integrationGate } from '../helpers/services.js';

describe('lab output formatting (pure)', () => {
  it('lays tables out like docker, three spaces after the widest cell', () => {
    expect(formatTable([['CONTAINER ID', 'NAMES'], ['abc', 'x']])).toBe('CONTAINER ID   NAMES\nabc            x\n');
  });
  it('says durations and sizes as docker does', () => {
    expect(humanDuration(500)).toBe('Less than a second');
    expect(humanDuration(5_000)).toBe('5 seconds');
    expect(humanDuration(90_000)).toBe('About a minute');
    expect(humanDuration(3_600_000)).toBe('About an hour');
    expect(bytesSize(134217728)).toBe('128MiB');
    expect(bytesSize(1245184)).toBe('1.188MiB');
    expect(bytesSize(0)).toBe('0B');
    expect(psCommand('sleep 7777')).toBe('"sleep 7777"');
    expect(psCommand('sh -c while true; do echo hi; done')).toBe('"sh -c while true; d…"');
  });
  it('quotes words so the shell in the container sees them unchanged', () => {
    expect(shellQuote('ps')).toBe('ps');
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
    expect(isRootUser('root')).toBe(true);
    expect(isRootUser('0:0')).toBe(true);
    expect(isRootUser('1000:0')).toBe(true);
    expect(isRootUser('learner')).toBe(false);
    expect(isRootUser('1000')).toBe(false);
  });
});

const gate = await integrationGate();

describe.runIf(gate.run)('the lab runtime (real Docker and Redis)', () => {
  let config: Config;
  let docker: Docker;
  let redis: Redis;
  let lab: LabManager;
  let base: LabManagerOptions;
  let fixture: LabFixture;

  beforeAll(async () => {
    assertServices(gate.probe);
    fixture = startLabFixture();
    ({ config, docker, redis, base, lab } = fixture);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  const type = (learner: string, line: string, manager?: LabManager) => fixture.type(learner, line, manager);

  it('plays the seed transcript word for word', async () => {
    const learner = 'seed-learner';
    const run = await type(learner, 'docker run -d --name deep-dive-container --memory="128m" alpine sleep 7777');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    const id = run.stdout.trim();

    const memory = await type(learner, `docker inspect -f '{{.HostConfig.Memory}}' deep-dive-container`);
    expect(memory).toMatchObject({ stdout: '134217728\n', stderr: '', exitCode: 0 });

    const pid = await type(learner, `docker inspect -f '{{.State.Pid}}' deep-dive-container`);
    expect(pid.exitCode).toBe(0);
    expect(Number(pid.stdout.trim())).toBeGreaterThan(1);

    expect((await type(learner, `docker inspect -f '{{.Id}}' deep-dive-container`)).stdout).toBe(`${id}\n`);
    expect((await type(learner, `docker inspect -f '{{.Name}} {{.State.Status}}' deep-dive-container`)).stdout).toBe(
      '/deep-dive-container running\n',
    );

    const ps = await type(learner, 'docker exec deep-dive-container ps aux');
    expect(ps.exitCode).toBe(0);
    const pid1 = ps.stdout.split('\n').find((line) => /^\S+\s+1\s/.test(line));
    expect(pid1).toMatch(/sleep 7777$/);

    // The seed's line has `2>/dev/null ||`, which the lab refuses on the host and suggests `sh -c '…'` for.
    const raw = parseLabLine('docker exec deep-dive-container cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max');
    expect(raw.ok).toBe(false);
    if (!raw.ok) expect(labRefusalText('en', raw.refusal)).toMatch(/sh -c/);
    const cgroup = await type(
      learner,
      `docker exec deep-dive-container sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max'`,
    );
    expect(cgroup).toMatchObject({ stdout: '134217728\n', exitCode: 0 });

    // The main process survives the sandbox's cleanup after each exec (it runs under another uid).
    expect((await type(learner, `docker inspect -f '{{.State.Running}}' deep-dive-container`)).stdout).toBe('true\n');

    const rm = await type(learner, 'docker rm -f deep-dive-container');
    expect(rm).toMatchObject({ stdout: 'deep-dive-container\n', exitCode: 0 });
    expect((await appContainers(config, 'sensei.learner=seed-learner')).length).toBe(0);
    expect(await redis.exists(redisKeys(config.SENSEI_PREFIX).labIdle(id))).toBe(0);
  });

  it('hardens lab containers like the sandbox, with the learner\'s command as PID 1, as the keeper uid', async () => {
    const run = await type('hardening', 'docker run -d --name hard --memory=64m --cpus=0.5 --pids-limit=20 -e MODE=lab --hostname box alpine sleep 300');
    const id = run.stdout.trim();
    const raw = await docker.getContainer(id).inspect();
    expect(raw.Config.User).toBe('1001:1001');
    expect(raw.Config.Hostname).toBe('box');
    expect(raw.Config.Labels).toMatchObject({
      'sensei.app': config.SENSEI_PREFIX,
      'sensei.kind': 'lab',
      'sensei.learner': 'hardening',
      'sensei.labname': 'hard',
      'sensei.worker': 'lab-test',
    });
    expect(Number(raw.Config.Labels['sensei.expires'])).toBeGreaterThan(Date.now() + 3_600_000);
    expect(raw.HostConfig).toMatchObject({
      // The learner's command is PID 1, as with a plain `docker run -d` (an init only with --init).
      Init: false,
      NetworkMode: 'none',
      Privileged: false,
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      Memory: 64 * 1024 * 1024,
      MemorySwap: 64 * 1024 * 1024,
      NanoCpus: 500_000_000,
      PidsLimit: 20,
      // A sixteenth of a sandbox command's CPU weight (128): a flooding learner yields to everyone else.
      CpuShares: 8,
      LogConfig: { Type: 'local' },
    });
    expect(raw.HostConfig.SecurityOpt).toContain('no-new-privileges:true');
    expect(await redis.pttl(redisKeys(config.SENSEI_PREFIX).labIdle(id))).toBeGreaterThan(29 * 60_000);
    expect((await type('hardening', `docker exec hard sh -c 'echo $MODE; hostname'`)).stdout).toBe('lab\nbox\n');
    // A command that cannot be executed is answered in docker's words; the container stays Created.
    const missing = await type('hardening', 'docker run -d --name broken alpine nosuchcmd');
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toMatch(/^docker: Error response from daemon: .*exec: "nosuchcmd": executable file not found in \$PATH.*\n\nRun 'docker run --help' for more information\n$/s);
    expect((await type('hardening', 'docker ps -a')).stdout).toMatch(/"nosuchcmd"\s+.+ ago\s+Created\s+broken\n/);
    expect(await lab.removeLearnerLabs('hardening')).toBe(2);
  });

  it('gives two learners the same name, and each sees only their own container', async () => {
    const a = await type('learner-a', 'docker run -d --name my-alpine alpine sleep 1000');
    const b = await type('learner-b', 'docker run -d --name my-alpine alpine sleep 2000');
    expect(a.exitCode).toBe(0);
    expect(b.exitCode).toBe(0);
    const idA = a.stdout.trim();
    const idB = b.stdout.trim();
    expect(idA).not.toBe(idB);

    const names = (await appContainers(config)).flatMap((c) => c.Names);
    expect(names).toContain(`/${labDockerName(config.SENSEI_PREFIX, 'learner-a', 'my-alpine')}`);
    expect(names).toContain(`/${labDockerName(config.SENSEI_PREFIX, 'learner-b', 'my-alpine')}`);

    expect((await type('learner-a', `docker inspect -f '{{.Id}}' my-alpine`)).stdout).toBe(`${idA}\n`);
    expect((await type('learner-b', `docker inspect -f '{{.Id}}' my-alpine`)).stdout).toBe(`${idB}\n`);

    const psB = await type('learner-b', 'docker ps -a');
    expect(psB.stdout).toContain(idB.slice(0, 12));
    expect(psB.stdout).not.toContain(idA.slice(0, 12));
    expect(psB.stdout.split('\n')[0]).toMatch(/^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
    expect(psB.stdout.split('\n')[1]).toMatch(/^[0-9a-f]{12}\s+alpine\s+"sleep 2000"\s+.+ ago\s+Up .+\s+my-alpine$/);

    // By full id, id prefix and Docker-level name, A's container does not exist for B.
    for (const ref of [idA, idA.slice(0, 12), idA.slice(0, 4), labDockerName(config.SENSEI_PREFIX, 'learner-a', 'my-alpine')]) {
      const inspect = await type('learner-b', `docker inspect -f '{{.Id}}' ${ref}`);
      expect(inspect).toMatchObject({ stdout: '', stderr: `Error: No such object: ${ref}\n`, exitCode: 1 });
      const exec = await type('learner-b', `docker exec ${ref} echo hi`);
      expect(exec).toMatchObject({ stdout: '', stderr: `Error response from daemon: No such container: ${ref}\n`, exitCode: 1 });
      for (const line of [`docker rm -f ${ref}`, `docker stop ${ref}`, `docker kill ${ref}`, `docker logs ${ref}`, `docker top ${ref}`]) {
        const out = await type('learner-b', line);
        expect(out, line).toMatchObject({ stderr: `Error response from daemon: No such container: ${ref}\n`, exitCode: 1 });
      }
    }
    // A's container is untouched; B's own id prefix works for B.
    expect((await type('learner-a', `docker inspect -f '{{.State.Running}}' ${idA.slice(0, 6)}`)).stdout).toBe('true\n');
    expect((await type('learner-b', `docker inspect -f '{{.Name}}' ${idB.slice(0, 6)}`)).stdout).toBe('/my-alpine\n');

    // A second run with a name in use gets docker's conflict, in docker's words.
    const again = await type('learner-a', 'docker run -d --name my-alpine alpine sleep 1');
    expect(again.exitCode).toBe(125);
    expect(again.stderr).toBe(
      `docker: Error response from daemon: Conflict. The container name "/my-alpine" is already in use by container "${idA}". ` +
        `You have to remove (or rename) that container to be able to reuse that name.\n\nRun 'docker run --help' for more information\n`,
    );
    // The fact the tutor offers `docker rm -f my-alpine` from.
    expect(again.notes).toEqual([{ code: 'name-in-use', params: { name: 'my-alpine' } }]);

    await type('learner-a', 'docker rm -f my-alpine');
    await type('learner-b', 'docker rm -f my-alpine');

    // A detached command that ends at once is said so (a container lives as long as its PID 1), in both words.
    const quick = await type('learner-a', 'docker run -d --name quick alpine sh -c "exit 3"');
    expect(quick.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(quick.notes).toEqual([{ code: 'exited-at-once', params: { name: 'quick', exitCode: 3 } }]);
    expect(labNoteText('en', quick.notes[0]!)).toMatch(/already ended \(exit code 3\)/);
    expect(labNoteText('ja', quick.notes[0]!)).toMatch(/終了コード 3/);
    // One that keeps running gets no such note.
    expect((await type('learner-a', 'docker run -d --name lasting alpine sleep 100')).notes).toEqual([]);
    await type('learner-a', 'docker rm -f quick lasting');
  });

  it('keeps to the running quota per learner, with a kind note', async () => {
    const learner = 'quota-learner';
    for (const n of [1, 2, 3]) expect((await type(learner, `docker run -d alpine sleep 50${n}`)).exitCode).toBe(0);
    const fourth = await type(learner, 'docker run -d --name one-too-many alpine sleep 600');
    expect(fourth.exitCode).toBe(125);
    expect(fourth.notes.map((n) => n.code)).toEqual(['running-quota']);
    expect(fourth.notes[0] && labNoteText('en', fourth.notes[0])).toMatch(/at most 3/);
    const ps = await type(learner, 'docker ps');
    expect(ps.stdout.trim().split('\n')).toHaveLength(4);
    // Random names look like docker's.
    expect(ps.stdout).toMatch(/\s[a-z]+_[a-z]+\n/);
    // Another learner is not affected by this one's quota.
    const other = await type('quota-other', 'docker run -d alpine sleep 600');
    expect(other.exitCode).toBe(0);
    await lab.removeLearnerLabs(learner);
    await lab.removeLearnerLabs('quota-other');
    expect((await type(learner, 'docker ps -a')).stdout.trim().split('\n')).toHaveLength(1);
  });

  it('answers stop, kill, rm, logs, top and stats as docker does', async () => {
    const learner = 'lifecycle';
    expect((await type(learner, `docker run -d --name talker -e GREETING=hello alpine sh -c 'echo "$GREETING"; echo oops >&2; sleep 300'`)).exitCode).toBe(0);

    const rm = await type(learner, 'docker rm talker');
    expect(rm).toMatchObject({
      exitCode: 1,
      stderr:
        'Error response from daemon: cannot remove container "/talker": container is running: stop the container before removing or force remove\n',
    });

    const env = await type(learner, `docker inspect -f '{{json .Config.Env}}' talker`);
    expect(env.stdout).toBe('["GREETING=hello"]\n');
    const full = JSON.parse((await type(learner, 'docker inspect talker')).stdout) as Array<{ Id: string; Config: { Hostname: string } }>;
    expect(full).toHaveLength(1);
    expect(full[0]).toMatchObject({ Name: '/talker', Config: { Image: 'alpine', Env: ['GREETING=hello'] }, State: { Status: 'running', Running: true } });
    expect(full[0]?.Config.Hostname).toBe(full[0]?.Id.slice(0, 12));

    // As with docker, output reaches the log a moment after the container starts.
    const logs = await eventually(async () => {
      const answer = await type(learner, 'docker logs talker');
      return answer.stdout !== '' && answer.stderr !== '' && answer;
    });
    expect(logs).toMatchObject({ stdout: 'hello\n', stderr: 'oops\n', exitCode: 0 });

    const top = await type(learner, 'docker top talker');
    expect(top.stdout.split('\n')[0]).toMatch(/^UID\s+PID\s+PPID/);
    expect(top.stdout).toMatch(/sleep 300/);

    const stats = await type(learner, 'docker stats --no-stream talker');
    expect(stats.stdout.split('\n')[0]).toMatch(/^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+PIDS$/);
    expect(stats.stdout.split('\n')[1]).toMatch(/^[0-9a-f]{12}\s+talker\s+\d+\.\d\d%\s+\S+ \/ 256MiB\s+\d+\.\d\d%\s+\d+$/);

    const host = await type(learner, 'ps aux | grep "sleep 300"');
    expect(host.stdout).toMatch(/sleep 300/);
    expect(host.notes.map((n) => n.code)).toEqual(['host-view']);

    expect(await type(learner, 'docker stop talker')).toMatchObject({ stdout: 'talker\n', exitCode: 0 });
    // The init passes docker stop's SIGTERM on to the command, as `docker run --init` does.
    expect((await type(learner, 'docker ps -a')).stdout).toMatch(/Exited \((137|143)\)/);
    expect((await type(learner, 'docker exec talker echo hi')).stderr).toMatch(/^Error response from daemon: container [0-9a-f]{64} is not running\n$/);
    expect((await type(learner, 'docker kill talker')).stderr).toMatch(/^Error response from daemon: cannot kill container: talker: container [0-9a-f]{64} is not running\n$/);
    expect(await type(learner, 'docker rm talker')).toMatchObject({ stdout: 'talker\n', exitCode: 0 });
  });

  it('runs in the foreground under the timeout, honours --rm, and never runs as root', async () => {
    const learner = 'foreground';
    const hello = await type(learner, 'docker run --rm alpine echo hello');
    expect(hello).toMatchObject({ stdout: 'hello\n', exitCode: 0 });
    expect((await type(learner, 'docker ps -a')).stdout.trim().split('\n')).toHaveLength(1);

    const failed = await type(learner, `docker run --name exits alpine sh -c 'exit 3'`);
    expect(failed.exitCode).toBe(3);
    expect((await type(learner, 'docker ps -a')).stdout).toMatch(/Exited \(3\).*exits/);

    const slow = await type(learner, 'docker run --rm alpine sleep 100');
    expect(slow.exitCode).toBe(137);
    expect(slow.notes.map((n) => n.code)).toEqual(['timed-out']);
    // The outcome carries the facts as flags too, so nobody has to read them back out of the notes.
    expect(slow).toMatchObject({ timedOut: true, oomKilled: false, truncated: false });
    expect(hello).toMatchObject({ timedOut: false, oomKilled: false, truncated: false });

    const root = await type(learner, 'docker run --rm --user root alpine id -u');
    expect(root.exitCode).toBe(125);
    expect(root.notes.map((n) => n.code)).toEqual(['root-refused']);

    const mapped = await type(learner, 'docker run -d --name who --user 1234 alpine sleep 300');
    expect(mapped.notes.map((n) => n.code)).toEqual(['user-mapped']);
    expect((await type(learner, 'docker exec who id -u')).stdout).toBe('1000\n');
    expect((await type(learner, `docker exec who sh -c 'kill -9 1; echo $?'`)).stdout).toMatch(/^1\n/);
    expect((await type(learner, `docker inspect -f '{{.State.Running}}' who`)).stdout).toBe('true\n');
    await lab.removeLearnerLabs(learner);
  });

  it('reaps lab containers idle past the TTL or past their lifetime, and keeps those in use', async () => {
    // Margins for a loaded machine: the idle TTL is well past how long a reaper pass may take.
    const idle = new LabManager({ ...base, idleTtlMs: 6_000 });
    const short = new LabManager({ ...base, maxLifetimeMs: 1_000 });
    const stale = (await type('reap-idle', 'docker run -d --name napper alpine sleep 600', idle)).stdout.trim();
    const old = (await type('reap-old', 'docker run -d --name elder alpine sleep 600', short)).stdout.trim();
    const kept = (await type('reap-kept', 'docker run -d --name busy alpine sleep 600')).stdout.trim();
    await new Promise((r) => setTimeout(r, 1_000));
    // Using a container refreshes its idle key.
    await type('reap-idle', 'docker exec napper true', idle);
    await new Promise((r) => setTimeout(r, 1_000));
    // One reaper for lab and sandbox containers; a young lab container keeps a missing idle key for the grace.
    const reap = (labGraceMs: number) => reapContainers({ docker, redis, prefix: config.SENSEI_PREFIX, workerId: 'lab-test', log: silentLogger, labGraceMs });
    expect(await reap(2_000)).toBe(1); // only `elder`, past its lifetime
    await new Promise((r) => setTimeout(r, 6_500));
    expect(await reap(0)).toBe(1);
    const left = (await appContainers(config)).map((c) => c.Id);
    expect(left).not.toContain(stale);
    expect(left).not.toContain(old);
    expect(left).toContain(kept);
    expect(await redis.exists(redisKeys(config.SENSEI_PREFIX).labIdle(stale))).toBe(0);
    await lab.removeLearnerLabs('reap-kept');
  });
});
