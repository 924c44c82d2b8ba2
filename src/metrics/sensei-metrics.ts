// The metrics this app serves, by name, in one place: each process fills the ones it sees (a bot process the
// queue and Discord side, a worker process the runs and its engine) and serves them when METRICS_PORT is set.
import { Counter, Gauge, Histogram, Registry } from './registry.js';

const RUN_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Discord allows 3 s to acknowledge an interaction: buckets around it. */
const DISCORD_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 120];

export class SenseiMetrics {
  readonly registry = new Registry();
  /** Jobs in the queue by state (waiting, active, delayed, prioritized), read when scraped; the producer's lanes fill it. */
  readonly queueJobs = this.registry.add(new Gauge('sensei_queue_jobs', 'Jobs in a command queue, by queue and state.'));
  readonly queueWait = this.registry.add(new Histogram('sensei_queue_wait_seconds', 'Time a job waited in the queue before a worker took it, by job kind.', RUN_BUCKETS));
  readonly runLatency = this.registry.add(new Histogram('sensei_run_seconds', 'Time a worker spent running a job, by engine, job kind and outcome.', RUN_BUCKETS));
  /** This app's containers on each engine a worker here serves, by kind, read when scraped. */
  readonly engineContainers = this.registry.add(new Gauge('sensei_engine_containers', 'Containers of this app on an engine, by engine and kind (pool: warm or a session; oneshot; lab).'));
  readonly refused = this.registry.add(new Counter('sensei_refused_total', 'Learner commands not run, by reason.'));
  readonly discordLatency = this.registry.add(
    new Histogram('sensei_discord_interaction_seconds', 'Discord interactions: from the interaction to its acknowledgement (phase ack) and to the end of its handling (phase done).', DISCORD_BUCKETS),
  );
}
