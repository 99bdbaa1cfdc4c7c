CREATE TABLE "deletions" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_hash" text NOT NULL,
	"requested_by" text NOT NULL,
	"status" text NOT NULL,
	"rows_removed" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"traces" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "deletions" ADD CONSTRAINT "deletions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deletions_project_idx" ON "deletions" USING btree ("project_id","created_at");