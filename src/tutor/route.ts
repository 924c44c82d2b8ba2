// One rule for where a learner's command runs, the same at every step: the command itself first
// (`docker …` → the lab, `sudo …` → the host's view, `exit` → out), then where the learner is.

/** Where the learner is: talking to the tutor (their sandbox), inside a lab container, or on the host's view. */
export type LearnerPlace = { kind: 'container'; name: string } | { kind: 'host' } | undefined;

export type Route =
  /** `exit` inside a container or on the host's view: back to the sandbox. */
  | { to: 'leave' }
  /** `exit` typed while not inside anything. */
  | { to: 'nothing-to-leave' }
  /** The seed's Docker Desktop commands that enter the hidden VM (privileged, host PID namespace, nsenter). */
  | { to: 'mac-vm'; line: string }
  /** A docker command for the learner's lab containers. */
  | { to: 'lab'; line: string }
  /** A read on the host's view of the learner's lab containers. */
  | { to: 'host'; line: string }
  /** A command inside one of the learner's lab containers. */
  | { to: 'container'; name: string; line: string }
  /** A command in the learner's own sandbox. */
  | { to: 'sandbox'; line: string };

const EXIT = /^(?:exit|logout)(?:\s+\d{1,3})?\s*;?$/;
const DOCKER = /^(?:sudo\s+(?:-\S+\s+)*)?docker(?:\s|$)/;
const SUDO = /^sudo(?:\s|$)/;

/** `nsenter -t 1 …`: entering PID 1's namespaces. In the sandbox it runs (and meets the permission wall). */
export function entersPidOne(line: string): boolean {
  return /(?:^|\s|\/)nsenter\s(?:.*\s)?(?:-t\s*1|--target[=\s]1)(?:\s|$)/.test(line);
}

/** The seed's way into Docker Desktop's VM: a privileged container in the host's PID namespace. */
export function entersHiddenVm(line: string): boolean {
  if (/justincormack\/nsenter1/.test(line)) return true;
  return DOCKER.test(line) && /\s--privileged(?:=true)?(?:\s|$)/.test(line) && /\s--pid[=\s]host(?:\s|$)/.test(line);
}

/** Decides where a command line goes. `line` is already known to be a command (not chat). */
export function routeCommand(line: string, place: LearnerPlace): Route {
  const text = line.trim();
  if (EXIT.test(text)) return place ? { to: 'leave' } : { to: 'nothing-to-leave' };
  if (entersHiddenVm(text)) return { to: 'mac-vm', line: text };
  if (DOCKER.test(text)) return { to: 'lab', line: text };
  if (SUDO.test(text)) return { to: 'host', line: text };
  if (place?.kind === 'host') return { to: 'host', line: text };
  if (place?.kind === 'container') return { to: 'container', name: place.name, line: text };
  return { to: 'sandbox', line: text };
}
