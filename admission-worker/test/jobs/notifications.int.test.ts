// Booking notifications end to end: the database records each transition once (trigger on
// bookings), four senders deliver from the outbox at once, and the local receiver gets each
// notification exactly once, signed. A sender that dies mid-delivery is covered by its lease;
// a receiver that keeps failing ends with the row marked failed and an error logged. The
// negative control sends without claiming, and the exactly-once check catches it.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createWebhookNotifier,
  expireDueBookings,
  type JobDeps,
  type Notifier,
  sendDueNotifications,
} from '../../src/jobs/index.ts';
import {
  cancelledWaitlist,
  confirmedBooking,
  unpaidBooking,
  waitlisted,
} from './support/bookings.ts';
import { barrier } from './support/checks.ts';
import { type Receiver, receiverSecret, startReceiver } from './support/receiver.ts';
import { createJobsWorld, type JobsWorld } from './support/world.ts';

const workers = 4;
let world: JobsWorld;
let receiver: Receiver;
const webhook = (): Notifier =>
  createWebhookNotifier({
    url: receiver.url,
    secrets: [receiverSecret],
    attempts: 2,
    backoffMs: 10,
  });
const sender = (): JobDeps => world.worker({ notifier: webhook() });

type Row = {
  id: string;
  booking_id: string;
  event: string;
  attempts: number;
  delivered: boolean;
  failed: boolean;
  last_error: string | null;
};
const rows = async () =>
  (
    await world.db.db.execute<Row>(sql`
      select id, booking_id, event, attempts, delivered_at is not null as delivered,
             failed_at is not null as failed, last_error
        from notifications order by id`)
  ).rows;

/** Each outbox row not given up delivered exactly once, verified, and marked: the list of what is off. */
async function deliveryViolations(): Promise<string[]> {
  const out: string[] = [];
  const perId = new Map<string, number>();
  for (const d of receiver.deliveries) {
    perId.set(d.eventId, (perId.get(d.eventId) ?? 0) + 1);
    if (!d.verified) out.push(`delivery ${d.eventId} not verified`);
  }
  // Rows given up are checked by the test that gave them up.
  for (const row of (await rows()).filter((r) => !r.failed)) {
    const n = perId.get(row.id) ?? 0;
    if (n !== 1) out.push(`notification ${row.id} (${row.event}) delivered ${n} times`);
    if (!row.delivered) out.push(`notification ${row.id} not marked delivered`);
  }
  return out;
}

beforeAll(async () => {
  world = await createJobsWorld();
  receiver = await startReceiver();
  // Every kind of event: confirmations, expiries, promotions off the waitlist, a cancellation.
  const seats = await world.seatIds('2A', 'TQ');
  for (let i = 0; i < 6; i++) await confirmedBooking(world, '2A', seats.slice(i * 2, i * 2 + 2));
  for (let i = 6; i < 12; i++) {
    await unpaidBooking(world, '2A', seats.slice(i * 2, i * 2 + 2), { dueAgoMs: 1_000 });
  }
  for (let i = 0; i < 14; i++) await waitlisted(world, '2A', 1);
  await cancelledWaitlist(world, 'SL');
  await world.rebuild();
  await expireDueBookings(world.worker());
});
afterAll(async () => {
  await receiver.close();
  await world.close();
});
beforeEach(() => {
  receiver.respond = () => 204;
});

describe('booking notifications', () => {
  it('records each transition exactly once in the outbox, in the same transaction', async () => {
    const counts = await world.db.db.execute<{ event: string; n: number }>(sql`
      select event, count(*)::int as n from notifications group by event order by event`);
    expect(Object.fromEntries(counts.rows.map((r) => [r.event, r.n]))).toEqual({
      cancelled: 1,
      confirmed: 6,
      expired: 6,
      promoted: 12,
    });
  });

  it('delivers each notification exactly once from 4 senders at once, signed', async () => {
    const results = await Promise.all(
      Array.from({ length: workers }, () => sendDueNotifications(sender(), { batch: 4 })),
    );
    expect(results.reduce((sum, r) => sum + r.delivered, 0)).toBe(25);
    expect(results.every((r) => r.deferred === 0 && r.failed === 0)).toBe(true);
    expect(await deliveryViolations()).toEqual([]);
    expect(receiver.deliveries).toHaveLength(25);
    // Nothing is due any more.
    const again = await Promise.all(
      Array.from({ length: workers }, () => sendDueNotifications(sender())),
    );
    expect(again.reduce((sum, r) => sum + r.delivered, 0)).toBe(0);
    expect(receiver.deliveries).toHaveLength(25);
    const promoted = receiver.deliveries.find((d) => d.type === 'booking.promoted');
    expect(promoted?.body).toMatchObject({
      event: 'promoted',
      booking: { status: 'PENDING_PAYMENT', classCode: '2A', quota: 'TQ' },
    });
  });

  it('a sender that died mid-delivery is covered: the lease lapses and another delivers', async () => {
    const booking = await confirmedBooking(
      world,
      '3A',
      (await world.seatIds('3A', 'TQ')).slice(0, 1),
    );
    // What a claim does, by a sender that then dies: attempts counted, a short lease taken.
    await world.db.db.execute(sql`
      update notifications set attempts = attempts + 1,
             claimed_until = now() + interval '300 milliseconds'
       where booking_id = ${booking.bookingId}`);
    const before = receiver.deliveries.length;
    const early = await sendDueNotifications(sender());
    expect(early.delivered).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const results = await Promise.all(
      Array.from({ length: workers }, () => sendDueNotifications(sender())),
    );
    expect(results.reduce((sum, r) => sum + r.delivered, 0)).toBe(1);
    expect(receiver.deliveries.length - before).toBe(1);
    expect(await deliveryViolations()).toEqual([]);
  });

  it('retries a failing receiver later and gives up after maxAttempts, logged as an error', async () => {
    const booking = await confirmedBooking(
      world,
      '3A',
      (await world.seatIds('3A', 'TQ')).slice(1, 2),
    );
    receiver.respond = () => 500;
    const options = { maxAttempts: 2, retryBaseMs: 0 };
    const first = await sendDueNotifications(sender(), options);
    expect(first).toEqual({ delivered: 0, deferred: 1, failed: 0 });
    const second = await sendDueNotifications(sender(), options);
    expect(second).toEqual({ delivered: 0, deferred: 0, failed: 1 });
    const [row] = (await rows()).filter((r) => Number(r.booking_id) === booking.bookingId);
    expect(row).toMatchObject({ attempts: 2, delivered: false, failed: true });
    expect(row?.last_error).toContain('webhook answered 500');
    // Four HTTP requests: two attempts per delivery, two deliveries.
    expect(receiver.deliveries.filter((d) => d.eventId === row?.id)).toHaveLength(4);
    const given = world.logs.filter((l) => l.msg === 'booking notification given up');
    expect(given.map((l) => l.notificationId)).toEqual([Number(row?.id)]);
    expect(given[0]?.level).toBe('error');
    // A failed row is not picked up again.
    receiver.respond = () => 204;
    expect(await sendDueNotifications(sender(), options)).toEqual({
      delivered: 0,
      deferred: 0,
      failed: 0,
    });
  });

  it('negative control: sending without claiming delivers twice and the check catches it', async () => {
    const seats = await world.seatIds('3A', 'TQ');
    for (let i = 2; i < 6; i++) await confirmedBooking(world, '3A', seats.slice(i, i + 1));
    const arrive = barrier(workers);
    await Promise.all(Array.from({ length: workers }, () => naiveSend(sender(), arrive)));
    const found = await deliveryViolations();
    expect(found.filter((line) => line.endsWith(`delivered ${workers} times`))).toHaveLength(4);
  });
});

/** The broken sender: reads undelivered rows without SKIP LOCKED or a lease, sends, marks. */
async function naiveSend(deps: JobDeps, arrive: () => Promise<void>): Promise<void> {
  const due = await deps.db.db.execute<{ id: string; event: 'confirmed'; booking_id: string }>(sql`
    select id, event, booking_id from notifications
     where delivered_at is null and failed_at is null order by id`);
  await arrive();
  for (const row of due.rows) {
    await deps.notifier.send({
      id: Number(row.id),
      event: row.event,
      occurredAt: new Date().toISOString(),
      booking: {
        id: Number(row.booking_id),
        pnr: '0000000000',
        journeyId: world.journeyId,
        classCode: '3A',
        quota: 'TQ',
        status: 'CONFIRMED',
        subject: 'naive',
        waitlistNumber: null,
        expiresAt: null,
      },
    });
    await deps.db.db.execute(
      sql`update notifications set delivered_at = now() where id = ${row.id}`,
    );
  }
}
