// docker-compose.yml for real, as the README's compose section runs it: Debian's docker-compose brings the
// stack up with local stand-ins for the public images, the composed bot talks to the fake Discord on this
// machine (through host-gateway), a learner walks lessons 1 and 2 (with the host view) while the bot and
// the worker are restarted, and `down -v` leaves nothing behind. Slow (a few minutes): one file, one stack.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { contentOf, customIdsOf, originalPath, stringOption, subcommand, waitFor } from '../discord-e2e/harness.js';
import { startFakeDiscord, type FakeDiscord, type RecordedCall } from '../fake-discord/fake-discord.js';
import { isJsonObject, type JsonObject } from '../fake-discord/json.js';
import { assertServices, eventually, inCI, integrationGate } from '../helpers/services.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SANDBOX_VERSION = readFileSync(join(ROOT, 'sandbox/VERSION'), 'utf8').trim();
const MINUTE = 60_000;

const gate = await integrationGate();
const hasCompose = await run('docker-compose', ['version', '--short']).then(
  () => true,
  () => false,
);
if (!hasCompose && !inCI) process.stderr.write('[compose e2e skipped: docker-compose is not installed (apt-get install docker-compose)]\n');

/** The environment without the stand-in variables, so only the settings file can give them. */
function withoutStandinVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const names = ['DEBIAN_IMAGE', 'NODE_IMAGE', 'REDIS_IMAGE', 'DOCKER_PROXY_IMAGE', 'DOCKER_BUILD_NETWORK'];
  return Object.fromEntries(Object.entries(env).filter(([name]) => !names.includes(name)));
}

/** host-gateway's address: the default bridge's on this host; undefined when that bridge is gone. */
async function defaultBridgeAddress(docker: Docker): Promise<string | undefined> {
  const bridge = (await docker.getNetwork('bridge').inspect()) as { IPAM: { Config: { Gateway?: string }[] }; Options: Record<string, string> };
  const name = bridge.Options['com.docker.network.bridge.name'] ?? 'docker0';
  // Node lists no interface that is down, and docker0 is down while no container uses it: ask ip(8).
  const shown = await run('ip', ['-4', '-o', 'addr', 'show', 'dev', name]).catch(() => ({ stdout: '' }));
  const address = /\binet (\d+\.\d+\.\d+\.\d+)\//.exec(shown.stdout)?.[1];
  const configured = bridge.IPAM.Config.find((c) => c.Gateway)?.Gateway;
  return configured !== undefined && address !== configured ? undefined : address;
}

interface StepSpec {
  id: string;
  title: string;
  quiz: { id: string; choices?: string[]; answer: string }[];
}

/** A lesson's steps as its (Japanese) file lists them: what the walk expects to see, in order. */
function lessonSteps(lessonFile: string): StepSpec[] {
  const lesson = parseYaml(readFileSync(join(ROOT, 'lessons/ja', lessonFile), 'utf8')) as { steps: (Omit<StepSpec, 'quiz'> & { quiz?: StepSpec['quiz'] })[] };
  return lesson.steps.map((step) => ({ id: step.id, title: step.title, quiz: step.quiz ?? [] }));
}

interface Place {
  messageId: string;
  channelId: string;
}

describe.runIf(gate.run && (hasCompose || inCI))('docker-compose deployment end to end', () => {
  const docker = new Docker();
  const id = randomBytes(4).toString('hex');
  const project = `cs-e2e-${id}`;
  // The install's own prefix: its lab and sandbox containers carry sensei.app=<prefix> on the shared engine.
  const prefix = `t-${id}`;
  const sandboxTag = `${SANDBOX_VERSION}-e2e-${id}`;
  let env: NodeJS.ProcessEnv;
  let envDir: string;
  let fake: FakeDiscord;
  let stackUp = false;
  let linkNetwork: string | undefined;
  let learner: string;
  let composeEnvFile: string;
  // A bot started without a token (`run -d`): it must wait, unhealthy, rather than exit.
  let tokenlessBot: string | undefined;
  const timings: string[] = [];

  const compose = async (args: string[], timeoutMs = 2 * MINUTE): Promise<string> => {
    const started = Date.now();
    try {
      const { stdout } = await run('docker-compose', ['-p', project, '--env-file', composeEnvFile, ...args], { cwd: ROOT, env, timeout: timeoutMs, maxBuffer: 64 << 20 });
      return stdout;
    } catch (err) {
      const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
      throw new Error(`docker-compose ${args.join(' ')} failed:\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`);
    } finally {
      timings.push(`docker-compose ${args.slice(0, 2).join(' ')}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  };

  beforeAll(async () => {
    assertServices(gate.probe);
    if (!hasCompose) throw new Error('docker-compose is not installed: apt-get install -y docker-compose');
    // The fake listens on a host address of a Docker bridge, reached as host.docker.internal, on no outside interface.
    let gateway = await defaultBridgeAddress(docker);
    const hostGateway: NodeJS.ProcessEnv = {};
    if (gateway === undefined) {
      // A dockerd started with --bridge=none deletes docker0, and host-gateway's address with it: a network of
      // the test's own lends its gateway instead (DOCKER_HOST_GATEWAY replaces host-gateway in the compose file).
      process.stderr.write('[compose e2e] docker0 is gone (a dockerd started with --bridge=none removes it); host.docker.internal uses a network of the test\'s own\n');
      const link = await docker.createNetwork({ Name: `${project}-hostlink`, Driver: 'bridge', Labels: { 'sensei.e2e': project } });
      linkNetwork = link.id;
      gateway = ((await link.inspect()) as { IPAM: { Config: { Gateway?: string }[] } }).IPAM.Config.find((c) => c.Gateway)?.Gateway;
      if (!gateway) throw new Error('a new bridge network has no gateway address');
      hostGateway['DOCKER_HOST_GATEWAY'] = gateway;
    }
    fake = await startFakeDiscord({ listen: { host: gateway, advertisedHost: 'host.docker.internal' } });
    learner = fake.learnerIds[0]!;
    envDir = await mkdtemp(join(tmpdir(), 'sensei-compose-'));
    const envFile = join(envDir, 'sensei.env');
    await writeFile(
      envFile,
      [
        `DISCORD_TOKEN=${fake.token}`,
        `DISCORD_APP_ID=${fake.appId}`,
        `DISCORD_GUILD_ID=${fake.guildId}`,
        `DISCORD_API_BASE=${fake.apiBase}`,
        `SENSEI_PREFIX=${prefix}`,
        'LEARNER_COOLDOWN_MS=0',
        // Lesson 2's out-of-memory step takes 15 s on a 2-core machine busy with other suites (10 s by default).
        'SANDBOX_TIMEOUT_MS=30000',
        'SENSEI_LOG=warn',
        '',
      ].join('\n'),
    );
    // As DEPLOY.md says: the stand-ins are set in the one settings file (here --env-file stands for the project's
    // .env), which then also makes the build offline (DOCKER_BUILD_NETWORK=none); no variable of this shell carries them.
    await run('bash', [join(ROOT, 'scripts/compose-standins.sh'), '--write-env', envFile], { timeout: 20 * MINUTE, maxBuffer: 1 << 20 });
    composeEnvFile = envFile;
    env = { ...withoutStandinVariables(process.env), ...hostGateway, SENSEI_ENV_FILE: envFile, SANDBOX_VERSION: sandboxTag };
  }, 25 * MINUTE);

  afterAll(async () => {
    if (process.env.SENSEI_COMPOSE_KEEP !== '1') {
      if (stackUp) await compose(['down', '-v', '--remove-orphans']).catch(() => undefined);
      const left = await docker.listContainers({ all: true, filters: { label: [`sensei.app=${prefix}`] } });
      await Promise.allSettled(left.map((c) => docker.getContainer(c.Id).remove({ force: true })));
      await docker.getImage(`container-sensei/sandbox:${sandboxTag}`).remove().catch(() => undefined);
    }
    if (linkNetwork) await docker.getNetwork(linkNetwork).remove().catch(() => undefined);
    await fake?.close();
    if (envDir) await rm(envDir, { recursive: true, force: true });
    process.stderr.write(`[compose e2e timings] ${timings.join('; ')}\n`);
  });

  /** Presses a button and waits for the bot's answer to it (not the bare acknowledgement) that `done` accepts. */
  async function press(customId: string, at: Place, done: (call: RecordedCall) => boolean = () => true): Promise<RecordedCall> {
    const from = fake.calls.length;
    const { token } = fake.interaction({ kind: 'button', customId, messageId: at.messageId, channelId: at.channelId });
    return fake.waitForCall((c) => fake.calls.indexOf(c) >= from && c.path.includes(token) && !c.path.endsWith('/callback') && done(c), 60_000);
  }

  /** /run COMMAND in the thread; resolves with the final console output. */
  async function slashRun(command: string, channelId: string): Promise<string> {
    const { token } = fake.interaction({ kind: 'command', name: 'run', options: [stringOption('command', command)], channelId });
    const edit = await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, token) && /```console/.test(contentOf(c)), 60_000);
    return consoleOutput(edit);
  }

  async function slash(name: string, options: JsonObject[], channelId: string): Promise<string> {
    const { token } = fake.interaction({ kind: 'command', name, options, channelId });
    return contentOf(await fake.waitForCall((c) => c.method === 'PATCH' && c.path === originalPath(fake, token), 30_000));
  }

  const buttonsOf = (call: RecordedCall): string[] => (isJsonObject(call.body) ? customIdsOf(call) : []);

  /** The command's output: the code block after the ```console block that shows the `$ command`. */
  function consoleOutput(call: RecordedCall): string {
    return /```console\n\$ [^\n]*\n```[^`]*```\n([\s\S]*?)```/.exec(contentOf(call))?.[1] ?? '';
  }

  /** The first message after call `from` carrying a button that starts with `prefix` (and showing `text`). */
  async function messageWithButton(prefix: string, from: number, text = ''): Promise<Place & { buttons: string[] }> {
    const call = await fake.waitForCall(
      (c) => fake.calls.indexOf(c) >= from && buttonsOf(c).some((b) => b.startsWith(prefix)) && contentOf(c).includes(text),
      60_000,
    );
    const response = call.response as { id: string; channel_id: string };
    return { messageId: response.id, channelId: response.channel_id, buttons: buttonsOf(call) };
  }

  /**
   * Walks a lesson as a learner does: /lesson start, then for each step ▶ run (the step's own command),
   * the right answer to each quiz question, and ▶ next. `during` runs extra things after a step's run.
   * Returns each step's console output.
   */
  async function walkLesson(lessonId: string, file: string, during: Record<string, (thread: string) => Promise<void>> = {}): Promise<Record<string, string>> {
    const steps = lessonSteps(file);
    const from = fake.calls.length;
    const pointer = await slash('lesson', subcommand('start', [stringOption('id', lessonId)]), fake.channelId('lessons'));
    const thread = /<#(\d+)>/.exec(pointer)?.[1] ?? '';
    let at: Place = await messageWithButton(`cs1:run:${learner}`, from, steps[0]!.title);
    expect(at.channelId).toBe(thread);
    const outputs: Record<string, string> = {};
    for (const [i, step] of steps.entries()) {
      // A step that did not pass shows up below: ▶ next then shows the same step again, not the next one.
      const ran = fake.calls.length;
      const result = await press(`cs1:run:${learner}`, at, (c) => /```console/.test(contentOf(c)));
      expect(contentOf(result), `${step.id} hit the sandbox's time limit`).not.toMatch(/\(終了コード 124\)/);
      outputs[step.id] = consoleOutput(result);
      // Questions with choices come with buttons; the others wait for words, and ▶ next goes on without them.
      for (const question of step.quiz.filter((q) => q.choices)) {
        const asked = await messageWithButton(`cs1:quiz:${learner}::${question.id}:`, ran);
        const right = question.choices?.indexOf(question.answer) ?? -1;
        await press(`cs1:quiz:${learner}::${question.id}:${right}`, asked);
      }
      await during[step.id]?.(thread);
      const next = steps[i + 1];
      if (!next) break;
      const pressed = fake.calls.length;
      fake.interaction({ kind: 'button', customId: `cs1:next:${learner}`, messageId: at.messageId, channelId: at.channelId });
      at = await messageWithButton(`cs1:run:${learner}`, pressed, next.title);
    }
    return outputs;
  }

  it('comes up with `docker-compose up -d --build`, deploys the commands, and the bot logs in to Discord', async () => {
    await compose(['up', '-d', '--build'], 15 * MINUTE);
    stackUp = true;
    await compose(['run', '--rm', 'bot', 'deploy-commands'], 3 * MINUTE);
    expect(fake.calls.some((c) => c.method === 'PUT' && c.path.startsWith(`/applications/${fake.appId}/`) && c.path.endsWith('/commands'))).toBe(true);
    await fake.waitForIdentify(2 * MINUTE);
    const ps = await compose(['ps']);
    for (const service of ['redis', 'bot', 'worker', 'docker-proxy']) expect(ps).toMatch(new RegExp(`${project}_${service}_1 .* Up`));
    // The healthchecks: the bot is healthy once logged in, the worker once it takes commands.
    await eventually(async () => /_bot_1 .*\(healthy\)[\s\S]*_worker_1 .*\(healthy\)/.test(await compose(['ps'])), 2 * MINUTE, 2000);
  }, 20 * MINUTE);

  it('without DISCORD_TOKEN: deploy-commands and doctor say what is missing and where; the bot waits instead of restarting', async () => {
    const noToken = ['-e', 'DISCORD_TOKEN='];
    const deploy = await compose(['run', '--rm', ...noToken, 'bot', 'deploy-commands']).then(
      () => 'exited 0',
      (err: Error) => err.message,
    );
    expect(deploy).toMatch(/DISCORD_TOKEN is not set[\s\S]*Set it in \.env/);
    expect(deploy).not.toMatch(/\n\s+at |Usage:/);
    const doctor = await compose(['run', '--rm', ...noToken, 'bot', 'doctor']).then(
      (out) => out,
      (err: Error) => err.message,
    );
    expect(doctor).toMatch(/FAIL  discord: DISCORD_TOKEN is not set/);
    expect(doctor).toMatch(/ok    docker: none in this process, as intended/);
    // The service's own command (--supervised): checked at the end, once its healthcheck has had time to fail.
    tokenlessBot = (await compose(['run', '-d', ...noToken, 'bot'])).trim().split('\n').pop();
    expect(tokenlessBot).toMatch(new RegExp(`^${project}_bot_run_`));
  }, 5 * MINUTE);

  it('the socket proxy gives the worker only the API sections it needs, and the bot none', async () => {
    const probe = `
      const ask = async (method, path) => (await fetch('http://docker-proxy:2375' + path, { method })).status;
      const asked = [['GET','/_ping'],['GET','/v1.41/info'],['GET','/containers/json'],['GET','/images/json'],
        ['GET','/volumes'],['GET','/v1.41/networks'],['GET','/system/df'],['POST','/build'],['GET','/secrets'],['GET','/swarm']];
      const out = {};
      for (const [m, p] of asked) out[m + ' ' + p] = await ask(m, p);
      console.log(JSON.stringify(out));`;
    const statuses = JSON.parse(await compose(['exec', '-T', 'worker', 'node', '-e', probe])) as Record<string, number>;
    expect(statuses).toEqual({
      'GET /_ping': 200,
      'GET /v1.41/info': 200,
      'GET /containers/json': 200,
      'GET /images/json': 200,
      'GET /volumes': 403,
      'GET /v1.41/networks': 403,
      'GET /system/df': 403,
      'POST /build': 403,
      'GET /secrets': 403,
      'GET /swarm': 403,
    });
    const fromBot = await compose(['exec', '-T', 'bot', 'node', '-e', "fetch('http://docker-proxy:2375/_ping').then(() => console.log('reached'), (e) => console.log('unreachable', e.cause?.code))"]);
    expect(fromBot.trim()).toMatch(/^unreachable/);
  }, 2 * MINUTE);

  it('walks lesson 1 through Discord', async () => {
    const outputs = await walkLesson('container-is-a-process', '01-container-is-a-process.yaml');
    expect(outputs['pid-one-in-the-lab']).toMatch(/^\S+ +1 .*ps aux$/m);
    expect(outputs['start-my-alpine']?.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(outputs['ps-in-my-alpine']).toMatch(/^\S+ +1 .*sleep 1000$/m);
    expect(outputs['remove-my-alpine']?.trim()).toBe('my-alpine');
  }, 8 * MINUTE);

  it('walks lesson 2 with the host view (host PID, namespaces, cgroup memory limit), across a restart of the bot and the worker', async () => {
    let containerId = '';
    const outputs = await walkLesson('host-view', '02-host-view.yaml', {
      'start-deep-dive': async () => {
        // Mid-lesson: both processes restart; the lab container, the progress and the buttons carry on.
        const identified = fake.gatewayFrames.filter((f) => f.op === 2).length;
        await compose(['restart', 'bot', 'worker'], 3 * MINUTE);
        await waitFor('the restarted bot to identify', () => fake.gatewayFrames.filter((f) => f.op === 2).length > identified, 2 * MINUTE);
      },
      'limit-in-inspect': async (thread) => {
        // The host's view, typed as the seed types it on a host.
        containerId = (await slashRun(`docker inspect -f '{{.Id}}' deep-dive-container`, thread)).trim();
        expect(await slash('where', [stringOption('place', 'host')], thread)).not.toBe('');
        const ps = await slashRun('ps aux | grep "sleep 7777"', thread);
        const hostPid = Number(/^\S+\s+(\d+)\s.*sleep 7777/m.exec(ps)?.[1]);
        expect(hostPid).toBeGreaterThan(1);
        const ns = await slashRun(`sudo ls -l /proc/${hostPid}/ns`, thread);
        expect(ns).toMatch(/ pid -> pid:\[\d+\] +# host: pid:\[\d+\] \(differs\)$/m);
        expect(ns).toMatch(/ user -> user:\[\d+\] +# host: user:\[\d+\] \(same\)$/m);
        // The worker's own net namespace is not the host's, so it is not passed off as the host's.
        expect(ns).toMatch(/ net -> net:\[\d+\]$/m);
        expect(await slashRun(`sudo cat /sys/fs/cgroup/system.slice/docker-${containerId}.scope/memory.max`, thread)).toBe('134217728\n');
        expect(await slashRun(`cat /sys/fs/cgroup/memory/docker/${containerId}/memory.limit_in_bytes`, thread)).toBe('134217728\n');
        expect(await slash('where', [stringOption('place', 'sandbox')], thread)).not.toBe('');
      },
    });
    expect(outputs['start-deep-dive']?.trim()).toBe(containerId);
    expect(outputs['find-it-on-the-host']).toMatch(/^\S+\s+(?!1\s)\d+\s.*sleep 7777/m);
    expect(outputs['limit-in-inspect']?.trim()).toBe('134217728');
    expect(outputs['clean-up']?.trim()).toBe('deep-dive-container');
  }, 10 * MINUTE);

  it('`docker-compose down -v` leaves no container, network or volume of the project, and no lab or sandbox container', async () => {
    if (tokenlessBot) {
      const waiting = docker.getContainer(tokenlessBot);
      const health = async () => ((await waiting.inspect()) as { State: { Health?: { Status: string } } }).State.Health?.Status;
      await eventually(async () => (await health()) === 'unhealthy', 2 * MINUTE, 2000);
      const state = (await waiting.inspect()).State;
      expect(state.Running).toBe(true);
      const logs = (await waiting.logs({ stdout: true, stderr: true })).toString();
      expect(logs.match(/DISCORD_TOKEN is not set/g)).toHaveLength(1);
      await waiting.remove({ force: true });
    }
    await compose(['down', '-v'], 3 * MINUTE);
    stackUp = false;
    const byProject = { label: [`com.docker.compose.project=${project}`] };
    expect(await docker.listContainers({ all: true, filters: byProject })).toEqual([]);
    expect(await docker.listNetworks({ filters: byProject })).toEqual([]);
    expect((await docker.listVolumes({ filters: byProject })).Volumes ?? []).toEqual([]);
    const ours = await docker.listContainers({ all: true, filters: { label: [`sensei.app=${prefix}`] } });
    expect(ours.map((c) => `${c.Names.join(',')} ${c.Labels['sensei.kind']} ${c.State}`)).toEqual([]);
  }, 5 * MINUTE);
});
