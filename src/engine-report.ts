// `sensei doctor`'s view of the engines: each one's beat, labels, load and learners, as plain lines.
import type { EngineStatus } from './store/engine-registry.js';

const LEARNERS_SHOWN = 10;

export interface EngineReportLine {
  level: 'ok' | 'WARN';
  text: string;
}

/** One line per engine (and one for its learners, a few by name); silent engines are warnings. */
export function engineReport(engines: readonly EngineStatus[], learnersOf: ReadonlyMap<string, readonly string[]>, now: number, deadMs: number): EngineReportLine[] {
  if (engines.length === 0) return [{ level: 'WARN', text: 'no engine is registered: start `sensei worker` next to each Docker engine' }];
  return [...engines]
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const silentFor = Math.max(0, Math.round((now - e.beatAt) / 1000));
      const silent = now - e.beatAt > deadMs;
      const labels = Object.entries(e.labels).map(([k, v]) => `${k}=${v}`).join(',');
      const head = `engine ${e.name}: ${silent ? `SILENT for ${silentFor} s (declared dead once a bot notices)` : `alive (beat ${silentFor} s ago)`}, ${labels || 'no labels'}, learners ${e.learners}/${e.capacity}, containers ${e.containers}, docker ${e.version}`;
      const names = learnersOf.get(e.name) ?? [];
      const shown = names.slice(0, LEARNERS_SHOWN).join(', ');
      const more = names.length > LEARNERS_SHOWN ? ` (+${names.length - LEARNERS_SHOWN} more)` : '';
      return [
        { level: silent ? ('WARN' as const) : ('ok' as const), text: head },
        ...(names.length > 0 ? [{ level: 'ok' as const, text: `  learners on ${e.name}: ${shown}${more}` }] : []),
      ];
    });
}
