// The Prometheus endpoint end to end: a worker, the tutor app and the Discord bot (against the fake Discord)
// share one metrics registry; real commands, a refusal and an interaction go through; then we scrape.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTutorApp } from '../../src/app.js';
import { discordCommandNames } from '../../src/discord/command-names.js';
import { parseLabLine } from '../../src/lab/parse.js';
import { silentLogger } from '../../src/log.js';
import { SenseiMetrics } from '../../src/metrics/sensei-metrics.js';
import { serveMetrics, serveMetricsIfAsked, type MetricsServer } from '../../src/metrics/server.js';
import { startWorker } from '../../src/worker/start.js';
import { run, startWorld, type Services, type World } from '../discord-e2e/harness.js';
import { assertServices, integrationGate, removeAppContainers, testConfig } from '../helpers/services.js';

const gate = await integrationGate();

/** The value of one sample line (name with its labels exactly as written), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.runIf(gate.run)('the metrics endpoint', () => {
  const config = testConfig({ SENSEI_INLINE_WORKER: 'false', SANDBOX_TIMEOUT_MS: '8000', ENGINE_NAME: 'metrics-engine' });
  const metrics = new SenseiMetrics();
  let services: Services;
  let world: World;
  let server: MetricsServer;
  const scrape = async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    return res.text();
  };

  beforeAll(async () => {
    assertServices(gate.probe);
    const worker = await startWorker(config, { log: silentLogger, endSessionsOnClose: true, metrics });
    const commandNames = discordCommandNames(true);
    const app = await startTutorApp(config, silentLogger, { defaultLang: 'en', commands: commandNames, rendersMore: true, metrics });
    const redis = new Redis(config.REDIS_URL);
    services = {
      config,
      worker,
      app,
      redis,
      commandNames,
      close: async () => {
        await app.close();
        await worker.close();
        const keys = await redis.keys(`${config.SENSEI_PREFIX}:*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      },
    };
    world = await startWorld(services, {}, { metrics });
    server = await serveMetrics(metrics, { port: 0, host: '127.0.0.1' }, silentLogger);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await world?.close();
    await removeAppContainers(config);
    await services?.close();
  });

  it('serves queue depth and wait, run latency, the engine’s containers, refusals and Discord latency', async () => {
    const { queue, tutor } = services.app;
    await queue.submit('m-one', 'echo one', 'oneshot');
    const lab = parseLabLine('docker run -d --name keeper alpine sleep 300');
    if (!lab.ok) throw new Error('the lab line should parse');
    await queue.runLab('m-lab', lab.command);
    // The tutor refuses this one before anything is queued: counted by its reason.
    await tutor.handle('m-refused', { type: 'command', command: 'docker run --privileged alpine sh' });
    await run(world, 'echo through-discord');

    const text = await scrape();
    expect(text).toContain('# TYPE sensei_queue_jobs gauge');
    expect(sample(text, 'sensei_queue_jobs{queue="commands",state="waiting"}')).toBe(0);
    // Counted once, by the producer's lane, though the in-process worker serves the same queue.
    expect(text.match(/^sensei_queue_jobs\{queue="commands",state="waiting"\}/gm)).toHaveLength(1);
    expect(sample(text, 'sensei_queue_jobs{queue="commands",state="active"}')).toBe(0);
    expect(sample(text, 'sensei_queue_wait_seconds_count{kind="command"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'sensei_queue_wait_seconds_count{kind="lab"}')).toBe(1);
    expect(sample(text, 'sensei_run_seconds_count{engine="metrics-engine",kind="lab",outcome="ok"}')).toBe(1);
    expect(sample(text, 'sensei_run_seconds_count{engine="metrics-engine",kind="command",outcome="ok"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'sensei_engine_containers{engine="metrics-engine",kind="lab"}')).toBe(1);
    expect(sample(text, 'sensei_engine_containers{engine="metrics-engine",kind="oneshot"}')).toBe(0);
    expect(sample(text, 'sensei_refused_total{reason="lab:flag-privileged"}')).toBe(1);
    expect(sample(text, 'sensei_discord_interaction_seconds_count{kind="command",phase="ack"}')).toBe(1);
    expect(sample(text, 'sensei_discord_interaction_seconds_count{kind="command",phase="done"}')).toBe(1);
    // The acknowledgement came well inside Discord's 3 s.
    expect(sample(text, 'sensei_discord_interaction_seconds_bucket{kind="command",le="3",phase="ack"}')).toBe(1);
  }, 120_000);

  it('counts a queue refusal by its code', async () => {
    const before = metrics.refused.get({ reason: 'invalid-command' });
    await services.app.tutor.handle('m-long', { type: 'command', command: `echo ${'x'.repeat(2100)}` });
    expect(sample(await scrape(), 'sensei_refused_total{reason="invalid-command"}')).toBe(before + 1);
  }, 60_000);

  it('answers only GET /metrics, and is off unless a port is set', async () => {
    expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: 'POST' })).status).toBe(404);
    expect(await serveMetricsIfAsked({ METRICS_PORT: 0, METRICS_HOST: '127.0.0.1' }, metrics, silentLogger)).toBeUndefined();
  });
});
