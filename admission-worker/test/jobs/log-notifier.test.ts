// The log sender: one structured line per notification, with what an operator needs to find it.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { createLogNotifier } from '../../src/jobs/index.ts';

it('writes one JSON line per notification', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const notifier = createLogNotifier(pino({ level: 'info' }, sink));
  await notifier.send({
    id: 9,
    event: 'expired',
    occurredAt: '2026-11-21T10:00:00.000Z',
    booking: {
      id: 3,
      pnr: '9876543210',
      journeyId: 2,
      classCode: 'SL',
      quota: 'TQ',
      status: 'EXPIRED',
      subject: 'visitor-3',
      waitlistNumber: null,
      expiresAt: '2026-11-21T09:59:00.000Z',
    },
  });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({
    msg: 'booking notification',
    notificationId: 9,
    event: 'booking.expired',
    pnr: '9876543210',
    bookingId: 3,
    journeyId: 2,
    subject: 'visitor-3',
  });
});
