CREATE TABLE "instance_setup" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"admin_id" text,
	"completed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "instance_setup_one_row" CHECK ("instance_setup"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "instance_setup" ADD CONSTRAINT "instance_setup_admin_id_users_id_fk" FOREIGN KEY ("admin_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- An instance that already has accounts was set up before this table existed.
INSERT INTO "instance_setup" ("id", "admin_id") SELECT 1, (SELECT "id" FROM "users" WHERE "role" = 'admin' ORDER BY "created_at" LIMIT 1) WHERE EXISTS (SELECT 1 FROM "users");
