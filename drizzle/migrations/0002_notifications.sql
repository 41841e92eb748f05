CREATE TABLE "notifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"booking_id" bigint NOT NULL,
	"event" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_until" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "notifications_booking_event_uniq" UNIQUE("booking_id","event"),
	CONSTRAINT "notifications_event_check" CHECK ("notifications"."event" in ('confirmed', 'expired', 'cancelled', 'promoted')),
	CONSTRAINT "notifications_attempts_check" CHECK ("notifications"."attempts" >= 0),
	CONSTRAINT "notifications_settled_once_check" CHECK ("notifications"."delivered_at" is null or "notifications"."failed_at" is null)
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "notifications" USING btree ("next_attempt_at","id") WHERE "notifications"."delivered_at" is null and "notifications"."failed_at" is null;--> statement-breakpoint
-- Hand-written below (drizzle-kit does not model triggers): every booking status change that
-- a booker must hear about records its notification in the same transaction, exactly once.
CREATE FUNCTION "record_booking_notification"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	kind text;
BEGIN
	kind := CASE
		WHEN NEW.status = 'CONFIRMED' THEN 'confirmed'
		WHEN NEW.status = 'EXPIRED' THEN 'expired'
		WHEN NEW.status = 'CANCELLED' THEN 'cancelled'
		WHEN TG_OP = 'UPDATE' AND OLD.status = 'WAITLISTED' AND NEW.status = 'PENDING_PAYMENT' THEN 'promoted'
	END;
	IF kind IS NOT NULL THEN
		INSERT INTO "notifications" ("booking_id", "event") VALUES (NEW.id, kind)
		ON CONFLICT ("booking_id", "event") DO NOTHING;
	END IF;
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "bookings_notify_insert" AFTER INSERT ON "bookings"
	FOR EACH ROW WHEN (NEW.status IN ('CONFIRMED', 'EXPIRED', 'CANCELLED'))
	EXECUTE FUNCTION "record_booking_notification"();
--> statement-breakpoint
CREATE TRIGGER "bookings_notify_status" AFTER UPDATE OF "status" ON "bookings"
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
	EXECUTE FUNCTION "record_booking_notification"();
