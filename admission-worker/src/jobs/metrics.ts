// Background-job metrics on the service's injected registry. Metrics are looked up before
// they are made, so starting the jobs twice on one registry (tests, restarts) is harmless.
import { Counter, Histogram, type Registry } from 'prom-client';

function counter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

export function createJobMetrics(registry: Registry) {
  const existing = registry.getSingleMetric('tatkal_background_job_duration_seconds');
  return {
    runs: counter(registry, 'tatkal_background_job_runs_total', 'Background job runs by outcome', [
      'job',
      'outcome',
    ] as const),
    items: counter(
      registry,
      'tatkal_background_job_items_total',
      'What background jobs changed: holds released, bookings expired, promotions, notifications',
      ['job', 'kind'] as const,
    ),
    duration: (existing ??
      new Histogram({
        name: 'tatkal_background_job_duration_seconds',
        help: 'Background job run time',
        labelNames: ['job'] as const,
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
        registers: [registry],
      })) as Histogram<'job'>,
    /** Same name and meaning as the booking API's: transitions this process made. */
    bookings: counter(
      registry,
      'tatkal_bookings_total',
      'Booking transitions by resulting status',
      ['status'] as const,
    ),
  };
}

export type JobMetrics = ReturnType<typeof createJobMetrics>;
