CREATE TABLE "model_prices" (
	"model" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"input_per_mtok" double precision NOT NULL,
	"output_per_mtok" double precision NOT NULL,
	"cache_read_per_mtok" double precision NOT NULL,
	"cache_write_per_mtok" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
