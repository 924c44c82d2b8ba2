import type { Duplex } from 'node:stream';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxLimits } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { CappedOutput, drainFrames } from '../../src/sandbox/output.js';
import { execInContainer, startKeeperContainer, type RunnerContext } from '../../src/sandbox/runner.js';
import { LEARNER_HOME, LEARNER_USER, SANDBOX_ENV } from '../../src/sandbox/spec.js';
import { assertServices, integrationGate, testConfig } from '../helpers/services.js';

const gate = await integrationGate();

/** The same line as `sh -c LINE` (stdin from /dev/null), the way sandbox:3 ran it, read straight from the engine. */
async function underShC(container: Docker.Container, line: string): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  const exec = await container.exec({
    Cmd: ["/bin/sh", "-c", 'exec sh -c "$1" </dev/null', "sh", line],
    User: LEARNER_USER,
    Env: SANDBOX_ENV,
    WorkingDir: LEARNER_HOME,
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Duplex;
  const output = new CappedOutput(65_536);
  await drainFrames(stream, output);
  const info = await exec.inspect();
  // Whatever the line left running goes, as the wrapper's trailer does it.
  await container.exec({ Cmd: ['/bin/kill', '-KILL', '-1'], User: LEARNER_USER }).then((e) => e.start({ hijack: true, stdin: false })).then((s) => drainFrames(s as unknown as Duplex, new CappedOutput(1024)));
  return { ...output.text(), exitCode: info.ExitCode ?? null };
}

/**
 * The one known difference: dash names `eval` in the errors of the line it evaluates
 * ("sh: 1: eval: Syntax error" where `sh -c` says "sh: 1: Syntax error").
 */
const withoutEvalWord = (stderr: string) => stderr.replace(/^sh: (\d+): eval: /gm, 'sh: $1: ');

/** Learner lines whose output and exit status must be what `sh -c` gives. */
const lines = [
  'exit 3',
  'false',
  'echo "$0 $# [$1] [$@]"',
  'if then',
  'echo a; if then',
  'echo "unterminated',
  ')',
  'nosuchcmd',
  'ls /nonexistent',
  'echo a | tr a b; echo "${PIPESTATUS:-no pipestatus}"',
  'cat; echo "stdin gave $?"',
  'read x; echo "read $? [$x]"',
  'cat <<EOF\nhome is $HOME\nEOF',
  "cat <<'EOF'\nliteral $HOME\nEOF",
  'sleep 0.1 & echo bg; wait',
  'exec echo exec-ed',
  'x=1; echo $x; exit',
  'set -e; false; echo not-here',
  'trap "echo trapped" EXIT; true',
  'echo to-stderr >&2; exit 124',
  'echo "[$sensei_b] [$sensei_n] [$sensei_r]"; type sensei_oomk >/dev/null 2>&1; echo "function: $?"',
  '',
  '# only a comment',
  'f() { return 5; }; f',
  'echo one\necho two',
  'echo $(( 6 * 7 ))',
  'cd /tmp && pwd',
  'umask',
];

describe.runIf(gate.run)('sensei-run (sourced, eval in a subshell) against sh -c, on the real image', () => {
  const config = testConfig();
  const docker = new Docker({ socketPath: config.DOCKER_SOCKET });
  const ctx: RunnerContext = {
    docker,
    image: config.SANDBOX_IMAGE,
    limits: { ...sandboxLimits(config), timeoutMs: 2_000 },
    app: config.SENSEI_PREFIX,
    workerId: 'wrapper-test',
    seccomp: {},
    log: silentLogger,
  };
  let container: Docker.Container;

  beforeAll(async () => {
    assertServices(gate.probe);
    container = await startKeeperContainer(ctx, 120_000);
  });
  afterAll(async () => {
    await container?.remove({ force: true }).catch(() => undefined);
  });

  it.each(lines.map((line) => [JSON.stringify(line), line]))('%s', async (_name, line) => {
    const expected = await underShC(container, line);
    const outcome = await execInContainer(ctx, container, line, 'keep');
    await outcome.cleanedUp;
    const { result } = outcome;
    expect({ stdout: result.stdout, stderr: withoutEvalWord(result.stderr), exitCode: result.exitCode }).toEqual(expected);
    expect(result.timedOut).toBe(false);
  });

  it('a line that kills its own shell ends with its signal, as under sh -c', async () => {
    // $$ is the wrapper's shell here (sh -c's own there): both end by TERM, and nothing reports a trailer.
    const expected = await underShC(container, 'kill -TERM $$');
    const { result, cleanedUp } = await execInContainer(ctx, container, 'kill -TERM $$', 'keep');
    await cleanedUp;
    expect(expected.exitCode).toBe(143);
    expect(result.exitCode).toBe(143);
    expect(result.timedOut).toBe(false);
  });

  it('says timed out exactly when the worker\'s limit stopped the command, and leaves nothing running', async () => {
    const slow = await execInContainer(ctx, container, 'echo before; sleep 30 & sleep 30', 'keep');
    await slow.cleanedUp;
    expect(slow.result).toMatchObject({ stdout: 'before\n', timedOut: true, exitCode: 137 });
    expect(slow.result.durationMs).toBeGreaterThanOrEqual(1_900);
    expect(slow.result.durationMs).toBeLessThan(2_000 + 2_500);
    expect(slow.containerKilled).toBe(false); // A session lives on: only the learner's processes were killed.
    const left = await execInContainer(ctx, container, 'ps -u learner -o comm= | grep -v "^ps$" | grep -c sleep', 'keep');
    await left.cleanedUp;
    expect(left.result.stdout.trim()).toBe('0');
    // An exit status that GNU timeout would have used is the line's own, not a timeout.
    const own = await execInContainer(ctx, container, 'exit 124', 'keep');
    await own.cleanedUp;
    expect(own.result).toMatchObject({ exitCode: 124, timedOut: false });
  });

  it('a discarded container is killed at the limit', async () => {
    const spare = await startKeeperContainer(ctx, 60_000);
    try {
      const { result, containerKilled } = await execInContainer(ctx, spare, 'while :; do :; done', 'discard');
      expect(containerKilled).toBe(true);
      expect(result.timedOut).toBe(true);
      expect(result.durationMs).toBeLessThan(2_000 + 2_500);
    } finally {
      await spare.remove({ force: true }).catch(() => undefined);
    }
  });
});
