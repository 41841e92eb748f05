// Which journeys and waitlists the jobs look after: those still on sale (not yet departed),
// the same rule the booking API uses for its reconcile.
import type { Database } from '@tatkal/drizzle';
import { journeys } from '@tatkal/drizzle/schema';
import { asc, gt } from 'drizzle-orm';

export async function journeysOnSale(db: Database, nowMs: number): Promise<number[]> {
  const rows = await db
    .select({ id: journeys.id })
    .from(journeys)
    .where(gt(journeys.departsAt, new Date(nowMs)))
    .orderBy(asc(journeys.id));
  return rows.map((row) => row.id);
}
