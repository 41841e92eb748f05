// Where the bench's bookable seats are, as arithmetic both createBooking's
// callers and the pgbench script can do. The bench clones the seeded journey
// into a block of journeys with consecutive ids, each with the same seats at
// consecutive seat ids, its sleeper Tatkal seats first (journeys.ts).

export interface JourneyBlock {
  /** Id of the block's first journey; journey i is firstJourneyId + i. */
  firstJourneyId: number;
  journeys: number;
  /** Id of the first journey's first seat; journey i's seats start i * seatsPerJourney later. */
  firstSeatId: number;
  seatsPerJourney: number;
  /** How many seats at the start of each journey are sleeper (SL) Tatkal (TQ) seats. */
  leadingSeats: number;
}

/** Two-seat bookings one journey of the block can take. */
export function pairsPerJourney(block: JourneyBlock): number {
  return Math.floor(block.leadingSeats / 2);
}

/** Two-seat bookings the whole block can take before it is freed again. */
export function blockCapacity(block: JourneyBlock): number {
  return pairsPerJourney(block) * block.journeys;
}

export interface BookingSlot {
  journeyId: number;
  seatIds: [number, number];
}

/**
 * Slot k: journey k / pairs, seats 2 (k % pairs) and the next one of its
 * sleeper Tatkal seats. Slots never share a seat; undefined past the block.
 */
export function bookingSlot(block: JourneyBlock, k: number): BookingSlot | undefined {
  const pairs = pairsPerJourney(block);
  if (!Number.isSafeInteger(k) || k < 0 || k >= blockCapacity(block)) return undefined;
  const journeyIndex = Math.floor(k / pairs);
  const first = block.firstSeatId + journeyIndex * block.seatsPerJourney + 2 * (k % pairs);
  return { journeyId: block.firstJourneyId + journeyIndex, seatIds: [first, first + 1] };
}

/** The first `count` sleeper Tatkal seat ids of the block's journey `journeyIndex`. */
export function leadingSeatIds(block: JourneyBlock, journeyIndex: number, count: number): number[] {
  if (count > block.leadingSeats) {
    throw new RangeError(`a journey has ${block.leadingSeats} sleeper Tatkal seats, not ${count}`);
  }
  const first = block.firstSeatId + journeyIndex * block.seatsPerJourney;
  return Array.from({ length: count }, (_, i) => first + i);
}
