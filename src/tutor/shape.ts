// The "shape" of a shell command: what stays the same however a learner types it. Two commands with the
// same shape teach the same thing, so the tutor can recognise a lesson's command typed the seed's way
// (`sudo`, a real PID instead of `<PID>`, `docker exec -it NAME sh` then the command) and explain it.

/** Words that mark a throwaway value: a PID, a container id, a `<placeholder>`, a `$(…)` lookup. */
const DYNAMIC = '<X>';

/** One command line, normalised: prompts, sudo, quotes, /dev/null redirections and dynamic values removed. */
export function commandShape(line: string): string {
  let s = line.trim();
  s = s.replace(/^(?:\$|\/ #|#)\s+/, '');
  s = s.replace(/\$\([^)]*\)/g, DYNAMIC);
  s = s.replace(/<[^<>\s][^<>]*>/g, DYNAMIC);
  s = s.replace(/\s*\d?>\s*\/dev\/null/g, '').replace(/\s*2>&1/g, '');
  s = s.replace(/["']/g, '');
  s = s.replace(/^sudo\s+(?:-\S+\s+)*/, '');
  s = s.replace(/\/proc\/\d+\//g, `/proc/${DYNAMIC}/`).replace(/\/proc\/\d+$/g, `/proc/${DYNAMIC}`);
  s = s.replace(/\b[0-9a-f]{64}\b/g, DYNAMIC).replace(/\b[0-9a-f]{12}\b/g, DYNAMIC);
  // `docker exec -it NAME sh -c 'cmd'` runs the same command as `docker exec NAME cmd`.
  s = s.replace(/^docker\s+exec\s+(?:-(?:it|ti|i|t)\s+)*/, 'docker exec ');
  s = s.replace(/^(docker exec \S+) (?:ba)?sh -c /, '$1 ');
  s = s.replace(/=\s+/g, '=');
  return s.replace(/\s+/g, ' ').trim();
}

/** `docker run -d …`, `docker rm/stop/kill …`, `exit`: the set-up and clean-up lines around a recipe's own command. */
const SUPPORT_LINE = /^(?:docker (?:run (?:\S+ )*?(?:-d|--detach|-\w*d\w*)(?: |$)|rm |stop |kill )|exit$)/;

/**
 * The shapes a lesson's command stands for: each line of a multi-line command (comments dropped) and
 * each `||` alternative of a line (`cat memory.max 2>/dev/null || cat memory.limit_in_bytes`).
 */
export function shapesOf(command: string | undefined): string[] {
  if (!command) return [];
  const shapes = new Set<string>();
  const lines = command.split('\n').map((raw) => raw.replace(/(^|\s)#.*$/, '').trim()).filter((line) => line !== '');
  // In a recipe of several lines, starting a background container and removing it only prepare the step.
  const own = lines.length > 1 ? lines.filter((line) => !SUPPORT_LINE.test(commandShape(line))) : lines;
  for (const line of own) {
    shapes.add(commandShape(line));
    const alternatives = line.split(/\s\|\|\s/);
    if (alternatives.length > 1) for (const alt of alternatives) shapes.add(commandShape(alt));
  }
  shapes.delete('');
  return [...shapes];
}

/** True when two command lines are the same command, as a learner may type it either way. */
export function sameCommand(a: string, b: string): boolean {
  const sa = commandShape(a);
  return sa !== '' && shapesOf(b).includes(sa);
}
