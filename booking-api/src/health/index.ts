export { type HealthSummary, HealthWindow, healthKey, minimumSamples } from './health-window.ts';
export { type BookingMetrics, createBookingMetrics } from './metrics.ts';
