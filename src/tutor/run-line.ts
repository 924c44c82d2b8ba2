// Running one command line for a learner: where it goes (route.ts), running it through the queue, and
// what the reply says about the real output: the current step's judgement, a teaching moment from anywhere
// in the curriculum, or what the lab's facts show.
import { matchExpectations, type Expectation, type Lesson, type MatchOutcome, type Step } from '../lessons/index.js';
import { shellQuote } from '../lab/cli-format.js';
import { parseLabLine } from '../lab/parse.js';
import type { LabNote } from '../lab/notes.js';
import { labNoteText, labRefusalText } from './lab-text.js';
import type { LabCommand } from '../lab/command.js';
import { SubmitError } from '../queue/errors.js';
import type { RunResult } from '../sandbox/types.js';
import { explainLabFacts } from './lab-moments.js';
import { explainLimitMoment } from './limit-moments.js';
import type { TeachingMoments } from './moments.js';
import * as persona from './persona.js';
import * as talk from './persona-talk.js';
import type { Block, CommandPlace } from './reply.js';
import { entersPidOne, routeCommand } from './route.js';
import { commandShape, sameCommand } from './shape.js';
import type { LearnerState } from './state.js';
import type { HandleOptions, RunMode, RunPlace, TutorDeps } from './deps.js';
import type { Progress } from '../queue/jobs.js';
import type { LearningEventType } from './learning-events.js';

/** One learner's turn: who, their state when the event arrived, the voice to answer in, and the transport's options. */
export interface Turn {
  learnerId: string;
  state: LearnerState;
  v: persona.Voice;
  opts: HandleOptions;
}


/** How long a pasted line waits, at most, for the learner's cooldown or an earlier command to finish. */
const PATIENCE_TRIES = 20;
/** A cooldown this short is waited out for a typed line instead of refused. */
const SHORT_WAIT_MS = 1_500;

export class CommandRunner {
  constructor(
    private readonly deps: TutorDeps,
    private readonly moments: TeachingMoments,
  ) {}

  /** A line known to be a command: routed by the one rule, run, and explained. */
  async command(t: Turn, line: string): Promise<Block[]> {
    const route = routeCommand(line, t.state.context);
    switch (route.to) {
      case 'leave': {
        const context = t.state.context;
        if (context?.kind === 'container' && context.shell) return this.leaveShell(t, context.name, context.shell === 'remove');
        const wasHost = context?.kind === 'host';
        await this.setContext(t, undefined);
        return persona.contextChanged(t.v, wasHost ? { leftHost: true } : {});
      }
      case 'nothing-to-leave':
        return [talk.notice(talk.talkWords(t.v.lang).nothingToLeave)];
      case 'mac-vm':
        // The chat moves to the host's view, as `docker exec -it` moves it inside: the seed's next lines run there.
        await this.setContext(t, { kind: 'host' });
        return talk.hiddenVm(t.v.lang);
      case 'lab':
        return this.lab(t, route.line, route.line, { kind: 'lab' });
      case 'host':
        return this.lab(t, route.line, route.line, { kind: 'host' });
      case 'container':
        return this.lab(t, `docker exec ${route.name} sh -c ${shellQuote(route.line)}`, route.line, { kind: 'container', name: route.name });
      case 'sandbox': {
        const blocks = await this.sandbox(t, route.line);
        // The seed's Mac command, typed here: the lesson explains the wall, and the host's view is one press away.
        return entersPidOne(route.line) && !blocks.some((b) => b.kind === 'choices') ? [...blocks, ...talk.hiddenVmHere(t.v.lang)] : blocks;
      }
    }
  }

  /** `exit` from a shell `docker run -it` started: the shell ends, so its container stops (and --rm removes it). */
  private async leaveShell(t: Turn, name: string, remove: boolean): Promise<Block[]> {
    await this.setContext(t, undefined);
    try {
      await this.patiently({ opts: { patient: true } }, () => this.deps.runLab(t.learnerId, { kind: 'stop', containers: [name], leaving: true }, {}));
    } catch (err) {
      if (!(err instanceof SubmitError)) throw err;
    }
    return persona.shellRun(t.v, { name, remove, left: true });
  }

  /** A knowledge card's command, run in the learner's sandbox and explained against the card's expectations. */
  async tryCard(t: Turn, command: string, expect: readonly Expectation[]): Promise<Block[]> {
    const mode: RunMode = t.state.lessonId ? 'session' : 'oneshot';
    let run: { result: RunResult };
    try {
      run = await this.patiently(t, () => this.deps.run(t.learnerId, command, mode, { ...this.progress(t), profile: 'default' }));
    } catch (err) {
      if (err instanceof SubmitError) return persona.refusal(t.v, err.refusal);
      throw err;
    }
    const outcome = matchExpectations({ expect: [...expect], unexpected: [] }, run.result, t.state.lang);
    const explain = outcome.kind === 'expected' ? { kind: 'text' as const, text: outcome.explain, role: 'explanation' as const } : undefined;
    return persona.practiceResult(t.v, { command, result: run.result, where: { kind: 'sandbox', mode }, ...(outcome.kind === 'unexpected' ? { outcome } : {}), ...(explain ? { explain } : {}) });
  }

  /** Removes the learner's lab containers (a worker does it; the cooldown is waited out, a refusal ignored). */
  async clearLab(learnerId: string): Promise<void> {
    try {
      await this.patiently({ opts: { patient: true } }, () => this.deps.clearLab(learnerId));
    } catch (err) {
      if (!(err instanceof SubmitError)) throw err;
    }
  }

  private async setContext(t: Turn, context: LearnerState['context']): Promise<void> {
    await this.deps.store.update(t.learnerId, () => t.state, (s) => ({ ...s, context }));
  }

  /** Submits a run; a pasted line waits its turn (cooldown, an earlier command) instead of being refused. */
  private async patiently<T>(t: Pick<Turn, 'opts'>, submit: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await submit();
      } catch (err) {
        const waitable = err instanceof SubmitError && (err.refusal.code === 'cooldown' || err.refusal.code === 'busy');
        // A line typed a moment early waits out a short cooldown once; only a flood hears "slow down".
        const shortWait = err instanceof SubmitError && err.refusal.code === 'cooldown' && err.refusal.retryInMs <= SHORT_WAIT_MS && attempt === 0;
        if (!waitable || (!t.opts.patient && !shortWait) || attempt >= PATIENCE_TRIES) throw err;
        const wait = err.refusal.code === 'cooldown' ? err.refusal.retryInMs + 10 : 250;
        await new Promise((r) => setTimeout(r, Math.min(wait, 2000)));
      }
    }
  }

  private refused(v: Turn['v'], refusal: SubmitError['refusal']): Block[] {
    this.deps.onRefused?.(refusal.code);
    return persona.refusal(v, refusal);
  }

  /** Progress for the queue, carrying where the command runs (a `sudo` line typed in the sandbox runs on the host). */
  private progress(t: Turn, where: CommandPlace = { kind: 'sandbox', mode: 'oneshot' }): { onProgress?: (p: Progress) => void } {
    const report = t.opts.onProgress;
    if (!report) return {};
    const place: RunPlace = where.kind === 'container' ? { kind: 'container', name: where.name } : where.kind === 'lab' || where.kind === 'host' ? { kind: where.kind } : { kind: 'sandbox' };
    return { onProgress: (p) => report(p, place) };
  }

  private lessonOf(state: LearnerState): { lesson: Lesson; step: Step } | undefined {
    const lesson = state.lessonId ? this.deps.curriculum.get(state.lang, state.lessonId) : undefined;
    const step = lesson?.steps[state.stepIndex];
    return lesson && step ? { lesson, step } : undefined;
  }

  private async sandbox(t: Turn, line: string): Promise<Block[]> {
    const at = this.lessonOf(t.state);
    const mode: RunMode = at?.step.mode === 'oneshot' ? 'oneshot' : 'session';
    // The opt-in profile is for the step's own command only; anything else typed runs under the default.
    const profile = at && sameCommand(line, at.step.try.sandbox) ? (at.step.profile ?? 'default') : 'default';
    let run: { result: RunResult; sessionLost?: boolean };
    try {
      run = await this.patiently(t, () => this.deps.run(t.learnerId, line, mode, { ...this.progress(t), profile }));
    } catch (err) {
      if (err instanceof SubmitError) return this.refused(t.v, err.refusal);
      throw err;
    }
    const judged = await this.judge(t, { shown: line, candidates: [line], result: run.result, where: { kind: 'sandbox', mode } });
    // Files do not vanish silently: the learner hears their sandbox was replaced.
    return run.sessionLost ? [talk.notice(talk.talkWords(t.v.lang).sessionLost), ...judged] : judged;
  }

  /** A line for the lab (docker, the host's view, or inside a lab container); `shown` is what the learner typed. */
  private async lab(t: Turn, line: string, shown: string, where: CommandPlace): Promise<Block[]> {
    const { v, state } = t;
    const parsed = parseLabLine(line);
    if (!parsed.ok) {
      this.deps.onRefused?.(`lab:${parsed.refusal.code}`);
      return persona.labRefusal(v, labRefusalText(v.lang, parsed.refusal));
    }
    const runLab = (command: typeof parsed.command) => this.patiently(t, () => this.deps.runLab(t.learnerId, command, this.progress(t, where)));
    let run: { result: RunResult; notes: LabNote[] };
    try {
      const command = parsed.command;
      if (command.kind === 'run' && command.opensShell) {
        // `docker run -it alpine sh`: a new container whose shell waits in the background; the chat moves inside.
        run = await runLab(command);
        const id = run.result.stdout.trim();
        if (run.result.exitCode === 0 && /^[0-9a-f]{64}$/.test(id)) {
          const name = command.name ?? id.slice(0, 12);
          await this.deps.store.update(t.learnerId, () => state, (s) => ({ ...s, labImageNoted: true, context: { kind: 'container', name, shell: command.remove ? 'remove' : 'keep' } }));
          const mapped = state.labImageNoted ? [] : [...parsed.notes, ...run.notes].filter((n) => n.code === 'image-mapped').map((n) => talk.notice(labNoteText(v.lang, n)));
          return [...mapped, ...persona.shellRun(v, { name, remove: command.remove })];
        }
      } else if (command.kind === 'exec' && command.opensShell) {
        // `docker exec -it NAME sh`: chat has no terminal, so the chat itself moves into the container.
        const name = command.container;
        run = await runLab({ ...command, interactive: false, tty: false, opensShell: false, args: ['true'] });
        if (run.result.exitCode === 0) {
          await this.setContext(t, { kind: 'container', name });
          return persona.contextChanged(v, { inside: name });
        }
      } else {
        run = await runLab(parsed.command);
      }
    } catch (err) {
      if (err instanceof SubmitError) return this.refused(v, err.refusal);
      throw err;
    }
    // Nothing ran in a stopped container: docker's "is not running" comes first, and the -i/-t word is moot.
    const stopped = run.notes.some((n) => n.code === 'container-stopped');
    const allNotes = stopped ? [...run.notes, ...parsed.notes.filter((n) => n.code !== 'interactive')] : [...parsed.notes, ...run.notes];
    // "alpine runs as our sandbox image" is said once; after that it would only be noise.
    const mapped = allNotes.some((n) => n.code === 'image-mapped');
    // The container the chat was inside is gone (removed, reaped): the chat steps back out of it.
    const gone = state.context?.kind === 'container' && /No such container/.test(run.result.stderr) && line.includes(` ${state.context.name} `);
    const inContainer = state.context?.kind === 'container' ? state.context.name : undefined;
    if (inContainer && run.result.exitCode === 0 && stopsContainer(parsed.command, inContainer)) {
      // `docker rm -f X` from inside X: the chat steps back out, and no step try is counted for it.
      await this.setContext(t, undefined);
      const back = talk.notice(talk.talkWords(v.lang).containerGone({ name: inContainer, where: talk.placeName(v.lang, { kind: 'sandbox' }) }));
      return [...persona.labResult(v, { command: shown, result: run.result, notes: [], where: { kind: 'lab' } }), back];
    }
    if (mapped || gone) {
      await this.deps.store.update(t.learnerId, () => state, (s) => ({ ...s, ...(mapped ? { labImageNoted: true } : {}), ...(gone ? { context: undefined } : {}) }));
    }
    const notes = allNotes.filter((n) => n.code !== 'image-mapped' || !state.labImageNoted).map((n) => labNoteText(v.lang, n));
    const inside = !gone && state.context?.kind === 'container' ? state.context.name : undefined;
    const candidates = where.kind === 'container' ? [shown, commandShape(`docker exec ${where.name} ${shown}`)] : [shown];
    // A name still held by an earlier try is a leftover to clear, not a failed try of the step.
    const leftover = run.notes.some((n) => n.code === 'name-in-use');
    const judged = await this.judge(t, { shown, candidates, result: run.result, where, notes, labCommand: parsed.command, leftover, exitedAtOnce: run.notes.some((n) => n.code === 'exited-at-once'), ...(inside ? { inside } : {}) });
    // A placeholder ran nothing: no "exit code 2, no output" box above the lab's "fill it in".
    const ranNothing = run.notes.some((n) => n.code === 'placeholder');
    return this.offerFilledLine(t, allNotes, ranNothing ? judged.filter((b) => b.kind !== 'output') : judged);
  }

  /**
   * A placeholder (or the text's example PID) typed as written: the line with the learner's own value is
   * offered as the first choice, the tutor's "run the line I kept" (a button in Discord, [1] in the console).
   */
  private async offerFilledLine(t: Turn, notes: readonly LabNote[], blocks: Block[]): Promise<Block[]> {
    const offered = lineOffered(t, notes);
    if (!offered) return blocks;
    await this.deps.store.update(t.learnerId, () => t.state, (s) => ({ ...s, pendingLine: offered.line }));
    const offer: Block = { kind: 'choices', choices: [{ label: offered.label, action: { type: 'line', run: true } }] };
    const first = blocks.findIndex((b) => b.kind === 'choices');
    return first < 0 ? [...blocks, offer] : [...blocks.slice(0, first), offer, ...blocks.slice(first)];
  }

  /**
   * What a run means: the current step's command (however typed), or any output the current step expects,
   * is judged as the step; otherwise a teaching moment from the curriculum or the lab's facts explains it.
   */
  private async judge(
    t: Turn,
    run: { shown: string; candidates: string[]; result: RunResult; where: CommandPlace; notes?: string[]; labCommand?: LabCommand; inside?: string; leftover?: boolean; exitedAtOnce?: boolean },
  ): Promise<Block[]> {
    const { v, state } = t;
    const at = this.lessonOf(state);
    const noteBlocks = (run.notes ?? []).map((n) => talk.notice(n));
    if (at) {
      const stepCommands = [at.step.try.sandbox, at.step.try.lab, at.step.try.linux, at.step.try.mac, at.step.try.windows];
      const matches = (s: string | undefined) => s !== undefined && run.candidates.some((c) => sameCommand(c, s));
      const outcome = matchExpectations(at.step, run.result, state.lang);
      // `docker run -d …` or `docker rm -f …` from the seed's several lines: a setup line that worked, not a failed try.
      const setupLine = outcome.kind !== 'expected' && run.result.exitCode === 0 && !matches(at.step.try.sandbox) && !matches(at.step.try.lab);
      const isStep = stepCommands.some(matches) && !setupLine;
      const sameProgram = run.candidates.some((c) => stepCommands.some((s) => s !== undefined && programOf(c) === programOf(s)));
      if (isStep || (outcome.kind === 'expected' && sameProgram)) {
        return [...noteBlocks, ...(await this.recordStepResult(t, at, run.shown, run.result, run.where, outcome, run.leftover === true))];
      }
    }
    const here = { ...(state.lessonId ? { lessonId: state.lessonId } : {}), stepIndex: state.stepIndex };
    const moment = run.candidates.map((c) => this.moments.explain(c, run.result, state.lang, here)).find((m) => m !== undefined);
    const facts = run.labCommand ? explainLabFacts(state.lang, run.labCommand, run.result, { exitedAtOnce: run.exitedAtOnce === true }) : undefined;
    // The lab's facts speak of the learner's own container and value, so they win over a lesson's general words.
    const explain = facts
      ? { kind: 'text' as const, text: facts, role: 'explanation' as const }
      : moment
        ? talk.momentExplanation(v.lang, moment.outcome.explain, moment.lesson.id === state.lessonId ? undefined : moment.lesson)
        : controllersMissing(v.lang, run.shown, run.result);
    if (run.where.kind === 'sandbox') {
      // A limit the result shows (pids.max, no network, the read-only root…) says more than a generic symptom.
      const limit = explain ? undefined : explainLimitMoment(state.lang, run.shown, run.result);
      if (limit) return persona.practiceResult(v, { command: run.shown, result: run.result, where: run.where, explain: { kind: 'text', text: limit, role: 'explanation' } });
      const builtin = matchExpectations({ expect: [], unexpected: [] }, run.result, state.lang);
      return persona.practiceResult(v, { command: run.shown, result: run.result, where: run.where, ...(builtin.kind === 'unexpected' ? { outcome: builtin } : {}), ...(explain ? { explain } : {}) });
    }
    return persona.labResult(v, {
      command: run.shown,
      result: run.result,
      notes: run.notes ?? [],
      where: run.where,
      ...(explain ? { explain } : {}),
      ...(run.inside ? { inside: run.inside } : {}),
      ...(run.where.kind === 'host' ? { onHost: state.context?.kind === 'host' ? ('staying' as const) : ('one-off' as const) } : {}),
    });
  }

  /** Judges a step's run against its expectations, records attempts and a pass, and words the result. */
  private async recordStepResult(t: Turn, at: { lesson: Lesson; step: Step }, command: string, result: RunResult, where: CommandPlace, outcome: MatchOutcome, leftover: boolean): Promise<Block[]> {
    const { v, state } = t;
    const { lesson, step } = at;
    const passed = outcome.kind === 'expected';
    const firstQuiz = passed ? step.quiz?.[0] : undefined;
    // The step's question is asked once, when the step first passes; running it again does not ask it again. A quiz
    // may come with it: a choice answers the quiz, a sentence the question (say-free.ts goesToQuiz).
    const asks = passed && !state.stepPassed && step.say.question !== undefined;
    const updated = await this.deps.store.update(t.learnerId, () => state, (s) =>
      s.lessonId === lesson.id && s.stepIndex === state.stepIndex
        ? {
            ...s,
            attempts: s.attempts + (leftover ? 0 : 1),
            stepPassed: s.stepPassed || passed,
            pendingQuiz: firstQuiz?.id ?? s.pendingQuiz,
            ...(asks ? { awaiting: { lessonId: lesson.id, stepIndex: state.stepIndex } } : {}),
          }
        : s,
    );
    const place = { lessonId: lesson.id, step: state.stepIndex + 1, hintsUsed: updated.hintsUsed };
    if (passed && !state.stepPassed) await recordEvent(this.deps, t, { type: 'step-passed', ...place });
    if (!passed && !updated.stepPassed && updated.attempts === 3) await recordEvent(this.deps, t, { type: 'stuck', ...place, detail: 'three-tries' });
    const blocks = persona.stepResult(v, { lesson, step, index: state.stepIndex, command, result, outcome, attempts: updated.attempts, ...(passed && !state.stepPassed && updated.attempts > 1 ? { recovered: updated.attempts > RECOVERY_TRIES ? ('tries' as const) : ('slip' as const) } : {}), again: passed && state.stepPassed, isLastStep: state.stepIndex === lesson.steps.length - 1, where });
    if (!firstQuiz) return blocks;
    // The quiz's own choices come next; a "Next" before them would shift their numbers.
    return [...blocks.filter((b) => b.kind !== 'choices'), ...persona.quizQuestion(v, firstQuiz)];
  }
}

/** Failed tries before a pass that make it a struggle worth the word ("Persistence wins"); one is a slip. */
const RECOVERY_TRIES = 2;

/** Records a learning event for the turn's learner; recording never breaks the conversation. */
export async function recordEvent(
  deps: Pick<TutorDeps, 'recordEvent'>,
  t: Pick<Turn, 'learnerId' | 'opts'>,
  event: { type: LearningEventType; lessonId?: string; step?: number; hintsUsed: number; detail?: string },
): Promise<void> {
  if (!deps.recordEvent) return;
  await deps
    .recordEvent({ ...event, learnerId: t.learnerId, at: Date.now(), ...(t.opts.guildId ? { guildId: t.opts.guildId } : {}) })
    .catch(() => {});
}

/** The program a command runs (`docker inspect`, `ps`, `cat`), to tell a related command from an unrelated one. */
function programOf(command: string): string {
  const words = commandShape(command).split(' ');
  if (words[0] === 'docker' && words[1] === 'exec') return `docker exec ${words[3] ?? ''}`;
  return words[0] === 'docker' ? `docker ${words[1] ?? ''}` : (words[0] ?? '');
}

/** `docker stop/kill/rm X`: the command ends the container named `name`. */
function stopsContainer(command: LabCommand, name: string): boolean {
  return (command.kind === 'rm' || command.kind === 'stop' || command.kind === 'kill') && command.containers.includes(name);
}

/** `cat …/cgroup.controllers` on a cgroup v1 host: the file is missing because v1 has no unified tree. */
/** The one line a lab note offers to run: the learner's own value for a placeholder, or removing what holds a name. */
function lineOffered(t: Turn, notes: readonly LabNote[]): { line: string; label: string } | undefined {
  const label = talk.talkWords(t.v.lang).label;
  const taken = notes.find((n) => n.code === 'name-in-use');
  if (taken?.code === 'name-in-use') return { line: `docker rm -f ${taken.params.name}`, label: label.removeTaken(taken.params.name) };
  const yours = notes.flatMap((n) => (n.code === 'placeholder' || n.code === 'not-your-process' ? (n.params.yours ?? []) : []))[0];
  if (!yours) return undefined;
  // The lab writes the filled line with `sudo` in front (fillPlaceholder), which takes it to the host's view from anywhere.
  const line = yours.line;
  const name = yours.name.length > 40 ? `${yours.name.slice(0, 39)}…` : yours.name;
  return { line, label: label.runFilled(name) };
}

function controllersMissing(lang: 'ja' | 'en', command: string, result: RunResult): Block | undefined {
  if (!/cgroup\.controllers/.test(command) || !/cgroup\.controllers: No such file/.test(result.stderr)) return undefined;
  return { kind: 'text', text: talk.talkWords(lang).controllersMissing, role: 'explanation' };
}
