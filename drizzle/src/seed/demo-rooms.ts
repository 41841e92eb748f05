// The waiting rooms of the demo sale. Tatkal for a journey opens the day
// before it: AC classes at 10:00 IST, sleeper at 11:00 IST. The `demo` room
// opens a minute after seeding, so a demo never waits for 10:00.
import type { NewRoom } from '../schema/index.ts';
import { addDays, istInstant } from './ist.ts';

const minuteMs = 60_000;

export interface DemoRoomsInput {
  now: Date;
  journeyId: number;
  travelDate: string;
  trainLabel: string;
}

export function demoRooms({ now, journeyId, travelDate, trainLabel }: DemoRoomsInput): NewRoom[] {
  const saleDate = addDays(travelDate, -1);
  const scope = { journeyId, quotas: ['TQ', 'PT'] } satisfies Partial<NewRoom>;
  return [
    {
      id: `tatkal-ac-${travelDate}`,
      name: `AC Tatkal, ${trainLabel}, ${travelDate}`,
      ...scope,
      // First AC has no Tatkal quota.
      classCodes: ['2A', '3A'],
      prequeueOpensAt: istInstant(saleDate, '09:45'),
      saleOpensAt: istInstant(saleDate, '10:00'),
      closesAt: istInstant(saleDate, '12:00'),
    },
    {
      id: `tatkal-sl-${travelDate}`,
      name: `Sleeper Tatkal, ${trainLabel}, ${travelDate}`,
      ...scope,
      classCodes: ['SL'],
      prequeueOpensAt: istInstant(saleDate, '10:45'),
      saleOpensAt: istInstant(saleDate, '11:00'),
      closesAt: istInstant(saleDate, '13:00'),
    },
    {
      id: 'demo',
      name: `Demo Tatkal, ${trainLabel}, ${travelDate}`,
      ...scope,
      classCodes: ['2A', '3A', 'SL'],
      prequeueOpensAt: now,
      saleOpensAt: new Date(now.getTime() + minuteMs),
      closesAt: new Date(now.getTime() + 180 * minuteMs),
    },
  ];
}
