// Resource sizes as docker reads them, and the lab's ceilings for them.

export interface LabLimits {
  /** Highest --memory a lab container gets, in bytes. */
  memoryBytes: number;
  /** Highest --cpus. */
  cpus: number;
  /** Highest --pids-limit. */
  pids: number;
}

export const LAB_LIMITS: Readonly<LabLimits> = Object.freeze({
  memoryBytes: 256 * 1024 * 1024,
  cpus: 1,
  pids: 64,
});

/** Docker refuses memory limits below this ("Minimum memory limit allowed is 6MB"). */
export const MIN_MEMORY_BYTES = 6 * 1024 * 1024;

export type ClampedField = 'memory' | 'cpus' | 'pids-limit';

/** A limit the learner asked for and the one the lab will use; 0 or -1 asked means "unlimited". */
export interface Clamp {
  field: ClampedField;
  asked: number;
  used: number;
}

const UNIT_POWER: Record<string, number> = { '': 0, b: 0, k: 1, m: 2, g: 3, t: 4, p: 5 };

/**
 * docker's RAMInBytes: a number with an optional b/k/m/g/t/p suffix (any case, optionally followed by
 * `i` and/or `b`), 1024-based. `128m` is 134217728. Undefined when it is not a size.
 */
export function parseMemoryBytes(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpPbB]?)[iI]?[bB]?$/.exec(text);
  if (!match) return undefined;
  const power = UNIT_POWER[(match[2] ?? '').toLowerCase()];
  if (power === undefined) return undefined;
  const bytes = Math.trunc(Number(match[1]) * 1024 ** power);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** --cpus: a decimal number of CPUs, 0 meaning no limit. */
export function parseCpus(text: string): number | undefined {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) return undefined;
  const cpus = Number(text);
  return Number.isFinite(cpus) ? cpus : undefined;
}

/** --pids-limit: an integer; 0 or negative means no limit. */
export function parsePidsLimit(text: string): number | undefined {
  if (!/^-?\d{1,12}$/.test(text)) return undefined;
  return Number(text);
}

/** `asked <= 0` means "unlimited", which in the lab is the ceiling. */
export function clampLimit(field: ClampedField, asked: number, max: number): { used: number; clamp?: Clamp } {
  if (asked > 0 && asked <= max) return { used: asked };
  return { used: max, clamp: { field, asked, used: max } };
}

export function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}
