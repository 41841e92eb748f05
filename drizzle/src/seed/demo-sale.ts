// Seeds a complete Tatkal sale: stations, a train and its coaches, fares,
// tomorrow's journey with every berth, and its waiting rooms. Idempotent:
// rows are matched by natural keys and existing ones are left as they are,
// except that a room whose schedule or scope differs is re-armed, so seeding
// again on another day moves the `demo` room to the new time.
import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { fares, rooms, stations, tatkalChargeRules, trains } from '../schema/index.ts';
import { demoFares, demoStations, demoTrain, tatkalCharges } from './demo-catalogue.ts';
import { ensureJourney, insertCoaches, insertSeats, type Transaction } from './demo-inventory.ts';
import { type DemoRoomsInput, demoRooms } from './demo-rooms.ts';
import { addDays, istDate } from './ist.ts';

export interface SeedDemoSaleOptions {
  /** The seed's idea of the current time; the journey is the next Indian calendar day. */
  now?: Date;
}

export interface SeededRoom {
  id: string;
  prequeueOpensAt: Date;
  saleOpensAt: Date;
  closesAt: Date;
}

export type SeededTable =
  | 'stations'
  | 'trains'
  | 'coaches'
  | 'fares'
  | 'tatkalChargeRules'
  | 'journeys'
  | 'seats'
  | 'rooms';

export interface DemoSaleSummary {
  journey: { id: number; trainNumber: string; travelDate: string; departsAt: Date };
  rooms: SeededRoom[];
  /** Rows this run inserted, per table; all zero when the sale was already seeded. */
  created: Record<SeededTable, number>;
  /** Rooms that existed with another schedule or scope and were re-armed. */
  rearmedRooms: number;
}

export async function seedDemoSale(
  db: Database,
  options: SeedDemoSaleOptions = {},
): Promise<DemoSaleSummary> {
  const now = options.now ?? new Date();
  const travelDate = addDays(istDate(now), 1);
  // One transaction: a failed seed leaves nothing half-built behind.
  return db.transaction(async (tx) => {
    const inserted = async (rows: Promise<unknown[]>) => (await rows).length;
    const created: Record<SeededTable, number> = {
      stations: await inserted(
        tx.insert(stations).values(demoStations).onConflictDoNothing().returning(),
      ),
      trains: await inserted(tx.insert(trains).values(demoTrain).onConflictDoNothing().returning()),
      coaches: await insertCoaches(tx),
      fares: await inserted(tx.insert(fares).values(demoFares).onConflictDoNothing().returning()),
      tatkalChargeRules: await inserted(
        tx.insert(tatkalChargeRules).values(tatkalCharges).onConflictDoNothing().returning(),
      ),
      journeys: 0,
      seats: 0,
      rooms: 0,
    };
    const journey = await ensureJourney(tx, travelDate);
    created.journeys = journey.created ? 1 : 0;
    created.seats = await insertSeats(tx, journey.id);
    const trainLabel = `${demoTrain.number} ${demoTrain.name}`;
    const changes = await upsertRooms(tx, { now, journeyId: journey.id, travelDate, trainLabel });
    created.rooms = changes.inserted;
    return {
      journey: {
        id: journey.id,
        trainNumber: demoTrain.number,
        travelDate,
        departsAt: journey.departsAt,
      },
      rooms: changes.rooms,
      created,
      rearmedRooms: changes.rearmed,
    };
  });
}

// Columns whose difference re-arms an existing room, compared with the proposed row.
const roomArmingColumns = [
  'name',
  'journey_id',
  'class_codes',
  'quotas',
  'prequeue_opens_at',
  'sale_opens_at',
  'closes_at',
];

async function upsertRooms(tx: Transaction, input: DemoRoomsInput) {
  const wanted = demoRooms(input);
  const changed = roomArmingColumns.map(
    (column) => `rooms.${column} is distinct from excluded.${column}`,
  );
  // Returns only rows inserted or re-armed; unchanged rooms are not written at all.
  const written = await tx
    .insert(rooms)
    .values(wanted)
    .onConflictDoUpdate({
      target: rooms.id,
      set: {
        name: sql.raw('excluded.name'),
        journeyId: sql.raw('excluded.journey_id'),
        classCodes: sql.raw('excluded.class_codes'),
        quotas: sql.raw('excluded.quotas'),
        prequeueOpensAt: sql.raw('excluded.prequeue_opens_at'),
        saleOpensAt: sql.raw('excluded.sale_opens_at'),
        closesAt: sql.raw('excluded.closes_at'),
        // A re-armed room starts over; an operator's pause or close was for the old window.
        status: 'scheduled',
        updatedAt: sql`now()`,
      },
      setWhere: sql.raw(changed.join(' or ')),
    })
    // xmax is 0 on a freshly inserted row version and set on an updated one.
    .returning({ id: rooms.id, inserted: sql<boolean>`(xmax = 0)` });
  const current = await tx
    .select({
      id: rooms.id,
      prequeueOpensAt: rooms.prequeueOpensAt,
      saleOpensAt: rooms.saleOpensAt,
      closesAt: rooms.closesAt,
    })
    .from(rooms)
    .where(
      inArray(
        rooms.id,
        wanted.map((room) => room.id),
      ),
    )
    .orderBy(rooms.saleOpensAt, rooms.id);
  const inserted = written.filter((room) => room.inserted).length;
  return { inserted, rearmed: written.length - inserted, rooms: current };
}
