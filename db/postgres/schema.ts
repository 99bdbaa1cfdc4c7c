// The Postgres side of Flightline: projects, API keys, model prices and (later) accounts, saved views and
// share links. Written for PostgreSQL 15 so it runs on PGlite and on a real server alike.
import { doublePrecision, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'

export const projects = pgTable('projects', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Per-project settings, e.g. { tenantAttribute: 'app.customer_id' }. */
  settings: jsonb('settings').$type<ProjectSettings>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export interface ProjectSettings {
  /** Attribute key that carries the tenant id when the app does not send `tenant.id`. */
  tenantAttribute?: string
}

export type ApiKeyScope = 'ingest' | 'read'

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** First characters of the key, shown in lists so people can tell keys apart. */
    prefix: text('prefix').notNull(),
    /** sha256 of the whole key; the key itself is never stored. */
    hash: text('hash').notNull(),
    scopes: text('scopes').array().$type<ApiKeyScope[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [uniqueIndex('api_keys_hash_idx').on(table.hash), index('api_keys_project_idx').on(table.projectId)],
)

/**
 * Model prices in USD per 1M tokens, instance-wide and editable by an administrator. Seeded from
 * lib/pricing/seed-prices.ts when empty. `model` matches a span's model by exact name or as a
 * prefix (dated snapshots such as gpt-4o-2024-08-06 find gpt-4o).
 */
export const modelPrices = pgTable('model_prices', {
  model: text('model').primaryKey(),
  provider: text('provider').notNull(),
  inputPerMtok: doublePrecision('input_per_mtok').notNull(),
  outputPerMtok: doublePrecision('output_per_mtok').notNull(),
  cacheReadPerMtok: doublePrecision('cache_read_per_mtok').notNull(),
  cacheWritePerMtok: doublePrecision('cache_write_per_mtok').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

export type Project = typeof projects.$inferSelect
export type ApiKey = typeof apiKeys.$inferSelect
export type ModelPriceRow = typeof modelPrices.$inferSelect
