// Prometheus metrics of the admission ticks, registered on the service's injected registry.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type TickMetrics = ReturnType<typeof createTickMetrics>;

export function createTickMetrics(registry: Registry) {
  const registers = [registry];
  return {
    ticks: new Counter({
      name: 'tatkal_admission_ticks_total',
      help: 'Admission ticks by outcome: ran, busy (another worker held the room), fence_lost, inactive, failed',
      labelNames: ['room', 'outcome'],
      registers,
    }),
    admitted: new Counter({
      name: 'tatkal_admissions_total',
      help: 'Visitors admitted by the ticks',
      labelNames: ['room'],
      registers,
    }),
    skipped: new Counter({
      name: 'tatkal_admission_skipped_total',
      help: 'Abandoned visitors passed over by the ticks',
      labelNames: ['room'],
      registers,
    }),
    rules: new Counter({
      name: 'tatkal_admission_decisions_total',
      help: 'Controller decisions by the rule that fired',
      labelNames: ['room', 'rule'],
      registers,
    }),
    lockLost: new Counter({
      name: 'tatkal_admission_lock_lost_total',
      help: 'Ticks that lost their room lock before a fenced step (the step changed nothing)',
      labelNames: ['room', 'step'],
      registers,
    }),
    recovered: new Counter({
      name: 'tatkal_admission_recovered_ticks_total',
      help: 'Batches of ticks that died after admitting, recorded by their successor',
      labelNames: ['room'],
      registers,
    }),
    duration: new Histogram({
      name: 'tatkal_admission_tick_duration_seconds',
      help: 'Time from taking the room lock to recording the tick',
      labelNames: ['room'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    rate: new Gauge({
      name: 'tatkal_admission_rate_per_second',
      help: 'Admission rate the controller runs at after the latest tick',
      labelNames: ['room'],
      registers,
    }),
    sessionCap: new Gauge({
      name: 'tatkal_admission_active_session_cap',
      help: 'Active admitted sessions the controller allows after the latest tick',
      labelNames: ['room'],
      registers,
    }),
    auditRows: new Counter({
      name: 'tatkal_admission_audit_rows_total',
      help: 'Tick records copied to PostgreSQL admission_batches',
      registers,
    }),
    auditFailures: new Counter({
      name: 'tatkal_admission_audit_flush_failures_total',
      help: 'Audit flushes that failed (retried at the next flush)',
      registers,
    }),
  };
}
