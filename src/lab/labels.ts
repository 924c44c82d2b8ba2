// The labels only lab containers carry, apart from the code that reads containers (so the tutor's side can
// name them without loading dockerode or Redis).
import { COMMAND_LABEL } from './cli-format.js';

/** Labels only lab containers carry (besides sandbox's app/worker/learner/kind/expires). */
export const LAB_LABEL = {
  /** The name the learner knows the container by. */
  name: 'sensei.labname',
  /** The image as the learner asked for it, e.g. `alpine`. */
  image: 'sensei.image',
  /** The keys of the learner's own -e variables, comma-separated (inspect shows only those). */
  envKeys: 'sensei.envkeys',
  /** The learner's command as JSON: what ps and inspect show, whatever wraps it to cap its output. */
  cmd: COMMAND_LABEL,
  /** Set when the container keeps its output inside itself (src/lab/container-log.ts): `docker logs` reads it there. */
  logsInside: 'sensei.logs-inside',
  /** A shell started with `docker run -it`, waiting on its stdin FIFO until the chat's `exit`. */
  heldShell: 'sensei.held-shell',
  /** The job that created it, so a re-run after a dead worker removes it first. */
  job: 'sensei.job',
} as const;
export const LAB_KIND = 'lab';
