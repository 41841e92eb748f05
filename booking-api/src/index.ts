export { type AppDeps, createApp } from './app.ts';
export * from './bookings/index.ts';
export { type Config, configShape, loadConfig } from './config.ts';
export type { BookingApiDeps, ExpiryScheduler } from './deps.ts';
export { type HealthSummary, healthKey, minimumSamples } from './health/health-window.ts';
export * from './inventory/index.ts';
