// Every table of the schema, one file each; drizzle-kit reads this file.
export * from './admission-batches.ts';
export * from './bookings.ts';
export * from './coaches.ts';
export * from './fares.ts';
export * from './idempotency-keys.ts';
export * from './journeys.ts';
export * from './operator-audit-log.ts';
export * from './passengers.ts';
export * from './payments.ts';
export * from './relations.ts';
export * from './rooms.ts';
export * from './seat-assignments.ts';
export * from './seats.ts';
export * from './stations.ts';
export * from './tatkal-charge-rules.ts';
export * from './trains.ts';
export * from './vocabulary.ts';
