// handlePaymentWebhook against PostgreSQL: refused deliveries change nothing;
// succeeded and failed events settle the booking once however often they come.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditBookings, cancelBooking, getBooking } from '../../src/bookings/index.ts';
import { BookingNotFound, PaymentAmountMismatch } from '../../src/domain/index.ts';
import {
  handlePaymentWebhook,
  type PaymentWebhookInput,
  type PaymentWebhookResult,
  signWebhook,
} from '../../src/payments/index.ts';
import {
  delivery,
  eventFor,
  fingerprint,
  openPaymentSale,
  type PaymentSale,
  webhookSecret,
} from './support.ts';

let sale: PaymentSale;
beforeAll(async () => {
  sale = await openPaymentSale();
});
afterAll(() => sale.close());

const handle = (
  input: Pick<PaymentWebhookInput, 'rawBody' | 'headers'> & Partial<PaymentWebhookInput>,
  onConfirmed?: (result: PaymentWebhookResult) => Promise<void>,
) =>
  handlePaymentWebhook(
    { db: sale.client.db, ...(onConfirmed ? { onConfirmed } : {}) },
    { secrets: [webhookSecret], nowMs: sale.nowMs, ...input },
  );
const subjectOf = async (bookingId: number) =>
  (
    await sale.client.pool.query<{ subject: string }>(
      'select subject from bookings where id = $1',
      [bookingId],
    )
  ).rows[0]?.subject ?? '';
const statusOf = async (pnr: string, bookingId: number) =>
  (await getBooking(sale.deps, { pnr, subject: await subjectOf(bookingId) })).status;

describe('refused deliveries change nothing', () => {
  const at = () => sale.nowMs;
  const body = (event: object) => JSON.stringify(event);
  type Case = [string, string, number, (raw: string) => Partial<PaymentWebhookInput>];
  const amount = (raw: string, to: string) =>
    raw.replace(/"amountPaise":[^,}]+/, `"amountPaise":${to}`);
  const cases: Case[] = [
    ['no signature header', 'webhook_signature_missing', 401, () => ({ headers: {} })],
    [
      'a malformed header',
      'webhook_signature_malformed',
      400,
      () => ({ headers: { 'tatkal-signature': 'v1=abc' } }),
    ],
    ['a stale timestamp', 'webhook_timestamp_stale', 401, (raw) => delivery(raw, at() - 301_000)],
    [
      'a timestamp an hour ahead',
      'webhook_timestamp_stale',
      401,
      (raw) => delivery(raw, at() + 3_600_000),
    ],
    [
      'the wrong secret',
      'webhook_signature_invalid',
      401,
      (raw) => delivery(raw, at(), 'whsec_attacker'),
    ],
    [
      'a tampered body',
      'webhook_signature_invalid',
      401,
      (raw) => ({ ...delivery(raw, at()), rawBody: amount(raw, '1') }),
    ],
    [
      'a signature of another body',
      'webhook_signature_invalid',
      401,
      (raw) => ({ ...delivery(`${raw} `, at()), rawBody: raw }),
    ],
    [
      'a captured header on a new body',
      'webhook_signature_invalid',
      401,
      (raw) => ({ headers: delivery('{}', at()).headers, rawBody: raw }),
    ],
    [
      'JSON that is not an event',
      'webhook_event_invalid',
      422,
      () => delivery('{"hello":"world"}', at()),
    ],
    ['a body that is not JSON', 'webhook_event_invalid', 422, () => delivery('payment ok', at())],
    [
      'an unknown event type',
      'webhook_event_invalid',
      422,
      (raw) => delivery(raw.replace('payment.succeeded', 'payment.refunded'), at()),
    ],
    ['a negative amount', 'webhook_event_invalid', 422, (raw) => delivery(amount(raw, '-5'), at())],
    [
      'a fractional amount',
      'webhook_event_invalid',
      422,
      (raw) => delivery(amount(raw, '10.5'), at()),
    ],
    [
      'an amount as a string',
      'webhook_event_invalid',
      422,
      (raw) => delivery(amount(raw, '"100"'), at()),
    ],
    [
      'an oversized payment reference',
      'webhook_event_invalid',
      422,
      (raw) =>
        delivery(raw.replace(/"paymentRef":"[^"]+"/, `"paymentRef":"${'r'.repeat(129)}"`), at()),
    ],
    [
      'a PNR of another booking',
      'payment_event_mismatch',
      422,
      (raw) => delivery(raw.replace(/"pnr":"\d+"/, '"pnr":"1000000001"'), at()),
    ],
    [
      'a booking that does not exist',
      'booking_not_found',
      404,
      (raw) => delivery(raw.replace(/"bookingId":\d+/, '"bookingId":999999'), at()),
    ],
    ['a wrong amount', 'payment_amount_mismatch', 422, (raw) => delivery(amount(raw, '1'), at())],
  ];

  it.each(cases)('%s → %s %d', async (_name, code, status, build) => {
    const booking = await sale.book();
    const raw = body(eventFor(booking));
    const before = await fingerprint(sale);
    const onConfirmed = vi.fn(async () => {});
    const attempt = handle({ rawBody: raw, headers: {}, ...build(raw) }, onConfirmed);
    await expect(attempt).rejects.toMatchObject({ code, status });
    expect(await fingerprint(sale)).toEqual(before);
    expect(onConfirmed).not.toHaveBeenCalled();
    expect(await statusOf(booking.pnr, booking.bookingId)).toBe('PENDING_PAYMENT');
  });

  it('refuses a payment.failed event with a bad signature the same way', async () => {
    const booking = await sale.book();
    const raw = body(eventFor(booking, { type: 'payment.failed' }));
    const before = await fingerprint(sale);
    await expect(handle(delivery(raw, sale.nowMs, 'whsec_attacker'))).rejects.toMatchObject({
      code: 'webhook_signature_invalid',
    });
    expect(await fingerprint(sale)).toEqual(before);
  });
});

describe('payment.succeeded', () => {
  it('confirms the booking once; a redelivery is a duplicate that writes nothing', async () => {
    const booking = await sale.book();
    const event = eventFor(booking);
    const onConfirmed = vi.fn(async (_result: PaymentWebhookResult) => {});
    const first = await handle(delivery(event, sale.nowMs), onConfirmed);
    expect(first).toMatchObject({
      outcome: 'confirmed',
      eventId: event.id,
      bookingId: booking.bookingId,
      paymentRef: event.paymentRef,
      payment: { status: 'CONFIRMED', needsRefund: false, duplicate: false },
    });
    const after = await fingerprint(sale);
    // Delivered again a minute later, with a fresh signature.
    const again = await handle(
      { ...delivery(event, sale.nowMs + 60_000), nowMs: sale.nowMs + 60_000 },
      onConfirmed,
    );
    expect(again.outcome).toBe('duplicate');
    expect(await fingerprint(sale)).toEqual(after);
    // Side effects are redone on every delivery that leaves the booking confirmed.
    expect(onConfirmed).toHaveBeenCalledTimes(2);
    const rows = await sale.paymentsOf(booking.bookingId);
    expect(rows).toMatchObject([
      { status: 'SUCCEEDED', providerRef: event.paymentRef, provider: 'simulator' },
    ]);
    expect(rows[0]?.event).toEqual(event);
    expect(await statusOf(booking.pnr, booking.bookingId)).toBe('CONFIRMED');
  });

  it('settles concurrent duplicate deliveries into one payment', async () => {
    const booking = await sale.book();
    const event = eventFor(booking);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => handle(delivery(event, sale.nowMs))),
    );
    expect(results.filter((r) => r.outcome === 'confirmed')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(11);
    expect(await sale.paymentsOf(booking.bookingId)).toHaveLength(1);
  });

  it('records a second payment for a confirmed booking as already_confirmed, to refund', async () => {
    const booking = await sale.book();
    await handle(delivery(eventFor(booking), sale.nowMs));
    const second = await handle(delivery(eventFor(booking), sale.nowMs));
    expect(second).toMatchObject({
      outcome: 'already_confirmed',
      payment: { status: 'CONFIRMED', needsRefund: true },
    });
    expect((await sale.paymentsOf(booking.bookingId)).map((p) => p.status)).toEqual([
      'SUCCEEDED',
      'REFUND_REQUIRED',
    ]);
  });

  it('answers refund_pending for a cancelled booking and does not run onConfirmed', async () => {
    const booking = await sale.book();
    await cancelBooking(sale.deps, {
      pnr: booking.pnr,
      subject: await subjectOf(booking.bookingId),
      nowMs: sale.nowMs,
    });
    const onConfirmed = vi.fn(async () => {});
    const result = await handle(delivery(eventFor(booking), sale.nowMs), onConfirmed);
    expect(result).toMatchObject({ outcome: 'refund_pending', payment: { needsRefund: true } });
    expect(onConfirmed).not.toHaveBeenCalled();
  });

  it('fails the delivery when onConfirmed throws, and the redelivery runs it again', async () => {
    const booking = await sale.book();
    const event = eventFor(booking);
    const onConfirmed = vi
      .fn(async (_result: PaymentWebhookResult) => {})
      .mockRejectedValueOnce(new Error('Redis down'));
    await expect(handle(delivery(event, sale.nowMs), onConfirmed)).rejects.toThrow('Redis down');
    // The booking is confirmed in PostgreSQL; the provider's retry finishes the side effects.
    const retry = await handle(delivery(event, sale.nowMs), onConfirmed);
    expect(retry.outcome).toBe('duplicate');
    expect(onConfirmed).toHaveBeenCalledTimes(2);
    expect(onConfirmed.mock.calls[1]?.[0].payment?.status).toBe('CONFIRMED');
  });

  it('stores the event as received, unknown members included', async () => {
    const booking = await sale.book();
    const event = { ...eventFor(booking), livemode: false, metadata: { attempt: 1 } };
    expect((await handle(delivery(event, sale.nowMs))).outcome).toBe('confirmed');
    expect((await sale.paymentsOf(booking.bookingId))[0]?.event).toEqual(event);
  });

  it('accepts the previous secret while secrets rotate', async () => {
    const booking = await sale.book();
    const result = await handle({
      ...delivery(eventFor(booking), sale.nowMs, 'whsec_old'),
      secrets: [webhookSecret, 'whsec_old'],
    });
    expect(result.outcome).toBe('confirmed');
  });

  it('reads the header from a Headers object and from node-style lower-case records', async () => {
    for (const style of ['Headers', 'record'] as const) {
      const booking = await sale.book();
      const raw = JSON.stringify(eventFor(booking));
      const header = signWebhook(webhookSecret, raw, sale.nowMs / 1000);
      const headers =
        style === 'Headers'
          ? new Headers({ 'Tatkal-Signature': header })
          : { 'tatkal-signature': header, 'content-type': 'application/json' };
      expect((await handle({ rawBody: Buffer.from(raw), headers })).outcome).toBe('confirmed');
    }
  });
});

describe('payment.failed', () => {
  it('records the failure, keeps the booking payable, and a retry with a new reference confirms', async () => {
    const booking = await sale.book();
    const failed = eventFor(booking, { type: 'payment.failed' });
    const onConfirmed = vi.fn(async () => {});
    expect((await handle(delivery(failed, sale.nowMs), onConfirmed)).outcome).toBe(
      'failed_recorded',
    );
    expect(await statusOf(booking.pnr, booking.bookingId)).toBe('PENDING_PAYMENT');
    const after = await fingerprint(sale);
    expect((await handle(delivery(failed, sale.nowMs))).outcome).toBe('duplicate');
    expect(await fingerprint(sale)).toEqual(after);

    const retried = await handle(delivery(eventFor(booking), sale.nowMs), onConfirmed);
    expect(retried.outcome).toBe('confirmed');
    expect(onConfirmed).toHaveBeenCalledTimes(1);
    expect(
      (await sale.paymentsOf(booking.bookingId)).map((p) => [p.status, p.providerRef]),
    ).toEqual([
      ['FAILED', failed.paymentRef],
      ['SUCCEEDED', retried.paymentRef],
    ]);
    expect(await auditBookings(sale.client.db, sale.journeyId)).toEqual([]);
  });

  it('never demotes a success reported later as failed for the same reference', async () => {
    const booking = await sale.book();
    const succeeded = eventFor(booking);
    await handle(delivery(succeeded, sale.nowMs));
    const lateFailure = { ...succeeded, id: 'evt_late', type: 'payment.failed' as const };
    expect((await handle(delivery(lateFailure, sale.nowMs))).outcome).toBe('duplicate');
    expect((await sale.paymentsOf(booking.bookingId)).map((p) => p.status)).toEqual(['SUCCEEDED']);
    expect(await statusOf(booking.pnr, booking.bookingId)).toBe('CONFIRMED');
  });

  it('lets a success replace an earlier failure of the same reference (card retried at the provider)', async () => {
    const booking = await sale.book();
    const failed = eventFor(booking, { type: 'payment.failed' });
    await handle(delivery(failed, sale.nowMs));
    const succeeded = { ...failed, id: 'evt_retry_ok', type: 'payment.succeeded' as const };
    const result = await handle(delivery(succeeded, sale.nowMs));
    expect(result.outcome).toBe('confirmed');
    expect((await sale.paymentsOf(booking.bookingId)).map((p) => p.status)).toEqual(['SUCCEEDED']);
    expect(await auditBookings(sale.client.db, sale.journeyId)).toEqual([]);
  });

  it('refuses a failure for a booking that does not exist', async () => {
    const booking = await sale.book();
    const event = eventFor(booking, { type: 'payment.failed', bookingId: 987_654 });
    await expect(handle(delivery(event, sale.nowMs))).rejects.toBeInstanceOf(BookingNotFound);
  });
});

it('maps the domain errors confirmPayment raises unchanged', async () => {
  const booking = await sale.book();
  const event = eventFor(booking, { amountPaise: booking.amount.totalPaise + 100 });
  await expect(handle(delivery(event, sale.nowMs))).rejects.toBeInstanceOf(PaymentAmountMismatch);
});
