CREATE TABLE "admission_batches" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "admission_batches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"room_id" text NOT NULL,
	"first_number" bigint,
	"last_number" bigint,
	"admitted_count" integer NOT NULL,
	"skipped_count" integer DEFAULT 0 NOT NULL,
	"worker_id" text NOT NULL,
	"decision" jsonb NOT NULL,
	"admitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admission_batches_room_first_number_uniq" UNIQUE("room_id","first_number"),
	CONSTRAINT "admission_batches_range_check" CHECK (("admission_batches"."first_number" is null) = ("admission_batches"."last_number" is null) and "admission_batches"."first_number" >= 0 and "admission_batches"."first_number" <= "admission_batches"."last_number"),
	CONSTRAINT "admission_batches_counts_check" CHECK ("admission_batches"."admitted_count" >= 0 and "admission_batches"."skipped_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "bookings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bookings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"pnr" text NOT NULL,
	"journey_id" integer NOT NULL,
	"room_id" text,
	"subject" text NOT NULL,
	"class_code" text NOT NULL,
	"quota" text NOT NULL,
	"status" text NOT NULL,
	"base_fare_paise" integer NOT NULL,
	"tatkal_charge_paise" integer DEFAULT 0 NOT NULL,
	"premium_surcharge_paise" integer DEFAULT 0 NOT NULL,
	"total_paise" integer NOT NULL,
	"waitlist_number" integer,
	"token_jti" text,
	"hold_id" text,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "bookings_pnr_uniq" UNIQUE("pnr"),
	CONSTRAINT "bookings_hold_id_uniq" UNIQUE("hold_id"),
	CONSTRAINT "bookings_waitlist_number_uniq" UNIQUE("journey_id","class_code","quota","waitlist_number"),
	CONSTRAINT "bookings_id_journey_uniq" UNIQUE("id","journey_id"),
	CONSTRAINT "bookings_pnr_check" CHECK ("bookings"."pnr" ~ '^[0-9]{10}$'),
	CONSTRAINT "bookings_subject_check" CHECK (char_length("bookings"."subject") between 1 and 200),
	CONSTRAINT "bookings_class_code_check" CHECK ("bookings"."class_code" in ('1A', '2A', '3A', 'SL')),
	CONSTRAINT "bookings_quota_check" CHECK ("bookings"."quota" in ('GN', 'TQ', 'PT')),
	CONSTRAINT "bookings_status_check" CHECK ("bookings"."status" in ('PENDING_PAYMENT', 'CONFIRMED', 'WAITLISTED', 'CANCELLED', 'EXPIRED', 'REFUND_PENDING')),
	CONSTRAINT "bookings_amounts_non_negative_check" CHECK ("bookings"."base_fare_paise" >= 0 and "bookings"."tatkal_charge_paise" >= 0 and "bookings"."premium_surcharge_paise" >= 0),
	CONSTRAINT "bookings_total_check" CHECK ("bookings"."total_paise" = "bookings"."base_fare_paise" + "bookings"."tatkal_charge_paise" + "bookings"."premium_surcharge_paise"),
	CONSTRAINT "bookings_tatkal_charge_quota_check" CHECK ("bookings"."quota" in ('TQ', 'PT') or "bookings"."tatkal_charge_paise" = 0),
	CONSTRAINT "bookings_premium_surcharge_quota_check" CHECK ("bookings"."quota" = 'PT' or "bookings"."premium_surcharge_paise" = 0),
	CONSTRAINT "bookings_waitlist_number_check" CHECK ("bookings"."waitlist_number" is null or ("bookings"."waitlist_number" > 0 and "bookings"."quota" <> 'PT')),
	CONSTRAINT "bookings_waitlisted_has_number_check" CHECK ("bookings"."status" <> 'WAITLISTED' or "bookings"."waitlist_number" is not null),
	CONSTRAINT "bookings_pending_expires_check" CHECK ("bookings"."status" <> 'PENDING_PAYMENT' or "bookings"."expires_at" is not null),
	CONSTRAINT "bookings_confirmed_at_check" CHECK ("bookings"."status" <> 'CONFIRMED' or "bookings"."confirmed_at" is not null),
	CONSTRAINT "bookings_cancelled_at_check" CHECK ("bookings"."status" <> 'CANCELLED' or "bookings"."cancelled_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "coaches" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "coaches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"train_number" text NOT NULL,
	"code" text NOT NULL,
	"class_code" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "coaches_train_code_uniq" UNIQUE("train_number","code"),
	CONSTRAINT "coaches_train_position_uniq" UNIQUE("train_number","position"),
	CONSTRAINT "coaches_id_train_class_uniq" UNIQUE("id","train_number","class_code"),
	CONSTRAINT "coaches_code_check" CHECK ("coaches"."code" ~ '^[A-Z]{1,2}[0-9]{1,2}$'),
	CONSTRAINT "coaches_class_code_check" CHECK ("coaches"."class_code" in ('1A', '2A', '3A', 'SL')),
	CONSTRAINT "coaches_position_check" CHECK ("coaches"."position" between 1 and 30)
);
--> statement-breakpoint
CREATE TABLE "fares" (
	"train_number" text NOT NULL,
	"class_code" text NOT NULL,
	"base_fare_paise" integer NOT NULL,
	CONSTRAINT "fares_pk" PRIMARY KEY("train_number","class_code"),
	CONSTRAINT "fares_class_code_check" CHECK ("fares"."class_code" in ('1A', '2A', '3A', 'SL')),
	CONSTRAINT "fares_base_fare_paise_check" CHECK ("fares"."base_fare_paise" > 0)
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"subject" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"state" text DEFAULT 'in_flight' NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone DEFAULT now() + interval '24 hours' NOT NULL,
	CONSTRAINT "idempotency_keys_pk" PRIMARY KEY("subject","key"),
	CONSTRAINT "idempotency_keys_key_check" CHECK (char_length("idempotency_keys"."key") between 1 and 255),
	CONSTRAINT "idempotency_keys_method_check" CHECK ("idempotency_keys"."method" in ('POST', 'PUT', 'PATCH', 'DELETE')),
	CONSTRAINT "idempotency_keys_state_check" CHECK ("idempotency_keys"."state" in ('in_flight', 'completed')),
	CONSTRAINT "idempotency_keys_response_check" CHECK (("idempotency_keys"."state" = 'completed') = ("idempotency_keys"."response_status" is not null)),
	CONSTRAINT "idempotency_keys_response_status_check" CHECK ("idempotency_keys"."response_status" is null or "idempotency_keys"."response_status" between 100 and 599),
	CONSTRAINT "idempotency_keys_expiry_check" CHECK ("idempotency_keys"."expires_at" > "idempotency_keys"."created_at")
);
--> statement-breakpoint
CREATE TABLE "journeys" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "journeys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"train_number" text NOT NULL,
	"travel_date" date NOT NULL,
	"departs_at" timestamp with time zone NOT NULL,
	CONSTRAINT "journeys_train_date_uniq" UNIQUE("train_number","travel_date"),
	CONSTRAINT "journeys_id_train_uniq" UNIQUE("id","train_number"),
	CONSTRAINT "journeys_departs_on_travel_date_check" CHECK (("journeys"."departs_at" at time zone 'Asia/Kolkata')::date = "journeys"."travel_date")
);
--> statement-breakpoint
CREATE TABLE "operator_audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "operator_audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"actor" text NOT NULL,
	"role" text NOT NULL,
	"action" text NOT NULL,
	"room_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "operator_audit_log_actor_check" CHECK (char_length("operator_audit_log"."actor") between 1 and 200),
	CONSTRAINT "operator_audit_log_role_check" CHECK (char_length("operator_audit_log"."role") between 1 and 50),
	CONSTRAINT "operator_audit_log_action_check" CHECK (char_length("operator_audit_log"."action") between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "passengers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "passengers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"booking_id" bigint NOT NULL,
	"ordinal" integer NOT NULL,
	"name" text NOT NULL,
	"age" integer NOT NULL,
	"gender" text NOT NULL,
	"berth_preference" text,
	CONSTRAINT "passengers_booking_ordinal_uniq" UNIQUE("booking_id","ordinal"),
	CONSTRAINT "passengers_id_booking_uniq" UNIQUE("id","booking_id"),
	CONSTRAINT "passengers_ordinal_check" CHECK ("passengers"."ordinal" between 1 and 6),
	CONSTRAINT "passengers_name_check" CHECK (char_length("passengers"."name") between 1 and 64 and btrim("passengers"."name") <> ''),
	CONSTRAINT "passengers_age_check" CHECK ("passengers"."age" between 0 and 125),
	CONSTRAINT "passengers_gender_check" CHECK ("passengers"."gender" in ('M', 'F', 'T')),
	CONSTRAINT "passengers_berth_preference_check" CHECK ("passengers"."berth_preference" is null or "passengers"."berth_preference" in ('LB', 'MB', 'UB', 'SL', 'SU'))
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "payments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"booking_id" bigint NOT NULL,
	"provider" text NOT NULL,
	"provider_ref" text NOT NULL,
	"amount_paise" integer NOT NULL,
	"status" text DEFAULT 'INITIATED' NOT NULL,
	"event" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_provider_ref_uniq" UNIQUE("provider","provider_ref"),
	CONSTRAINT "payments_provider_check" CHECK ("payments"."provider" ~ '^[a-z][a-z0-9_-]{1,31}$'),
	CONSTRAINT "payments_provider_ref_check" CHECK (char_length("payments"."provider_ref") between 1 and 128),
	CONSTRAINT "payments_amount_paise_check" CHECK ("payments"."amount_paise" > 0),
	CONSTRAINT "payments_status_check" CHECK ("payments"."status" in ('INITIATED', 'SUCCEEDED', 'FAILED', 'REFUND_REQUIRED'))
);
--> statement-breakpoint
CREATE TABLE "rooms" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"journey_id" integer,
	"class_codes" text[] NOT NULL,
	"quotas" text[] NOT NULL,
	"mode" text DEFAULT 'fifo' NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"prequeue_opens_at" timestamp with time zone NOT NULL,
	"sale_opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"session_seconds" integer DEFAULT 600 NOT NULL,
	"abandon_after_seconds" integer DEFAULT 60 NOT NULL,
	"tick_interval_ms" integer DEFAULT 1000 NOT NULL,
	"min_admit_per_second" integer DEFAULT 1 NOT NULL,
	"max_admit_per_second" integer DEFAULT 200 NOT NULL,
	"max_active_sessions" integer DEFAULT 2000 NOT NULL,
	"latency_target_ms" integer DEFAULT 150 NOT NULL,
	"pow_difficulty" integer DEFAULT 0 NOT NULL,
	"shuffle_seed_hash" text,
	"shuffle_seed" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rooms_id_slug_check" CHECK ("rooms"."id" ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
	CONSTRAINT "rooms_name_check" CHECK (char_length("rooms"."name") between 1 and 120),
	CONSTRAINT "rooms_class_codes_check" CHECK (cardinality("rooms"."class_codes") > 0 and "rooms"."class_codes" <@ array['1A', '2A', '3A', 'SL']::text[]),
	CONSTRAINT "rooms_quotas_check" CHECK (cardinality("rooms"."quotas") > 0 and "rooms"."quotas" <@ array['GN', 'TQ', 'PT']::text[]),
	CONSTRAINT "rooms_mode_check" CHECK ("rooms"."mode" in ('fifo', 'fifo_shuffle')),
	CONSTRAINT "rooms_status_check" CHECK ("rooms"."status" in ('scheduled', 'pre_queue', 'open', 'paused', 'closed')),
	CONSTRAINT "rooms_schedule_order_check" CHECK ("rooms"."prequeue_opens_at" <= "rooms"."sale_opens_at" and "rooms"."sale_opens_at" < "rooms"."closes_at"),
	CONSTRAINT "rooms_session_seconds_check" CHECK ("rooms"."session_seconds" > 0),
	CONSTRAINT "rooms_abandon_after_seconds_check" CHECK ("rooms"."abandon_after_seconds" > 0),
	CONSTRAINT "rooms_tick_interval_ms_check" CHECK ("rooms"."tick_interval_ms" between 100 and 60000),
	CONSTRAINT "rooms_admit_bounds_check" CHECK (0 <= "rooms"."min_admit_per_second" and "rooms"."min_admit_per_second" <= "rooms"."max_admit_per_second"),
	CONSTRAINT "rooms_max_active_sessions_check" CHECK ("rooms"."max_active_sessions" > 0),
	CONSTRAINT "rooms_latency_target_ms_check" CHECK ("rooms"."latency_target_ms" > 0),
	CONSTRAINT "rooms_pow_difficulty_check" CHECK ("rooms"."pow_difficulty" between 0 and 32),
	CONSTRAINT "rooms_shuffle_seed_committed_check" CHECK ("rooms"."shuffle_seed" is null or "rooms"."shuffle_seed_hash" is not null)
);
--> statement-breakpoint
CREATE TABLE "seat_assignments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "seat_assignments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"booking_id" bigint NOT NULL,
	"passenger_id" bigint NOT NULL,
	"journey_id" integer NOT NULL,
	"seat_id" bigint NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "seat_assignments_status_check" CHECK ("seat_assignments"."status" in ('PENDING', 'CONFIRMED', 'CANCELLED', 'EXPIRED'))
);
--> statement-breakpoint
CREATE TABLE "seats" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "seats_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"journey_id" integer NOT NULL,
	"train_number" text NOT NULL,
	"coach_id" integer NOT NULL,
	"class_code" text NOT NULL,
	"berth_number" integer NOT NULL,
	"berth_type" text NOT NULL,
	"quota" text NOT NULL,
	CONSTRAINT "seats_journey_coach_berth_uniq" UNIQUE("journey_id","coach_id","berth_number"),
	CONSTRAINT "seats_id_journey_uniq" UNIQUE("id","journey_id"),
	CONSTRAINT "seats_berth_number_check" CHECK ("seats"."berth_number" between 1 and 80),
	CONSTRAINT "seats_berth_type_check" CHECK ("seats"."berth_type" in ('LB', 'MB', 'UB', 'SL', 'SU')),
	CONSTRAINT "seats_class_code_check" CHECK ("seats"."class_code" in ('1A', '2A', '3A', 'SL')),
	CONSTRAINT "seats_quota_check" CHECK ("seats"."quota" in ('GN', 'TQ', 'PT')),
	CONSTRAINT "seats_berth_type_fits_class_check" CHECK (("seats"."class_code" <> '1A' or "seats"."berth_type" in ('LB', 'UB')) and ("seats"."class_code" <> '2A' or "seats"."berth_type" <> 'MB'))
);
--> statement-breakpoint
CREATE TABLE "stations" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "stations_code_check" CHECK ("stations"."code" ~ '^[A-Z]{1,5}$'),
	CONSTRAINT "stations_name_check" CHECK (char_length("stations"."name") between 1 and 80)
);
--> statement-breakpoint
CREATE TABLE "tatkal_charge_rules" (
	"class_code" text PRIMARY KEY NOT NULL,
	"percent_of_base_fare" integer NOT NULL,
	"min_charge_paise" integer NOT NULL,
	"max_charge_paise" integer NOT NULL,
	CONSTRAINT "tatkal_charge_rules_class_code_check" CHECK ("tatkal_charge_rules"."class_code" in ('1A', '2A', '3A', 'SL')),
	CONSTRAINT "tatkal_charge_rules_percent_check" CHECK ("tatkal_charge_rules"."percent_of_base_fare" between 1 and 100),
	CONSTRAINT "tatkal_charge_rules_bounds_check" CHECK (0 <= "tatkal_charge_rules"."min_charge_paise" and "tatkal_charge_rules"."min_charge_paise" <= "tatkal_charge_rules"."max_charge_paise")
);
--> statement-breakpoint
CREATE TABLE "trains" (
	"number" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"from_station_code" text NOT NULL,
	"to_station_code" text NOT NULL,
	CONSTRAINT "trains_number_check" CHECK ("trains"."number" ~ '^[0-9]{5}$'),
	CONSTRAINT "trains_name_check" CHECK (char_length("trains"."name") between 1 and 80),
	CONSTRAINT "trains_distinct_ends_check" CHECK ("trains"."from_station_code" <> "trains"."to_station_code")
);
--> statement-breakpoint
ALTER TABLE "admission_batches" ADD CONSTRAINT "admission_batches_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_journey_id_journeys_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journeys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaches" ADD CONSTRAINT "coaches_train_number_trains_number_fk" FOREIGN KEY ("train_number") REFERENCES "public"."trains"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fares" ADD CONSTRAINT "fares_train_number_trains_number_fk" FOREIGN KEY ("train_number") REFERENCES "public"."trains"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journeys" ADD CONSTRAINT "journeys_train_number_trains_number_fk" FOREIGN KEY ("train_number") REFERENCES "public"."trains"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operator_audit_log" ADD CONSTRAINT "operator_audit_log_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passengers" ADD CONSTRAINT "passengers_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rooms" ADD CONSTRAINT "rooms_journey_id_journeys_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journeys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seat_assignments" ADD CONSTRAINT "seat_assignments_booking_journey_fk" FOREIGN KEY ("booking_id","journey_id") REFERENCES "public"."bookings"("id","journey_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seat_assignments" ADD CONSTRAINT "seat_assignments_passenger_booking_fk" FOREIGN KEY ("passenger_id","booking_id") REFERENCES "public"."passengers"("id","booking_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seat_assignments" ADD CONSTRAINT "seat_assignments_seat_journey_fk" FOREIGN KEY ("seat_id","journey_id") REFERENCES "public"."seats"("id","journey_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seats" ADD CONSTRAINT "seats_journey_train_fk" FOREIGN KEY ("journey_id","train_number") REFERENCES "public"."journeys"("id","train_number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seats" ADD CONSTRAINT "seats_coach_train_class_fk" FOREIGN KEY ("coach_id","train_number","class_code") REFERENCES "public"."coaches"("id","train_number","class_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trains" ADD CONSTRAINT "trains_from_station_code_stations_code_fk" FOREIGN KEY ("from_station_code") REFERENCES "public"."stations"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trains" ADD CONSTRAINT "trains_to_station_code_stations_code_fk" FOREIGN KEY ("to_station_code") REFERENCES "public"."stations"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admission_batches_room_admitted_at_idx" ON "admission_batches" USING btree ("room_id","admitted_at");--> statement-breakpoint
CREATE INDEX "bookings_status_expires_at_idx" ON "bookings" USING btree ("status","expires_at");--> statement-breakpoint
CREATE INDEX "bookings_subject_created_at_idx" ON "bookings" USING btree ("subject","created_at");--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_at_idx" ON "idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "operator_audit_log_room_at_idx" ON "operator_audit_log" USING btree ("room_id","at");--> statement-breakpoint
CREATE INDEX "operator_audit_log_at_idx" ON "operator_audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "payments_booking_idx" ON "payments" USING btree ("booking_id");--> statement-breakpoint
CREATE UNIQUE INDEX "seat_assignments_live_seat_uidx" ON "seat_assignments" USING btree ("journey_id","seat_id") WHERE "seat_assignments"."status" in ('PENDING', 'CONFIRMED');--> statement-breakpoint
CREATE UNIQUE INDEX "seat_assignments_live_passenger_uidx" ON "seat_assignments" USING btree ("passenger_id") WHERE "seat_assignments"."status" in ('PENDING', 'CONFIRMED');--> statement-breakpoint
CREATE INDEX "seat_assignments_booking_idx" ON "seat_assignments" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "seats_journey_class_quota_idx" ON "seats" USING btree ("journey_id","class_code","quota");