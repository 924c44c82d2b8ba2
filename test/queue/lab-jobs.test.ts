// Lab jobs through the real queue and worker: a typed command goes out, typed facts come back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabCommand } from '../../src/lab/command.js';
import { parseLabLine } from '../../src/lab/parse.js';
import { SubmitError } from '../../src/queue/errors.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { assertServices, integrationGate, removeAppContainers } from '../helpers/services.js';

const gate = await integrationGate();

function typed(line: string): LabCommand {
  const parsed = parseLabLine(line);
  if (!parsed.ok) throw new Error(`${line} was refused: ${parsed.refusal.code}`);
  return parsed.command;
}

describe.runIf(gate.run)('lab jobs', () => {
  let p: Pipeline;
  beforeAll(async () => {
    assertServices(gate.probe);
    p = await startPipeline();
  });
  afterAll(async () => {
    if (!p) return;
    await p.close();
    await removeAppContainers(p.config);
  });

  it('runs a typed lab command and answers with docker output, flags and note codes', async () => {
    const started = await p.queue.runLab('lab-q', typed('docker run -d --name queued alpine sleep 300'));
    expect(started.result).toMatchObject({ stderr: '', exitCode: 0, timedOut: false, oomKilled: false, truncated: false });
    expect(started.result.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    // The parser's notes (image mapped) stay with the caller; the runtime had nothing to add.
    expect(started.notes).toEqual([]);
    const ps = await p.queue.runLab('lab-q', typed('docker ps'));
    expect(ps.result.stdout).toMatch(/\squeued\n$/);

    const slow = await p.queue.runLab('lab-q', typed('docker run --rm alpine sleep 100'));
    expect(slow.result).toMatchObject({ exitCode: 137, timedOut: true });
    expect(slow.notes).toEqual([{ code: 'timed-out', params: { timeoutMs: p.config.SANDBOX_TIMEOUT_MS } }]);
  });

  it('clears the lab as a job of its own, saying how many containers went', async () => {
    await p.queue.runLab('lab-clear', typed('docker run -d --name one alpine sleep 300'));
    await p.queue.runLab('lab-clear', typed('docker run -d --name two alpine sleep 300'));
    expect(await p.queue.clearLab('lab-clear')).toEqual({ removed: 2 });
    expect((await p.queue.runLab('lab-clear', typed('docker ps -a'))).result.stdout.trim().split('\n')).toHaveLength(1);
    expect(await p.queue.clearLab('lab-clear')).toEqual({ removed: 0 });
  });

  it('has the worker check the command against the schema, whatever the producer sent', async () => {
    const broken = { kind: 'run', detach: true } as unknown as LabCommand;
    const refused = await p.queue.runLab('lab-bad', broken).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SubmitError);
    expect((refused as SubmitError).refusal).toMatchObject({ code: 'unavailable' });
    expect((refused as SubmitError).message).toMatch(/malformed job/);
  });

  it('keeps the old submit(kind: lab) working over the new API until the engine switches', async () => {
    const run = await p.queue.submit('lab-old', 'docker run --rm alpine echo hi', 'oneshot', { kind: 'lab' });
    expect(run.result).toMatchObject({ stdout: 'hi\n', exitCode: 0 });
    expect(run.notes?.map((n) => n.code)).toEqual(['image-mapped']);
    expect(run.notes?.[0]?.en).toMatch(/sandbox image in place of "alpine"/);
    expect(run.notes?.[0]?.ja).toMatch(/サンドボックスイメージ/);

    const refused = await p.queue.submit('lab-old', 'docker pull alpine', 'oneshot', { kind: 'lab' });
    expect(refused.result).toMatchObject({ stdout: '', exitCode: 125 });
    expect(refused.result.stderr).toMatch(/no internet and no image registry/);
    expect(refused.notes).toEqual([expect.objectContaining({ code: 'subcommand-registry' })]);

    const cleared = await p.queue.submit('lab-old', 'true', 'oneshot', { kind: 'lab-clear' });
    expect(cleared.result).toMatchObject({ stdout: '', exitCode: 0 });
  });
});
