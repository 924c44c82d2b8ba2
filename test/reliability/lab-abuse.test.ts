// Findings 2-5 and 8, and the stopped-container hint of 16, through the chat: what one learner's containers
// can cost everyone is bounded, and the lab says what it did and what to do.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../src/store/redis.js';
import { startTutorPipeline, type TutorPipeline } from '../helpers/tutor-pipeline.js';
import { assertServices, eventually, integrationGate, removeAppContainers } from '../helpers/services.js';

const gate = await integrationGate();

/** Account names of this host that the sandbox image does not have: none may name a learner's process. */
const hostOnlyNames = readFileSync('/etc/passwd', 'utf8')
  .split('\n')
  .map((line) => line.split(':'))
  .filter(([name, , uid]) => name && Number(uid) >= 1000 && !['nobody', 'learner', 'sensei'].includes(name))
  .map(([name]) => name as string);

describe.runIf(gate.run)('one learner cannot load the shared lab', () => {
  let p: TutorPipeline;
  let redis: Redis;
  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startTutorPipeline({ LAB_CPU_BUDGET_S: '2', LAB_CPU_CHECK_MS: '1000', LAB_IDLE_TTL_MS: '60000', SANDBOX_TIMEOUT_MS: '5000' });
    redis = new Redis(p.config.REDIS_URL);
  });
  afterAll(async () => {
    redis?.disconnect();
    await p?.close();
    if (p) await removeAppContainers(p.config);
  });

  it('caps a detached container\'s output inside it: a yes flood keeps running, its log stops at 32 KiB and says so', async () => {
    expect((await p.say('flooder', 'docker run -d --name flood alpine yes')).result?.exitCode).toBe(0);
    const logs = await eventually(async () => {
      const said = await p.say('flooder', 'docker logs flood');
      return /\[sensei: the lab keeps the first 32 KiB of each output stream\]/.test(said.result?.stdout ?? '') && said;
    }, 30_000, 500);
    expect(logs.result?.stdout).toMatch(/^y$/m);
    expect((await p.say('flooder', 'docker ps')).result?.stdout).toMatch(/Up .+\s+flood\n/);
    await p.say('flooder', 'docker rm -f flood');
  });

  it('stops a spinning container when its CPU budget is spent, and says why on the next lab command', async () => {
    expect((await p.say('spinner', `docker run -d --name spin alpine sh -c 'while :; do :; done'`)).result?.exitCode).toBe(0);
    const told = await eventually(async () => {
      const said = await p.say('spinner', 'docker ps -a');
      return /used up its CPU time \(2 s of CPU\), so the lab stopped it/.test(said.text) && said;
    }, 90_000, 1_000);
    expect(told.result?.stdout).toMatch(/Exited \(137\).*spin\n/);
    // Said once.
    expect((await p.say('spinner', 'docker ps -a')).text).not.toMatch(/used up its CPU time/);
  }, 120_000);

  it('renews a container\'s idle time only when a command names it, not on docker ps', async () => {
    const id = (await p.say('idler', 'docker run -d --name napper alpine sleep 600')).result!.stdout.trim();
    const key = redisKeys(p.config.SENSEI_PREFIX).labIdle(id);
    await new Promise((r) => setTimeout(r, 2_000));
    const before = await redis.pttl(key);
    await p.say('idler', 'docker ps');
    await p.say('idler', 'docker ps -a');
    expect(await redis.pttl(key)).toBeLessThanOrEqual(before);
    await p.say('idler', 'docker exec napper true');
    expect(await redis.pttl(key)).toBeGreaterThan(before);
  });

  it('lists processes with the sandbox image\'s user names or uids, never the host\'s', async () => {
    expect((await p.say('namer', 'docker run -d --name named alpine sleep 4242')).result?.exitCode).toBe(0);
    const top = (await p.say('namer', 'docker top named')).result!.stdout;
    expect(top.split('\n')[0]).toMatch(/^UID\s+PID\s+PPID/);
    expect(top).toMatch(/^sensei\s+\d+\s+\d+\s.*sleep 4242$/m);
    const host = (await p.say('namer', 'sudo ps aux | grep "sleep 4242"')).result!.stdout;
    expect(host).toMatch(/^sensei\s+\d+\s/m);
    for (const name of hostOnlyNames) {
      expect(top).not.toMatch(new RegExp(`^${name}\\s`, 'm'));
      expect(host).not.toMatch(new RegExp(`^${name}\\s`, 'm'));
    }
  });

  it('says how to get a stopped container going again', async () => {
    expect((await p.say('stopper', 'docker run -d --name halted alpine sleep 600')).result?.exitCode).toBe(0);
    await p.say('stopper', 'docker kill halted');
    const said = await p.say('stopper', 'docker exec halted echo hi');
    expect(said.result?.stderr).toMatch(/is not running/);
    expect(said.text).toMatch(/`halted` is not running \(it exited with code 137.*The lab has no `docker start`, so remove it with `docker rm halted`/s);
  });
});

// Its own pipeline, with the default CPU budget: a bomb on two busy cores can spend the 2 s budget above before it
// is stopped, and then the budget (rightly) ends the container this test wants to keep using.
describe.runIf(gate.run)('a fork bomb in a lab container', () => {
  let p: TutorPipeline;
  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startTutorPipeline({ LAB_IDLE_TTL_MS: '60000', SANDBOX_TIMEOUT_MS: '5000' });
  });
  afterAll(async () => {
    await p?.close();
    if (p) await removeAppContainers(p.config);
  });

  it('reaps zombies under an init, so docker exec still works after a fork bomb', async () => {
    // A bare PID 1 (sleep) reaps nothing, as on a laptop (test/lab/pid-one.test.ts); --init is what reaps.
    expect((await p.say('bomber', 'docker run -d --init --name target alpine sleep 600')).result?.exitCode).toBe(0);
    // Orphans that exit become zombies unless PID 1 reaps them.
    await p.say('bomber', `docker exec target sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do (sleep 0.2 &); done; sleep 1'`);
    const states = (await p.say('bomber', 'docker exec target ps -eo stat=')).result!.stdout;
    expect(states.split('\n').filter((s) => s.startsWith('Z'))).toEqual([]);
    // A fork bomb fills the pids limit until the command's time runs out.
    await p.say('bomber', `docker exec target sh -c 'b(){ b|b& }; b'`);
    const alive = await eventually(async () => {
      const said = await p.say('bomber', 'docker exec target echo still-here');
      return said.result?.stdout === 'still-here\n' && said;
    }, 30_000, 1_000);
    expect(alive.result?.exitCode).toBe(0);
    const after = (await p.say('bomber', 'docker exec target ps -eo stat=')).result!.stdout;
    expect(after.split('\n').filter((s) => s.startsWith('Z'))).toEqual([]);
  }, 120_000);
});

describe.runIf(gate.run)('the lab\'s capacity on one engine', () => {
  let p: TutorPipeline;
  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startTutorPipeline({ LAB_MAX_CONTAINERS: '2' });
  });
  afterAll(async () => {
    await p?.close();
    if (p) await removeAppContainers(p.config);
  });

  it('past its cap a new docker run hears "the lab is full", existing containers keep working, and doctor shows the use', async () => {
    expect((await p.say('first', 'docker run -d --name one alpine sleep 600')).result?.exitCode).toBe(0);
    expect((await p.say('first', 'docker run -d --name two alpine sleep 600')).result?.exitCode).toBe(0);
    const refused = await p.say('second', 'docker run -d --name three alpine sleep 600');
    expect(refused.result?.exitCode).toBe(125);
    expect(refused.text).toMatch(/The lab is full right now[\s\S]*try again in a few minutes/);
    expect((await p.say('first', 'docker exec one echo still-working')).result?.stdout).toBe('still-working\n');
    const doctor = spawnSync(process.execPath, ['bin/sensei.js', 'doctor'], {
      env: { ...process.env, SENSEI_PREFIX: p.config.SENSEI_PREFIX, LAB_MAX_CONTAINERS: '2' },
      encoding: 'utf8',
    });
    expect(doctor.stdout).toMatch(/lab 2 of 2 containers running, 512 MiB of \d+ MiB memory and 2 of \d+ CPUs promised/);
  });
});
