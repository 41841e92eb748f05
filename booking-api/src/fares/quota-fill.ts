// How full a journey's quota of a class is: seats with a live assignment
// (pending or confirmed) out of all seats set aside for it.
import type { ClassCode, Quota } from '@tatkal/drizzle/schema';
import { sql } from 'drizzle-orm';
import type { Executor } from '../domain/index.ts';
import type { QuotaFill } from './premium-curve.ts';

export async function readQuotaFill(
  db: Executor,
  input: { journeyId: number; classCode: ClassCode; quota: Quota },
): Promise<QuotaFill> {
  const result = await db.execute<{ sold: number; capacity: number }>(sql`
    select count(*)::int as capacity,
           count(*) filter (where exists (
             select 1 from seat_assignments a
              where a.journey_id = s.journey_id and a.seat_id = s.id
                and a.status in ('PENDING', 'CONFIRMED')))::int as sold
      from seats s
     where s.journey_id = ${input.journeyId}
       and s.class_code = ${input.classCode}
       and s.quota = ${input.quota}`);
  const row = result.rows[0];
  return { sold: row?.sold ?? 0, capacity: row?.capacity ?? 0 };
}
