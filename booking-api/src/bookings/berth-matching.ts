// Seats each passenger on one of the booking's seats, granting as many berth
// preferences as the seats allow. Preferences name a berth type and any seat of
// that type satisfies them, so taking, in passenger order, the lowest free seat
// of the wanted type is already a maximum matching; the rest sit in seat order.
import type { BerthType } from '@tatkal/drizzle/schema';

export interface PassengerPreference {
  ordinal: number;
  berthPreference: BerthType | null;
}

export interface SeatBerth {
  seatId: number;
  berthType: BerthType;
}

export interface Placement {
  ordinal: number;
  seatId: number;
}

export function matchBerths(
  passengers: readonly PassengerPreference[],
  seats: readonly SeatBerth[],
): Placement[] {
  if (passengers.length > seats.length) throw new Error('more passengers than seats');
  const people = [...passengers].sort((a, b) => a.ordinal - b.ordinal);
  const left = [...seats].sort((a, b) => a.seatId - b.seatId);
  const placed = new Map<number, number>();
  for (const person of people) {
    const index = left.findIndex((seat) => seat.berthType === person.berthPreference);
    const [seat] = index >= 0 ? left.splice(index, 1) : [];
    if (seat) placed.set(person.ordinal, seat.seatId);
  }
  return people.map((person) => {
    const seatId = placed.get(person.ordinal) ?? left.shift()?.seatId;
    if (seatId === undefined) throw new Error('ran out of seats while matching');
    return { ordinal: person.ordinal, seatId };
  });
}
