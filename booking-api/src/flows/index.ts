// The booking flows the HTTP routes call, for the benchmarks and the admission worker.
export { bookHold } from './book-hold.ts';
export { reconcileJourneys, sweepServedJourneys, withInventory } from './journeys.ts';
export { type HoldBody, type PlacedHold, placeHold } from './place-hold.ts';
export {
  type ReturnedSeats,
  type ReturnSeatsDeps,
  resyncTakenSeats,
  returnSeatsAndPromote,
} from './return-seats.ts';
