// The Postgres side of Flightline: projects, API keys and (later) accounts, saved views and
// share links. Written for PostgreSQL 15 so it runs on PGlite and on a real server alike.
import { index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'

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

export type Project = typeof projects.$inferSelect
export type ApiKey = typeof apiKeys.$inferSelect
