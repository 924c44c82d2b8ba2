// docker's (pflag's) flag syntax for one subcommand: `--name x`, `--name=x`, `-it`, `-m128m`, `-m=128m`, `--`.
// Dangerous flags are collected, so one refusal can explain every one of them.
import {
  combineRefusals,
  flagRefusal,
  labRefusal,
  refusedFlagFor,
  refusedFlagTakesValue,
  type LabRefusal,
  type RefusedFlag,
} from './refusals.js';

export interface FlagSpec {
  key: string;
  short?: string;
  long?: string;
  /** What the value looks like in help text; absent for a switch. */
  value?: string;
}

export type Failure = { ok: false; refusal: LabRefusal };
export const refuse = (refusal: LabRefusal): Failure => ({ ok: false, refusal });

export interface ParsedFlags {
  ok: true;
  /** Every value given to each value flag, in order (docker uses the last one for single values). */
  values: Map<string, string[]>;
  switches: Map<string, boolean>;
  positionals: string[];
}

export interface FlagRules {
  sub: string;
  specs: readonly FlagSpec[];
  /** Whether flags may follow positional arguments (docker rm NAME -f); false for run/exec. */
  interspersed: boolean;
  /** Dangerous flags this subcommand really has, refused with their explanation. */
  refusable: readonly RefusedFlag[];
}

function describeFlag(spec: FlagSpec): string {
  const names = [spec.short && `-${spec.short}`, spec.long && `--${spec.long}`].filter(Boolean).join(', ');
  return spec.value ? `${names} ${spec.value}` : names;
}

export function parseFlags(args: readonly string[], rules: FlagRules): ParsedFlags | Failure {
  const values = new Map<string, string[]>();
  const switches = new Map<string, boolean>();
  const positionals: string[] = [];
  const dangers: LabRefusal[] = [];
  const supported = rules.specs.map(describeFlag);
  const stop = (refusal: LabRefusal): Failure => refuse(dangers.length > 0 ? combineRefusals(dangers) : refusal);
  const unknown = (flag: string) => labRefusal('flag-unsupported', { flag, sub: rules.sub, supported }, flag);
  const missingValue = (flag: string) => labRefusal('flag-missing-value', { flag }, flag);
  const badBoolean = (flag: string, value: string) => labRefusal('flag-bad-boolean', { flag, value }, flag);
  const addValue = (key: string, value: string): void => {
    values.set(key, [...(values.get(key) ?? []), value]);
  };
  const findRefusable = (flag: string): RefusedFlag | undefined => {
    const entry = refusedFlagFor(flag);
    return entry && rules.refusable.includes(entry) ? entry : undefined;
  };

  let i = 0;
  while (i < args.length) {
    const arg = args[i] as string;
    i += 1;
    if (arg === '--') {
      positionals.push(...args.slice(i));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (!rules.interspersed) {
        positionals.push(arg, ...args.slice(i));
        break;
      }
      positionals.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const flag = eq < 0 ? arg : arg.slice(0, eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      if (flag === '--help') return stop(labRefusal('help', { sub: rules.sub, supported }, '--help'));
      const spec = rules.specs.find((s) => s.long !== undefined && `--${s.long}` === flag);
      if (!spec) {
        const danger = findRefusable(flag);
        if (!danger) return stop(unknown(flag));
        dangers.push(flagRefusal(danger, arg));
        if (inline === undefined && refusedFlagTakesValue(danger, flag)) i += 1;
        continue;
      }
      if (spec.value) {
        const value = inline ?? args[i];
        if (value === undefined) return stop(missingValue(flag));
        if (inline === undefined) i += 1;
        addValue(spec.key, value);
      } else if (inline === undefined || inline === 'true' || inline === 'false') {
        switches.set(spec.key, inline !== 'false');
      } else {
        return stop(badBoolean(flag, inline));
      }
      continue;
    }
    // A cluster of short flags: each letter is a switch until one takes a value, which is the rest.
    for (let j = 1; j < arg.length; j += 1) {
      const flag = `-${arg[j]}`;
      const spec = rules.specs.find((s) => s.short !== undefined && `-${s.short}` === flag);
      const danger = spec ? undefined : findRefusable(flag);
      if (!spec && !danger) return stop(unknown(flag));
      const takesValue = spec ? spec.value !== undefined : refusedFlagTakesValue(danger as RefusedFlag, flag);
      if (spec && !takesValue && arg[j + 1] === '=') {
        // pflag's `-d=false`: the rest of the cluster is the switch's value.
        const inline = arg.slice(j + 2);
        if (inline !== 'true' && inline !== 'false') return stop(badBoolean(flag, inline));
        switches.set(spec.key, inline === 'true');
        break;
      }
      let value: string | undefined;
      if (takesValue) {
        const rest = arg.slice(j + 1).replace(/^=/, '');
        value = rest !== '' ? rest : args[i];
        if (value === undefined && danger) {
          dangers.push(flagRefusal(danger, flag));
          break;
        }
        if (value === undefined) return stop(missingValue(flag));
        if (rest === '') i += 1;
      }
      if (danger) dangers.push(flagRefusal(danger, value === undefined ? flag : `${flag} ${value}`));
      else if (spec && value !== undefined) addValue(spec.key, value);
      else if (spec) switches.set(spec.key, true);
      if (takesValue) break;
    }
  }
  if (dangers.length > 0) return refuse(combineRefusals(dangers));
  return { ok: true, values, switches, positionals };
}
