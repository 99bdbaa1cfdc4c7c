// The Postgres side of Flightline: projects, API keys, model prices, accounts, saved views and
// share links. Written for PostgreSQL 15 so it runs on PGlite and on a real server alike.
import { sql } from 'drizzle-orm'
import { boolean, check, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'

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
  /** Redaction rules applied at ingest (lib/recorder/redaction.ts), and when they last changed. */
  redaction?: { rules: RedactionRuleSetting[]; updatedAt: string }
  /** Sampling policy (lib/recorder/sampling.ts); absent: every trace is kept. */
  sampling?: SamplingPolicySetting & { updatedAt: string }
  /** Days the project's data is kept; absent: the instance's FLIGHTLINE_RETENTION_DAYS. */
  retentionDays?: number
}

export interface RedactionRuleSetting {
  name: string
  detector?: string
  pattern?: string
  flags?: string
  replacement: string
  fields: string[]
}

export interface SamplingPolicySetting {
  rate: number
  keep_errors: boolean
  keep_slower_than_ms: number | null
  keep_tenants: string[]
}

/** ingest and read as named; `delete` allows deletion requests (POST /api/v1/deletions). */
export type ApiKeyScope = 'ingest' | 'read' | 'delete'

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

/** Energy estimates per model (Wh per 1,000 tokens), edited like prices; see lib/energy/. */
export const energyCoefficients = pgTable('energy_coefficients', {
  model: text('model').primaryKey(),
  /** small, medium, large, frontier or embedding: what the estimate was scaled from. */
  sizeClass: text('size_class').notNull(),
  whPer1kInput: doublePrecision('wh_per_1k_input').notNull(),
  whPer1kCachedInput: doublePrecision('wh_per_1k_cached_input').notNull(),
  whPer1kOutput: doublePrecision('wh_per_1k_output').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

export type Project = typeof projects.$inferSelect
export type ApiKey = typeof apiKeys.$inferSelect
export type ModelPriceRow = typeof modelPrices.$inferSelect
export type EnergyCoefficientRow = typeof energyCoefficients.$inferSelect

// ---- Accounts, saved views and share links ----------------------------------------------

/** Instance role: admin (everything), member (read and write in their projects), viewer (read only). */
export type UserRole = 'admin' | 'member' | 'viewer'

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    /** scrypt$N$r$p$salt$hash (see lib/auth/passwords.ts). */
    passwordHash: text('password_hash').notNull(),
    role: text('role').$type<UserRole>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
  },
  (table) => [uniqueIndex('users_email_idx').on(table.email)],
)

/**
 * First-run setup, done once: a row here means the administrator account exists. The table holds
 * at most one row (its key can only be 1), so of several setups submitted at the same moment the
 * database lets exactly one commit (lib/auth/users.ts createFirstAdmin).
 */
export const instanceSetup = pgTable(
  'instance_setup',
  {
    id: integer('id').primaryKey().default(1),
    adminId: text('admin_id').references(() => users.id, { onDelete: 'set null' }),
    completedAt: timestamp('completed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('instance_setup_one_row', sql`${table.id} = 1`)],
)

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie value; the cookie value itself is never stored. */
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('sessions_user_idx').on(table.userId)],
)

export const projectMembers = pgTable(
  'project_members',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('project_members_idx').on(table.projectId, table.userId)],
)

export const savedViews = pgTable(
  'saved_views',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The page path inside the project, e.g. /projects/p_1/analytics/cache. */
    path: text('path').notNull(),
    /** The page's complete URL state (query parameters). */
    state: jsonb('state').$type<Record<string, string>>().notNull().default({}),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('saved_views_project_idx').on(table.projectId)],
)

export const shareLinks = pgTable(
  'share_links',
  {
    id: text('id').primaryKey(),
    viewId: text('view_id')
      .notNull()
      .references(() => savedViews.id, { onDelete: 'cascade' }),
    /** sha256 of the token; the token is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [uniqueIndex('share_links_token_idx').on(table.tokenHash), index('share_links_view_idx').on(table.viewId)],
)

/**
 * The audit log of deletions (POST /api/v1/deletions): who asked, what kind of subject (its value
 * only as a sha256, so the log holds nothing of the deleted content), when, and what was removed.
 */
export const deletions = pgTable(
  'deletions',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    /** user_id, session_id, trace_id or tenant_id. */
    subjectType: text('subject_type').notNull(),
    subjectHash: text('subject_hash').notNull(),
    /** 'admin token', 'user:<email>' or 'key:<key id>'. */
    requestedBy: text('requested_by').notNull(),
    /** pending, running, done or failed. */
    status: text('status').notNull(),
    /** Rows removed per table, once done. */
    rowsRemoved: jsonb('rows_removed').$type<Record<string, number>>().notNull().default({}),
    traces: integer('traces').notNull().default(0),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [index('deletions_project_idx').on(table.projectId, table.createdAt)],
)

export type Deletion = typeof deletions.$inferSelect
export type User = typeof users.$inferSelect
export type SavedView = typeof savedViews.$inferSelect
export type ShareLink = typeof shareLinks.$inferSelect

// ---- Dashboards --------------------------------------------------------------------------

/** A widget of a dashboard: a chart definition (see lib/analytics/query-engine.ts) and where it sits. */
export interface DashboardWidget {
  title: string
  /** The chart's query, as POST /api/v1/query takes it; the board's range and tenant override its own. */
  query: Record<string, unknown>
  chart: 'line' | 'bar' | 'stacked' | 'table' | 'number'
  /** Grid position in a 12-column grid: column x, row y, w columns wide, h rows high. */
  layout: { x: number; y: number; w: number; h: number }
}

export const dashboards = pgTable(
  'dashboards',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    widgets: jsonb('widgets').$type<DashboardWidget[]>().notNull().default([]),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('dashboards_project_idx').on(table.projectId)],
)

export type Dashboard = typeof dashboards.$inferSelect

// ---- Monitors, incidents and notifications ----------------------------------------------

/** A webhook channel of a monitor. The secret signs every delivery (HMAC-SHA256 of the raw body). */
export interface MonitorChannel {
  type: 'webhook'
  url: string
  format: 'json' | 'slack'
  secret: string
}

/** What the evaluator last saw: ok, firing, or broken (its query failed). */
export type MonitorState = 'ok' | 'firing' | 'broken' | 'pending'

export const monitors = pgTable(
  'monitors',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    type: text('type').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    channels: jsonb('channels').$type<MonitorChannel[]>().notNull().default([]),
    enabled: boolean('enabled').notNull().default(true),
    /** Muted: still evaluated and incidents still recorded, but no notifications are sent. */
    muted: boolean('muted').notNull().default(false),
    evaluateEverySeconds: integer('evaluate_every_s').notNull(),
    /** When the evaluator next runs this monitor; claimed by a conditional update. */
    nextEvaluationAt: timestamp('next_evaluation_at', { withTimezone: true }).notNull().defaultNow(),
    state: text('state').$type<MonitorState>().notNull().default('pending'),
    lastEvaluatedAt: timestamp('last_evaluated_at', { withTimezone: true }),
    lastValue: doublePrecision('last_value'),
    lastError: text('last_error'),
    evaluations: integer('evaluations').notNull().default(0),
    /** Consecutive evaluations whose condition was clear while an incident was open. */
    clearStreak: integer('clear_streak').notNull().default(0),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('monitors_project_idx').on(table.projectId), index('monitors_due_idx').on(table.nextEvaluationAt)],
)

export interface IncidentSuspect {
  tenant?: string
  component?: string
  component_kind?: string
  trace?: string
}

export const incidents = pgTable(
  'incidents',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    monitorId: text('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    status: text('status').$type<'open' | 'resolved'>().notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** The last evaluation that found the condition (re-fires within the cool-down reopen). */
    lastFiredAt: timestamp('last_fired_at', { withTimezone: true }).notNull(),
    summary: text('summary').notNull(),
    suspect: jsonb('suspect').$type<IncidentSuspect>().notNull().default({}),
    value: doublePrecision('value'),
    threshold: doublePrecision('threshold'),
    /** The saved view and share link made for this incident; the token is kept to show the link. */
    viewId: text('view_id').references(() => savedViews.id, { onDelete: 'set null' }),
    shareLinkId: text('share_link_id'),
    shareToken: text('share_token'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('incidents_project_idx').on(table.projectId, table.startedAt), index('incidents_monitor_idx').on(table.monitorId, table.status)],
)

/** One notification to one channel; retried with backoff until delivered or out of attempts. */
export const monitorDeliveries = pgTable(
  'monitor_deliveries',
  {
    id: text('id').primaryKey(),
    monitorId: text('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    incidentId: text('incident_id'),
    channelIndex: integer('channel_index').notNull(),
    event: text('event').notNull(),
    /** The exact body sent (and signed) on every attempt. */
    body: text('body').notNull(),
    status: text('status').$type<'pending' | 'delivered' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('monitor_deliveries_due_idx').on(table.status, table.nextAttemptAt), index('monitor_deliveries_monitor_idx').on(table.monitorId, table.createdAt)],
)

export type Monitor = typeof monitors.$inferSelect
export type Incident = typeof incidents.$inferSelect
export type MonitorDelivery = typeof monitorDeliveries.$inferSelect
