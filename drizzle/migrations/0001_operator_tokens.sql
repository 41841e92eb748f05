CREATE TABLE "operator_tokens" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "operator_tokens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"role" text NOT NULL,
	"token_sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "operator_tokens_sha256_uniq" UNIQUE("token_sha256"),
	CONSTRAINT "operator_tokens_name_check" CHECK (char_length("operator_tokens"."name") between 1 and 200),
	CONSTRAINT "operator_tokens_role_check" CHECK ("operator_tokens"."role" in ('viewer', 'operator')),
	CONSTRAINT "operator_tokens_sha256_check" CHECK ("operator_tokens"."token_sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "emergency_brake" boolean DEFAULT false NOT NULL;