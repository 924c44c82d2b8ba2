// A host-view line typed with the text's placeholder still in it (`/proc/PID/ns`, `/proc/<pid>/ns`,
// `docker-<ID>.scope`, `docker-‹ここに長いIDを入れる>.scope`): found before the shell reads `<` and `>` as
// redirections, so the tutor can say "replace it with your value" and fill in the learner's own.
import { labNote } from './notes.js';
import { labOutcome, type LabOutcome } from './outcome.js';
import { LAB_LABEL } from './labels.js';
import type { LearnerContainers } from './own-containers.js';

export type PlaceholderWant = 'pid' | 'id';

export interface Placeholder {
  want: PlaceholderWant;
  /** The placeholder as typed, e.g. `<PID>`. */
  token: string;
  /** The line without `sudo`, placeholder included, to fill in. */
  line: string;
}

const HOST_VIEW_START = /^(?:sudo\s+(?:-\S+\s+)*)?((?:ls|readlink|cat)\s.*)$/s;
/** A `/proc/X/` segment that is not a number nor `self`. */
const PROC_SEGMENT = /\/proc\/((?:<[^<>\s][^<>]{0,40}>|‹[^›>\s]*[›>]|\{[^}\s]*\}|[^/\s\d][^/\s]*))(?=\/|\s|$)/;
/** The container part of a cgroup path that is not hexadecimal: `docker-X.scope`, `/docker/X/`. */
const CGROUP_SEGMENT = /\/sys\/fs\/cgroup\/\S*?(?:docker-|\/docker\/)((?:<[^<>\s][^<>]{0,40}>|‹[^›>\s]*[›>]|\{[^}\s]*\}|[^/.\s]*[^0-9a-f/.\s][^/.\s]*))(?=\.scope|\/|\s|$)/;

/** The placeholder a host-view line still holds, if any. */
export function findPlaceholder(text: string): Placeholder | undefined {
  const m = HOST_VIEW_START.exec(text.trim());
  const line = m?.[1];
  if (!line) return undefined;
  const proc = PROC_SEGMENT.exec(line);
  if (proc?.[1] && proc[1] !== 'self' && proc[1] !== 'thread-self') return { want: 'pid', token: proc[1], line };
  const cgroup = CGROUP_SEGMENT.exec(line);
  if (cgroup?.[1]) return { want: 'id', token: cgroup[1], line };
  return undefined;
}

/**
 * The line with the learner's value in place of the placeholder, and `sudo` in front as the seed writes it:
 * `sudo` takes a line typed anywhere to the host's view, so the suggestion works wherever the learner is.
 */
export function fillPlaceholder(p: Pick<Placeholder, 'line' | 'token'>, value: string): string {
  return `sudo ${p.line.replace(p.token, value)}`;
}

/** The learner's running lab containers, each with the value a placeholder stands for: its host PID or full ID. */
export async function ownValues(own: LearnerContainers, want: PlaceholderWant): Promise<{ name: string; value: string }[]> {
  const values: { name: string; value: string }[] = [];
  for (const info of await own.list(false)) {
    const name = info.Labels?.[LAB_LABEL.name] ?? info.Id.slice(0, 12);
    if (want === 'id') {
      values.push({ name, value: info.Id });
      continue;
    }
    const main = await own.docker.getContainer(info.Id).inspect().catch(() => undefined);
    if (main && main.State.Pid > 0) values.push({ name, value: String(main.State.Pid) });
  }
  return values;
}

/** Nothing runs for a placeholder: the lab says what it stands for and offers the line with each of the learner's values. */
export async function answerPlaceholder(own: LearnerContainers, p: Placeholder): Promise<LabOutcome> {
  const yours = (await ownValues(own, p.want)).map(({ name, value }) => ({ name, line: fillPlaceholder(p, value) }));
  return labOutcome('', '', 2, [labNote('placeholder', { want: p.want, token: p.token, yours })]);
}
