// A fixed pool of worker threads fed from one job list: each worker takes the next job as soon
// as it finishes one, so uneven run times still keep every core busy.
import { Worker } from 'node:worker_threads';
import type { Job, JobResult } from './jobs.ts';

export async function runJobs(
  jobs: readonly Job[],
  workers: number,
  onResult?: (r: JobResult, done: number) => void,
): Promise<JobResult[]> {
  const results: JobResult[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  const size = Math.max(1, Math.min(workers, jobs.length));
  const threads = Array.from(
    { length: size },
    () => new Worker(new URL('./worker.ts', import.meta.url)),
  );
  try {
    await Promise.all(
      threads.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            let current = -1;
            const feed = () => {
              if (next >= jobs.length) return resolve();
              current = next++;
              w.postMessage(jobs[current]);
            };
            w.on('message', (r: JobResult) => {
              results[current] = r;
              done++;
              onResult?.(r, done);
              feed();
            });
            w.on('error', reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
  return results;
}
