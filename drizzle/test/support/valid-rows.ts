// One row per table that the schema accepts, in column names as PostgreSQL
// spells them. Constraint tests change one value at a time.
export interface Fixture {
  journeyId: number;
  /** Sleeper coach S1 of the seeded train. */
  slCoachId: number;
  /** A train that the seed gave no fares. */
  farelessTrain: string;
  roomId: string;
  bookingId: number;
  pnr: string;
}

export function validRows(f: Fixture): Record<string, Record<string, unknown>> {
  return {
    stations: { code: 'GHY', name: 'Guwahati' },
    trains: {
      number: '12423',
      name: 'Dibrugarh Rajdhani',
      from_station_code: 'HWH',
      to_station_code: 'NDLS',
    },
    coaches: { train_number: '12381', code: 'S9', class_code: 'SL', position: 20 },
    // 08:05 IST on 1 March.
    journeys: {
      train_number: '12381',
      travel_date: '2025-03-01',
      departs_at: '2025-03-01T02:35:00Z',
    },
    // S1 has 72 berths, so 73 is free on every journey.
    seats: {
      journey_id: f.journeyId,
      train_number: '12381',
      coach_id: f.slCoachId,
      class_code: 'SL',
      berth_number: 73,
      berth_type: 'LB',
      quota: 'GN',
    },
    fares: { train_number: f.farelessTrain, class_code: '3A', base_fare_paise: 190_000 },
    tatkal_charge_rules: {
      class_code: '1A',
      percent_of_base_fare: 30,
      min_charge_paise: 40_000,
      max_charge_paise: 50_000,
    },
    // 09:45, 10:00 and 12:00 IST on 1 March.
    rooms: {
      id: 'tatkal-ac-test',
      name: 'AC Tatkal test',
      journey_id: f.journeyId,
      class_codes: ['2A', '3A'],
      quotas: ['TQ', 'PT'],
      prequeue_opens_at: '2025-03-01T04:15:00Z',
      sale_opens_at: '2025-03-01T04:30:00Z',
      closes_at: '2025-03-01T06:30:00Z',
    },
    bookings: {
      pnr: f.pnr,
      journey_id: f.journeyId,
      room_id: f.roomId,
      subject: 'visitor-1',
      class_code: 'SL',
      quota: 'TQ',
      status: 'PENDING_PAYMENT',
      base_fare_paise: 64_500,
      tatkal_charge_paise: 19_350,
      premium_surcharge_paise: 0,
      total_paise: 83_850,
      expires_at: '2025-01-15T04:40:00Z',
    },
    passengers: {
      booking_id: f.bookingId,
      ordinal: 2,
      name: 'Ravi Kumar',
      age: 40,
      gender: 'M',
      berth_preference: 'LB',
    },
    payments: {
      booking_id: f.bookingId,
      provider: 'simulator',
      provider_ref: 'sim_1',
      amount_paise: 83_850,
      status: 'INITIATED',
      event: { type: 'payment.initiated' },
    },
    idempotency_keys: {
      subject: 'visitor-1',
      key: 'b7c1e0d2-booking',
      request_hash: 'sha256:0f1e',
      method: 'POST',
      path: '/bookings',
      state: 'in_flight',
    },
    admission_batches: {
      room_id: f.roomId,
      first_number: 6,
      last_number: 10,
      admitted_count: 5,
      skipped_count: 0,
      worker_id: 'worker-1',
      decision: { admit: 5, reason: 'healthy' },
    },
    operator_audit_log: {
      actor: 'ops@example.in',
      role: 'operator',
      action: 'room.pause',
      room_id: f.roomId,
      details: { room: f.roomId },
    },
  };
}
