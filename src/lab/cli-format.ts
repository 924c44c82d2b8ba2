// Pure helpers that make the lab's answers look like the docker CLI's: its tables, durations, sizes,
// random names and quoting. Nothing here touches Docker.
import { randomInt } from 'node:crypto';

/** docker's tabwriter layout: every column but the last padded to its widest cell plus three spaces. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3))).join('').trimEnd())
    .map((line) => `${line}\n`)
    .join('');
}

/** go-units' HumanDuration, which `docker ps` uses for CREATED ("5 seconds", "About a minute"). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(seconds / 3600);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  const days = Math.floor(hours / 24);
  if (days < 14) return `${days} days`;
  return `${Math.floor(days / 7)} weeks`;
}

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** go-units' BytesSize ("%.4g" of a 1024-based size), as `docker stats` prints memory. */
export function bytesSize(bytes: number): string {
  let size = Math.max(0, bytes);
  let unit = 0;
  while (size >= 1024 && unit < BINARY_UNITS.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return `${Number(size.toPrecision(4))}${BINARY_UNITS[unit]}`;
}

/** docker ps's COMMAND cell: Go-quoted and cut to 20 characters with an ellipsis. */
export function psCommand(command: string): string {
  const cut = [...command].length > 19 ? `${[...command].slice(0, 19).join('')}…` : command;
  return JSON.stringify(cut);
}

/** One POSIX shell word that means exactly `word`. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

// A few of the words docker's namesgenerator uses, enough for names that look like docker's own.
const ADJECTIVES = [
  'admiring', 'brave', 'clever', 'dazzling', 'eager', 'focused', 'gallant', 'happy', 'jolly', 'keen',
  'loving', 'modest', 'nifty', 'optimistic', 'peaceful', 'quirky', 'relaxed', 'sharp', 'tender', 'vibrant',
  'wizardly', 'youthful', 'zealous', 'objective', 'magical', 'competent',
];
const SURNAMES = [
  'babbage', 'curie', 'darwin', 'einstein', 'feynman', 'galileo', 'hopper', 'jepsen', 'knuth', 'lovelace',
  'meitner', 'noether', 'pasteur', 'ritchie', 'shannon', 'thompson', 'turing', 'wozniak', 'yonath', 'zhukovsky',
  'ptolemy', 'sanderson', 'rhodes', 'banzai', 'torvalds', 'hamilton',
];

export function randomContainerName(taken: ReadonlySet<string>): string {
  for (let attempt = 0; ; attempt++) {
    const name = `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${SURNAMES[randomInt(SURNAMES.length)]}`;
    // Like docker, add a digit once plain names keep colliding.
    const candidate = attempt < 20 ? name : `${name}${randomInt(1000)}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The sandbox image's own users (sandbox/Dockerfile): a host's /etc/passwd must never name a learner's process. */
const IMAGE_USERS: Readonly<Record<string, string>> = { '0': 'root', '1000': 'learner', '1001': 'sensei' };

/** A numeric uid as the sandbox image names it; other uids stay numbers. */
export function imageUserName(uid: string): string {
  return IMAGE_USERS[uid.trim()] ?? uid;
}

/** The label holding a lab container's own command as JSON (its real command may wrap it). */
export const COMMAND_LABEL = 'sensei.cmd';

/** The learner's command from a lab container's labels; undefined when it has none. */
export function labelledCommand(labels: Record<string, string> | undefined): string[] | undefined {
  const label = labels?.[COMMAND_LABEL];
  if (!label) return undefined;
  try {
    const parsed = JSON.parse(label) as unknown;
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A container's process rows as a listing shows them (docker top, the host view's ps): the numeric uid in the
 * first column named as the sandbox image names it, and the command line in the last one tidied.
 */
export function listingRows(rows: readonly string[][], own: readonly string[] | undefined): string[][] {
  return rows.map((row) => row.map((cell, i) => (i === 0 ? imageUserName(cell) : i === row.length - 1 ? tidyCommandLine(cell, own) : cell)));
}

/** The container's own small tmpfs for its output cap's FIFOs (src/lab/container-log.ts). */
export const LAB_LOG_DIR = '/run/sensei';
/** How the lab's output wrapper's script begins (src/lab/container-log.ts); only an init's argv keeps it. */
const LOG_CAP_MARK = `d=${LAB_LOG_DIR};mkfifo`;

/**
 * A process's command line as a listing shows it: with --init, docker-init's argv still holds the output
 * wrapper, so it shows the learner's own command after `--` instead.
 */
export function tidyCommandLine(line: string, own: readonly string[] | undefined): string {
  if (!line.includes(LOG_CAP_MARK) || !own) return line;
  return line.startsWith('/sbin/docker-init') ? `/sbin/docker-init -- ${own.join(' ')}` : own.join(' ');
}

/** What `docker ps` shows as COMMAND: the learner's own command, else the engine's. */
export function learnerCommand(labels: Record<string, string> | undefined, engineCommand: string): string {
  return labelledCommand(labels)?.join(' ') ?? engineCommand;
}
