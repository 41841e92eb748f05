// Bad rows, one change each from the valid rows in valid-rows.ts, and the
// constraint that must refuse them.
export type Row = Record<string, unknown>;

export interface RefusedRow {
  table: string;
  change: Row;
  constraint: string;
  /** 23514 check, 23505 unique, 23503 foreign key. */
  code?: '23514' | '23505' | '23503';
}

export const refusedRows: RefusedRow[] = [
  { table: 'stations', change: { code: 'ndls' }, constraint: 'stations_code_check' },
  { table: 'trains', change: { number: '1234' }, constraint: 'trains_number_check' },
  { table: 'trains', change: { to_station_code: 'HWH' }, constraint: 'trains_distinct_ends_check' },
  {
    table: 'trains',
    change: { to_station_code: 'XYZ' },
    constraint: 'trains_to_station_code_stations_code_fk',
    code: '23503',
  },
  { table: 'coaches', change: { code: 'sleeper' }, constraint: 'coaches_code_check' },
  { table: 'coaches', change: { class_code: 'CC' }, constraint: 'coaches_class_code_check' },
  {
    table: 'coaches',
    change: { code: 'S1' },
    constraint: 'coaches_train_code_uniq',
    code: '23505',
  },
  {
    table: 'journeys',
    change: { departs_at: '2025-03-01T20:00:00Z' },
    constraint: 'journeys_departs_on_travel_date_check',
  },
  { table: 'seats', change: { berth_type: 'XB' }, constraint: 'seats_berth_type_check' },
  { table: 'seats', change: { quota: 'LD' }, constraint: 'seats_quota_check' },
  { table: 'seats', change: { berth_number: 0 }, constraint: 'seats_berth_number_check' },
  {
    table: 'seats',
    change: { class_code: '2A' },
    constraint: 'seats_coach_train_class_fk',
    code: '23503',
  },
  { table: 'fares', change: { base_fare_paise: -100 }, constraint: 'fares_base_fare_paise_check' },
  { table: 'fares', change: { base_fare_paise: 0 }, constraint: 'fares_base_fare_paise_check' },
  {
    table: 'tatkal_charge_rules',
    change: { min_charge_paise: 50_001 },
    constraint: 'tatkal_charge_rules_bounds_check',
  },
  {
    table: 'tatkal_charge_rules',
    change: { percent_of_base_fare: 0 },
    constraint: 'tatkal_charge_rules_percent_check',
  },
  { table: 'rooms', change: { id: 'Tatkal AC' }, constraint: 'rooms_id_slug_check' },
  { table: 'rooms', change: { mode: 'lifo' }, constraint: 'rooms_mode_check' },
  { table: 'rooms', change: { status: 'draining' }, constraint: 'rooms_status_check' },
  { table: 'rooms', change: { class_codes: ['2S'] }, constraint: 'rooms_class_codes_check' },
  { table: 'rooms', change: { class_codes: [] }, constraint: 'rooms_class_codes_check' },
  { table: 'rooms', change: { quotas: ['LD'] }, constraint: 'rooms_quotas_check' },
  {
    table: 'rooms',
    change: { sale_opens_at: '2025-03-01T04:14:00Z' },
    constraint: 'rooms_schedule_order_check',
  },
  {
    table: 'rooms',
    change: { closes_at: '2025-03-01T04:30:00Z' },
    constraint: 'rooms_schedule_order_check',
  },
  { table: 'rooms', change: { min_admit_per_second: 300 }, constraint: 'rooms_admit_bounds_check' },
  { table: 'rooms', change: { min_admit_per_second: -1 }, constraint: 'rooms_admit_bounds_check' },
  { table: 'rooms', change: { session_seconds: 0 }, constraint: 'rooms_session_seconds_check' },
  { table: 'rooms', change: { tick_interval_ms: 10 }, constraint: 'rooms_tick_interval_ms_check' },
  { table: 'rooms', change: { pow_difficulty: 33 }, constraint: 'rooms_pow_difficulty_check' },
  {
    table: 'rooms',
    change: { shuffle_seed: 'c0ffee' },
    constraint: 'rooms_shuffle_seed_committed_check',
  },
  { table: 'bookings', change: { pnr: '123456789' }, constraint: 'bookings_pnr_check' },
  { table: 'bookings', change: { status: 'BOOKED' }, constraint: 'bookings_status_check' },
  {
    table: 'bookings',
    change: { quota: 'LD', tatkal_charge_paise: 0, total_paise: 64_500 },
    constraint: 'bookings_quota_check',
  },
  { table: 'bookings', change: { total_paise: 83_851 }, constraint: 'bookings_total_check' },
  {
    table: 'bookings',
    change: { base_fare_paise: -100, tatkal_charge_paise: 0, total_paise: -100 },
    constraint: 'bookings_amounts_non_negative_check',
  },
  { table: 'bookings', change: { quota: 'GN' }, constraint: 'bookings_tatkal_charge_quota_check' },
  {
    table: 'bookings',
    change: { premium_surcharge_paise: 5_000, total_paise: 88_850 },
    constraint: 'bookings_premium_surcharge_quota_check',
  },
  {
    table: 'bookings',
    change: { quota: 'PT', waitlist_number: 3 },
    constraint: 'bookings_waitlist_number_check',
  },
  {
    table: 'bookings',
    change: { status: 'WAITLISTED' },
    constraint: 'bookings_waitlisted_has_number_check',
  },
  { table: 'bookings', change: { expires_at: null }, constraint: 'bookings_pending_expires_check' },
  { table: 'bookings', change: { status: 'CONFIRMED' }, constraint: 'bookings_confirmed_at_check' },
  { table: 'bookings', change: { status: 'CANCELLED' }, constraint: 'bookings_cancelled_at_check' },
  {
    table: 'bookings',
    change: { status: 'WAITLISTED', waitlist_number: 1 },
    constraint: 'bookings_waitlist_number_uniq',
    code: '23505',
  },
  { table: 'passengers', change: { age: 126 }, constraint: 'passengers_age_check' },
  { table: 'passengers', change: { age: -1 }, constraint: 'passengers_age_check' },
  { table: 'passengers', change: { ordinal: 7 }, constraint: 'passengers_ordinal_check' },
  {
    table: 'passengers',
    change: { ordinal: 1 },
    constraint: 'passengers_booking_ordinal_uniq',
    code: '23505',
  },
  { table: 'passengers', change: { name: '' }, constraint: 'passengers_name_check' },
  { table: 'passengers', change: { name: '   ' }, constraint: 'passengers_name_check' },
  { table: 'passengers', change: { name: 'A'.repeat(65) }, constraint: 'passengers_name_check' },
  { table: 'passengers', change: { gender: 'X' }, constraint: 'passengers_gender_check' },
  {
    table: 'passengers',
    change: { berth_preference: 'WS' },
    constraint: 'passengers_berth_preference_check',
  },
  { table: 'payments', change: { amount_paise: 0 }, constraint: 'payments_amount_paise_check' },
  { table: 'payments', change: { status: 'PAID' }, constraint: 'payments_status_check' },
  {
    table: 'payments',
    change: { provider_ref: 'sim_existing' },
    constraint: 'payments_provider_ref_uniq',
    code: '23505',
  },
  {
    table: 'idempotency_keys',
    change: { method: 'GET' },
    constraint: 'idempotency_keys_method_check',
  },
  {
    table: 'idempotency_keys',
    change: { state: 'completed' },
    constraint: 'idempotency_keys_response_check',
  },
  {
    table: 'idempotency_keys',
    change: { response_status: 201 },
    constraint: 'idempotency_keys_response_check',
  },
  { table: 'idempotency_keys', change: { key: '' }, constraint: 'idempotency_keys_key_check' },
  {
    table: 'admission_batches',
    change: { first_number: 11, last_number: 10 },
    constraint: 'admission_batches_range_check',
  },
  {
    table: 'admission_batches',
    change: { last_number: null },
    constraint: 'admission_batches_range_check',
  },
  {
    table: 'admission_batches',
    change: { skipped_count: -1 },
    constraint: 'admission_batches_counts_check',
  },
  {
    table: 'admission_batches',
    change: { first_number: 1, last_number: 5 },
    constraint: 'admission_batches_room_first_number_uniq',
    code: '23505',
  },
  {
    table: 'operator_audit_log',
    change: { actor: '' },
    constraint: 'operator_audit_log_actor_check',
  },
];
