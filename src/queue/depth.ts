import type { Queue } from 'bullmq';

/** A queue's jobs by state, as the metrics gauge `sensei_queue_jobs` reads them when scraped. */
export async function queueDepth(queue: Queue): Promise<{ labels: Record<string, string>; value: number }[]> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.entries(counts).map(([state, value]) => ({ labels: { queue: queue.name, state }, value }));
}
