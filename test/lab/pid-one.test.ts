// The lab as a laptop shows it: a detached container's command is PID 1, none of the lab's plumbing shows in
// any listing, output stays capped inside the container, `docker stop` waits docker's grace period, zombies
// are the learner's to see, and `docker run -it … sh` leaves a shell waiting until the chat's `exit`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_LOG_FULL } from '../../src/lab/container-log.js';
import { STOP_GRACE_S } from '../../src/lab/runtime.js';
import { startLabFixture, type LabFixture } from '../helpers/lab.js';
import { assertServices, eventually, integrationGate } from '../helpers/services.js';

const gate = await integrationGate();
/** Anything of the lab's own that once showed in listings: the log cap, the exec wrapper, tini. */
const PLUMBING = /sensei-|SENSEI|docker-init|head -c|timeout -k|mkfifo|\/run\/sensei/;

describe.runIf(gate.run)('a lab container as a laptop shows it (real Docker and Redis)', () => {
  let fixture: LabFixture;
  const type = (learner: string, line: string) => fixture.type(learner, line);
  const codes = (o: { notes: { code: string }[] }) => o.notes.map((n) => n.code);

  beforeAll(() => {
    assertServices(gate.probe);
    fixture = startLabFixture();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('runs the seed\'s sleep as PID 1, and no plumbing shows inside, in docker top or from the host', async () => {
    expect((await type('seed', 'docker run -d --name my-alpine alpine sleep 1000')).exitCode).toBe(0);
    for (const line of ["docker exec my-alpine sh -c 'ps aux'", 'docker exec my-alpine ps -ef', 'docker exec my-alpine top -bn1']) {
      const { stdout, exitCode } = await type('seed', line);
      expect(exitCode).toBe(0);
      expect(stdout).not.toMatch(PLUMBING);
      expect(stdout).toMatch(/\bsleep 1000|\b1 sensei .*\bsleep\b/);
    }
    expect((await type('seed', 'docker exec my-alpine ps -o pid=,args= -p 1')).stdout.trim()).toBe('1 sleep 1000');
    const top = (await type('seed', 'docker top my-alpine')).stdout;
    expect(top.trim().split('\n')).toHaveLength(2);
    expect(top).toMatch(/sleep 1000\n$/);
    const host = await type('seed', 'sudo ps aux | grep "sleep 1000"');
    expect(host.stdout).toMatch(/^sensei\s+(\d+)\s.*sleep 1000$/m);
    expect(Number(/^sensei\s+(\d+)/m.exec(host.stdout)?.[1])).toBeGreaterThan(1);
    expect(host.stdout).not.toMatch(PLUMBING);
    // The learner's environment holds nothing of ours either.
    expect((await type('seed', 'docker exec my-alpine env')).stdout).not.toMatch(/SENSEI/);
  });

  it('keeps --init as docker does: docker-init is PID 1 with the command as its child', async () => {
    expect((await type('init', 'docker run -d --init --name tiny alpine sleep 500')).exitCode).toBe(0);
    const top = (await type('init', 'docker top tiny')).stdout;
    expect(top).toMatch(/\/sbin\/docker-init -- sleep 500\n/);
    expect(top).toMatch(/\d+\s+\d+\s.*\bsleep 500\n$/);
  });

  it('caps a flood inside the container, shows the first part in docker logs, and the flooder waits, still Up', async () => {
    expect((await type('flood', `docker run -d --name talker alpine sh -c 'echo hello; echo oops >&2; yes'`)).exitCode).toBe(0);
    const logs = await eventually(async () => {
      const answer = await type('flood', 'docker logs talker');
      return answer.stdout.includes(LAB_LOG_FULL) && answer;
    });
    expect(logs.stdout.startsWith('hello\ny\n')).toBe(true);
    expect(logs.stderr).toBe('oops\n');
    expect(Buffer.byteLength(logs.stdout)).toBeLessThan(33 * 1024);
    expect(codes(logs)).not.toContain('truncated');
    expect((await type('flood', 'docker ps')).stdout).toMatch(/Up .+\s+talker\n/);
    // Asked again, the same first part: the kept copy does not grow past the cap.
    expect((await type('flood', 'docker logs talker')).stdout).toBe(logs.stdout);
  });

  it('lets zombies show under a bare PID 1 and says why; --init reaps them', async () => {
    expect((await type('zombie', 'docker run -d --name bare alpine sleep 600')).exitCode).toBe(0);
    expect((await type('zombie', 'docker run -d --init --name reaped alpine sleep 600')).exitCode).toBe(0);
    const orphans = `sh -c 'for i in 1 2 3; do (sleep 0.1 &); done; sleep 1'`;
    await type('zombie', `docker exec bare ${orphans}`);
    await type('zombie', `docker exec reaped ${orphans}`);
    const bare = await type('zombie', 'docker exec bare ps -eo stat,args');
    expect(bare.stdout.split('\n').filter((l) => l.startsWith('Z'))).toHaveLength(3);
    expect(codes(bare)).toContain('zombies');
    const reaped = await type('zombie', 'docker exec reaped ps -eo stat,args');
    expect(reaped.stdout.split('\n').filter((l) => l.startsWith('Z'))).toEqual([]);
    expect(codes(reaped)).not.toContain('zombies');
  });

  it('ends a fork bomb that holds every PID, says so, and the container takes the next exec', async () => {
    expect((await type('bomber', 'docker run -d --init --name target --pids-limit=32 alpine sleep 600')).exitCode).toBe(0);
    const bomb = await type('bomber', `docker exec target sh -c 'b(){ b|b& }; b'`);
    expect(codes(bomb)).toContain('pids-full');
    const alive = await eventually(async () => {
      const said = await type('bomber', 'docker exec target echo still-here');
      return said.stdout === 'still-here\n' && said;
    }, 20_000, 500);
    expect(alive.exitCode).toBe(0);
    // A later flood in the same container is stopped for its output alone: the bomb's refused forks are not counted again.
    const flood = await type('bomber', 'docker exec target yes');
    expect(codes(flood)).toContain('truncated');
    expect(codes(flood)).not.toContain('pids-full');
  }, 60_000);

  it('waits docker stop\'s grace period for a PID 1 that ignores SIGTERM, and says so; --init ends at once', async () => {
    await type('stopper', 'docker run -d --name sleeper alpine sleep 600');
    await type('stopper', 'docker run -d --init --name quick alpine sleep 600');
    const began = Date.now();
    const stopped = await type('stopper', 'docker stop sleeper');
    expect(Date.now() - began).toBeGreaterThanOrEqual(STOP_GRACE_S * 1000 - 500);
    expect(stopped).toMatchObject({ stdout: 'sleeper\n', exitCode: 0 });
    expect(codes(stopped)).toEqual(['stop-waited']);
    const quick = Date.now();
    const fast = await type('stopper', 'docker stop quick');
    expect(Date.now() - quick).toBeLessThan(5_000);
    expect(codes(fast)).toEqual([]);
    expect((await type('stopper', 'docker ps -a')).stdout).toMatch(/Exited \(137\).*sleeper\n/);
    // The lab read its output before stopping it: a silent sleep's logs are empty, with nothing to say.
    expect(await type('stopper', 'docker logs sleeper')).toMatchObject({ stdout: '', stderr: '', exitCode: 0, notes: [] });
  }, 40_000);

  it('keeps what a container printed when docker stop or kill ends it; a command that ended by itself has its output said to be gone', async () => {
    await type('keeper', `docker run -d --name chatty alpine sh -c 'echo hello; echo oops >&2; sleep 600'`);
    await eventually(async () => (await type('keeper', 'docker logs chatty')).stdout === 'hello\n');
    expect((await type('keeper', 'docker kill chatty')).exitCode).toBe(0);
    expect((await type('keeper', 'docker ps -a')).stdout).toMatch(/Exited \(137\).*chatty\n/);
    expect(await type('keeper', 'docker logs chatty')).toMatchObject({ stdout: 'hello\n', stderr: 'oops\n', exitCode: 0, notes: [] });
    // Its output lived inside it and nobody stopped it: said to be gone, not silently empty.
    await type('keeper', 'docker run -d --name brief alpine echo bye');
    await eventually(async () => /Exited \(0\).*brief\n/.test((await type('keeper', 'docker ps -a')).stdout));
    expect(codes(await type('keeper', 'docker logs brief'))).toEqual(['logs-gone']);
    // Removing the container removes the kept copy with it.
    const id = (await type('keeper', `docker inspect -f '{{.Id}}' chatty`)).stdout.trim();
    const kept = `${fixture.config.SENSEI_PREFIX}:lab-logs:${id}`;
    expect(await fixture.redis.exists(kept)).toBe(1);
    await type('keeper', 'docker rm chatty');
    expect(await fixture.redis.exists(kept)).toBe(0);
  }, 40_000);

  it('leaves a shell from docker run -it waiting as PID 1; leaving ends it with 0, and --rm removes it', async () => {
    const kept = await type('shell', 'docker run -it --name box alpine sh');
    expect(kept.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(codes(kept)).not.toContain('interactive');
    expect((await type('shell', 'docker exec box ps -o pid=,args= -p 1')).stdout.trim()).toBe('1 sh');
    expect(await fixture.lab.execute('shell', { kind: 'stop', containers: ['box'], leaving: true })).toMatchObject({ exitCode: 0 });
    expect((await type('shell', 'docker ps -a')).stdout).toMatch(/Exited \(0\).*box\n/);

    const gone = await type('shell', 'docker run -it --rm alpine');
    const id = gone.stdout.trim().slice(0, 12);
    expect((await type('shell', `docker exec ${id} ps -o pid=,args= -p 1`)).stdout.trim()).toBe('1 /bin/sh');
    await fixture.lab.execute('shell', { kind: 'stop', containers: [id], leaving: true });
    await eventually(async () => !(await type('shell', 'docker ps -a')).stdout.includes(id));
  });
});
