// The Prometheus text format, written by our small registry.
import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry } from '../../src/metrics/registry.js';

describe('the metrics registry', () => {
  it('writes counters with HELP, TYPE and escaped labels', async () => {
    const registry = new Registry();
    const refused = registry.add(new Counter('sensei_refused_total', 'Refused.'));
    refused.inc({ reason: 'busy' });
    refused.inc({ reason: 'busy' });
    refused.inc({ reason: 'odd "one"\\\n' });
    const text = await registry.text();
    expect(text).toContain('# HELP sensei_refused_total Refused.\n# TYPE sensei_refused_total counter\n');
    expect(text).toContain('sensei_refused_total{reason="busy"} 2\n');
    expect(text).toContain('sensei_refused_total{reason="odd \\"one\\"\\\\\\n"} 1\n');
  });

  it('writes cumulative histogram buckets, sum and count', async () => {
    const registry = new Registry();
    const h = registry.add(new Histogram('run_seconds', 'Runs.', [0.1, 1]));
    h.observe({ kind: 'lab' }, 0.05);
    h.observe({ kind: 'lab' }, 0.5);
    h.observe({ kind: 'lab' }, 3);
    const text = await registry.text();
    expect(text).toContain('run_seconds_bucket{kind="lab",le="0.1"} 1\n');
    expect(text).toContain('run_seconds_bucket{kind="lab",le="1"} 2\n');
    expect(text).toContain('run_seconds_bucket{kind="lab",le="+Inf"} 3\n');
    expect(text).toContain('run_seconds_sum{kind="lab"} 3.55\n');
    expect(text).toContain('run_seconds_count{kind="lab"} 3\n');
  });

  it('reads gauges when scraped, and one failing source hides only its own samples', async () => {
    const registry = new Registry();
    const g = registry.add(new Gauge('engine_containers', 'Containers.'));
    let n = 1;
    g.collect(async () => [{ labels: { engine: 'a' }, value: n }]);
    const stop = g.collect(async () => {
      throw new Error('engine gone');
    });
    expect(await registry.text()).toContain('engine_containers{engine="a"} 1\n');
    n = 4;
    expect(await registry.text()).toContain('engine_containers{engine="a"} 4\n');
    stop();
    expect(await registry.text()).toContain('engine_containers{engine="a"} 4\n');
  });
});
