// The opt-in Prometheus endpoint: GET /metrics on METRICS_HOST:METRICS_PORT, nothing else. node:http only.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import type { SenseiMetrics } from './sensei-metrics.js';

export interface MetricsServer {
  /** The port it listens on (useful when asked for port 0 in tests). */
  port: number;
  close(): Promise<void>;
}

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export async function serveMetrics(metrics: SenseiMetrics, where: { port: number; host: string }, log: Logger): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    metrics.registry.text().then(
      (body) => res.writeHead(200, { 'content-type': CONTENT_TYPE }).end(body),
      (err: unknown) => {
        log.warn('metrics scrape failed', err);
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info(`metrics on http://${where.host}:${port}/metrics`);
  return {
    port,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Starts the endpoint when METRICS_PORT is set; undefined when metrics are off. */
export async function serveMetricsIfAsked(
  config: { METRICS_PORT: number; METRICS_HOST: string },
  metrics: SenseiMetrics,
  log: Logger,
): Promise<MetricsServer | undefined> {
  if (config.METRICS_PORT === 0) return undefined;
  return serveMetrics(metrics, { port: config.METRICS_PORT, host: config.METRICS_HOST }, log);
}
