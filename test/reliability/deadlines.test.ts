// Finding 6, through the chat: a command past its deadline is an answer ("took too long", with what it had),
// never an engine fault retried three times while the learner waits minutes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stallingDockerProxy, type DockerProxy } from '../helpers/docker-proxy.js';
import { startTutorPipeline, type TutorPipeline } from '../helpers/tutor-pipeline.js';
import { assertServices, integrationGate, removeAppContainers } from '../helpers/services.js';

const gate = await integrationGate();

describe.runIf(gate.run)('a command past its deadline', () => {
  let proxy: DockerProxy;
  let p: TutorPipeline;
  beforeAll(async () => {
    assertServices(gate.probe);
    // docker stats never answers: the engine call hangs as a slow stats of many containers did.
    proxy = await stallingDockerProxy(/^GET (?:\/v[\d.]+)?\/containers\/[0-9a-f]+\/stats\?(?![^ ]*one-shot=true)/);
    p = await startTutorPipeline({ DOCKER_SOCKET: proxy.socketPath, JOB_DEADLINE_MS: '20000', SANDBOX_TIMEOUT_MS: '3000' });
  });
  afterAll(async () => {
    await p?.close();
    await proxy?.close();
    if (p) await removeAppContainers({ ...p.config, DOCKER_SOCKET: '/var/run/docker.sock' });
  });

  it('is answered as timed out with what it gathered, once, and not retried', async () => {
    expect((await p.say('patient', 'docker run -d --name slow alpine sleep 600')).result?.exitCode).toBe(0);
    const started = Date.now();
    const said = await p.say('patient', 'docker stats --no-stream slow');
    const tookMs = Date.now() - started;
    expect(proxy.held()).toBeGreaterThanOrEqual(1);
    expect(said.result?.timedOut).toBe(true);
    // What it had: the table's header and the container's row, without figures.
    expect(said.result?.stdout).toMatch(/^CONTAINER ID\s+NAME\s+CPU %/);
    expect(said.result?.stdout).toMatch(/\sslow\s/);
    expect(said.text).toMatch(/went past the lab's time limit/);
    expect(said.text).not.toMatch(/isn't working properly/);
    // About the deadline, not three retries' worth of waiting.
    expect(tookMs).toBeLessThan(40_000);
    const [job] = (await p.engineJobs(['completed'])).filter((j) => j.data.kind === 'lab' && j.data.lab.kind === 'stats');
    expect(job?.attemptsMade).toBe(1);
    // The learner's next command is answered straight away.
    const next = await p.say('patient', 'docker exec slow echo fine-now');
    expect(next.result?.stdout, next.text).toBe('fine-now\n');
  }, 120_000);
});
