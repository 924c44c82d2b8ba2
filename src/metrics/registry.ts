// Counters, gauges and histograms, written out in Prometheus's text format (version 0.0.4). Small on purpose:
// the few instruments this app needs, no dependency. Label values are escaped; names are ours and fixed.

export type Labels = Record<string, string>;
type Sample = { labels: Labels; value: number };

interface Instrument {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  /** Sample lines, fresh for this scrape. */
  samples(): Promise<string[]>;
}

/** A label set as a stable map key and as Prometheus text. */
function labelText(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${keys.map((k) => `${k}="${escape(labels[k] ?? '')}"`).join(',')}}`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

export class Counter implements Instrument {
  readonly type = 'counter';
  private readonly values = new Map<string, Sample>();
  constructor(readonly name: string, readonly help: string) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const sample = this.values.get(key) ?? { labels, value: 0 };
    sample.value += by;
    this.values.set(key, sample);
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }

  async samples(): Promise<string[]> {
    return [...this.values.values()].map((s) => `${this.name}${labelText(s.labels)} ${formatValue(s.value)}`);
  }
}

/** A gauge read when scraped: `collect` asks the source (the queue, the engine) for its current values. */
export class Gauge implements Instrument {
  readonly type = 'gauge';
  private readonly collectors: (() => Promise<Sample[]>)[] = [];
  constructor(readonly name: string, readonly help: string) {}

  /** Adds a source; returns a function that removes it (when its worker or queue closes). */
  collect(source: () => Promise<Sample[]>): () => void {
    this.collectors.push(source);
    return () => {
      const at = this.collectors.indexOf(source);
      if (at >= 0) this.collectors.splice(at, 1);
    };
  }

  async samples(): Promise<string[]> {
    // One source failing (an engine gone) must not hide the others: its samples are just missing.
    const settled = await Promise.allSettled(this.collectors.map((c) => c()));
    return settled.flatMap((r) => (r.status === 'fulfilled' ? r.value : [])).map((s) => `${this.name}${labelText(s.labels)} ${formatValue(s.value)}`);
  }
}

/** Seconds, in cumulative buckets. */
export class Histogram implements Instrument {
  readonly type = 'histogram';
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = labelText(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    this.buckets.forEach((le, i) => {
      if (value <= le) s.counts[i] = (s.counts[i] ?? 0) + 1;
    });
    s.sum += value;
    s.count += 1;
  }

  count(labels: Labels = {}): number {
    return this.series.get(labelText(labels))?.count ?? 0;
  }

  async samples(): Promise<string[]> {
    const lines: string[] = [];
    for (const s of this.series.values()) {
      this.buckets.forEach((le, i) => lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: formatValue(le) })} ${s.counts[i] ?? 0}`));
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${formatValue(s.sum)}`);
      lines.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return lines;
  }
}

export class Registry {
  private readonly instruments: Instrument[] = [];

  add<T extends Instrument>(instrument: T): T {
    this.instruments.push(instrument);
    return instrument;
  }

  /** The whole exposition, as Prometheus scrapes it. */
  async text(): Promise<string> {
    const parts: string[] = [];
    for (const i of this.instruments) {
      parts.push(`# HELP ${i.name} ${i.help}`, `# TYPE ${i.name} ${i.type}`, ...(await i.samples()));
    }
    return `${parts.join('\n')}\n`;
  }
}
