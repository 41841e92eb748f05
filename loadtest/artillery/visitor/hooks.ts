// The artillery processor of the journey scenario (journey.yml names these functions).
export * from './booking.ts';
export * from './waiting.ts';
