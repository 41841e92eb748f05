// Premium Tatkal priced at commit from the quota's live fill, and quoteFare
// reading the seeded fares from PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelBooking, createBooking } from '../../src/bookings/index.ts';
import { quoteFare, readQuotaFill } from '../../src/fares/index.ts';
import { bookingRequest, openSale, type Sale } from '../bookings/support.ts';

let sale: Sale;
beforeAll(async () => {
  sale = await openSale();
});
afterAll(() => sale.close());

describe('fares from the database', () => {
  it('quotes the seeded fares and Tatkal rules', async () => {
    await expect(
      quoteFare(sale.client.db, {
        trainNumber: '12381',
        classCode: '2A',
        quota: 'TQ',
        passengers: 2,
      }),
    ).resolves.toEqual({
      baseFarePaise: 486_000,
      tatkalChargePaise: 100_000,
      premiumSurchargePaise: 0,
      totalPaise: 586_000,
    });
  });

  it('prices each Premium Tatkal booking by how full the quota was, rising to the cap', async () => {
    const seats = await sale.seatIds('3A', 'PT');
    expect(seats).toHaveLength(16);
    // sold before each booking: 0..15 of 16 -> bands 0,0,1,1,2,3,3,4,5,5,6,6,7,8,8,9.
    const percents = [10, 10, 20, 20, 30, 40, 40, 50, 60, 60, 70, 70, 80, 80, 80, 80];
    const subjects: string[] = [];
    const pnrs: string[] = [];
    for (const [i, seatId] of seats.entries()) {
      const request = bookingRequest(sale, [seatId], { quota: 'PT' });
      const booking = await createBooking(sale.deps, request);
      expect(booking.amount, `booking ${i + 1}`).toEqual({
        baseFarePaise: 168_000,
        tatkalChargePaise: 40_000,
        premiumSurchargePaise: (168_000 * (percents[i] ?? 0)) / 100,
        totalPaise: 208_000 + (168_000 * (percents[i] ?? 0)) / 100,
      });
      subjects.push(request.subject);
      pnrs.push(booking.pnr);
    }
    expect(
      await readQuotaFill(sale.client.db, {
        journeyId: sale.journeyId,
        classCode: '3A',
        quota: 'PT',
      }),
    ).toEqual({ sold: 16, capacity: 16 });
    // A seat given back lowers the fill for the next booker.
    await cancelBooking(sale.deps, {
      pnr: pnrs[0] ?? '',
      subject: subjects[0] ?? '',
      nowMs: sale.nowMs,
    });
    const again = await createBooking(
      sale.deps,
      bookingRequest(sale, [seats[0] ?? 0], { quota: 'PT' }),
    );
    expect(again.amount.premiumSurchargePaise).toBe((168_000 * 80) / 100);
  });
});
