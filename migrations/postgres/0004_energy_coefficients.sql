CREATE TABLE "energy_coefficients" (
	"model" text PRIMARY KEY NOT NULL,
	"size_class" text NOT NULL,
	"wh_per_1k_input" double precision NOT NULL,
	"wh_per_1k_cached_input" double precision NOT NULL,
	"wh_per_1k_output" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
