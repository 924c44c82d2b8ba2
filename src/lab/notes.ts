// What the lab has to tell the learner about a command, as facts: a code and its parameters. The parser
// adds notes where the lab differs from a laptop (image mapped, limits clamped); the runtime adds what
// happened (timed out, quota reached). The words for every code are the tutor's: src/tutor/phrases/lab-*.ts.
import { z } from 'zod';

const note = <C extends string, P extends z.ZodRawShape>(code: C, params: P) =>
  z.object({ code: z.literal(code), params: z.object(params) });

const names = z.array(z.string());

/** Every note the lab gives, with its parameters; jobs carry them, so this schema checks them too. */
export const labNoteSchema = z.discriminatedUnion('code', [
  // from the parser
  note('image-mapped', { asked: z.string() }),
  note('interactive', {}),
  note('clamped', { field: z.enum(['memory', 'cpus', 'pids-limit']), asked: z.number(), used: z.number() }),
  note('sudo-ignored', {}),
  note('typography', {}),
  note('stats-no-stream', {}),
  // from the runtime
  note('running-quota', { max: z.number() }),
  note('container-quota', { max: z.number() }),
  note('root-refused', { user: z.string() }),
  note('user-mapped', { user: z.string() }),
  note('timed-out', { timeoutMs: z.number() }),
  note('oom-killed', {}),
  note('truncated', { bytes: z.number() }),
  note('no-interactive-shell', {}),
  note('host-view', {}),
  /** Which namespace types differ from the host's and which are shared, and where the host's own links came from. */
  note('host-ns', { differing: names, shared: names, hostFrom: z.enum(['init', 'worker', 'none']) }),
  note('not-your-process', { pid: z.number(), yours: z.array(z.object({ name: z.string(), line: z.string() })).optional() }),
  /** The text's placeholder typed as written, and the line with each of the learner's own values in it. */
  note('placeholder', { want: z.enum(['pid', 'id']), token: z.string(), yours: z.array(z.object({ name: z.string(), line: z.string() })) }),
  note('proc-not-visible', { pid: z.number() }),
  note('not-your-container', { id: z.string() }),
  /** The path as typed, the host's cgroup version, and the real file(s) the value was read from. */
  note('cgroup-mapped', { typed: z.string(), version: z.union([z.literal(1), z.literal(2)]), real: names }),
  note('cgroup-missing', {}),
  /** A detached container used its CPU budget and was stopped (told on the learner's next lab command). */
  note('cpu-budget-spent', { name: z.string(), seconds: z.number() }),
  /** Every place the lab has on this machine is taken: containers, committed memory or committed CPUs. */
  note('lab-full', { what: z.enum(['containers', 'memory', 'cpus']) }),
  /** The named container is not running; how to get one running again. */
  note('container-stopped', { name: z.string(), exitCode: z.number() }),
  /** `docker run --name` clashed with a container of that name that is still there (an earlier try, usually). */
  note('name-in-use', { name: z.string() }),
  /** A detached container keeps its output inside itself: stopped but not by the learner's stop/kill, `docker logs` has nothing of it. */
  note('logs-gone', { name: z.string() }),
  /** A process listing inside a container without an init shows zombies: PID 1 never waits for the orphans it inherits. */
  note('zombies', { count: z.number() }),
  /** Every PID of the container was taken while a command ran (a fork bomb), so the lab ended the command. */
  note('pids-full', {}),
  /** `docker stop` waited its grace period and then killed: PID 1 did not end on SIGTERM. */
  note('stop-waited', { name: z.string(), seconds: z.number() }),
  /** `docker run -d`: the container's command had already ended when the run returned (`true`, a shell error). */
  note('exited-at-once', { name: z.string(), exitCode: z.number() }),
]);

export type LabNote = z.infer<typeof labNoteSchema>;
export type LabNoteCode = LabNote['code'];
export type LabNoteParams<C extends LabNoteCode> = Extract<LabNote, { code: C }>['params'];

/** A note with its parameters checked against its code at compile time. */
export function labNote<C extends LabNoteCode>(code: C, ...params: {} extends LabNoteParams<C> ? [] : [LabNoteParams<C>]): LabNote {
  return { code, params: params[0] ?? {} } as LabNote;
}
