// Owns the process configuration: every environment variable Flightline reads is declared,
// defaulted and validated here once, so a bad value fails start-up with a message naming it.
import net from 'node:net'
import path from 'node:path'
import { z } from 'zod'

const MiB = 1024 * 1024

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.url({ message: 'must be a URL such as http://localhost:8123' }).optional())
  .optional()

const positiveInt = (fallback: number) =>
  z.coerce.number({ message: 'must be a number' }).int('must be a whole number').positive('must be positive').default(fallback)

/** An IP address or a CIDR block, as FLIGHTLINE_TRUSTED_PROXIES lists them. */
export function isAddressOrBlock(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/')
  const family = net.isIP(address)
  if (family === 0 || extra !== undefined) return false
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)
}

const envSchema = z.object({
  FLIGHTLINE_DATA_DIR: z.string().trim().min(1).default('./data'),
  CLICKHOUSE_URL: optionalUrl,
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier (letters, digits, underscore)')
    .default('default'),
  CLICKHOUSE_CLUSTER: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'must be a cluster name from the server config')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATABASE_URL: optionalUrl,
  FLIGHTLINE_ADMIN_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters (it grants full access)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  FLIGHTLINE_ADMIN_EMAIL: z
    .email({ message: 'must be an email address' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  FLIGHTLINE_ADMIN_PASSWORD: z
    .string()
    .min(10, 'must be at least 10 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  FLIGHTLINE_RETENTION_DAYS: positiveInt(30),
  FLIGHTLINE_MAX_BODY_BYTES: positiveInt(16 * MiB),
  FLIGHTLINE_MAX_PAYLOAD_BYTES: positiveInt(1 * MiB).refine((v) => v >= MiB, 'must be at least 1048576 (1 MiB)'),
  FLIGHTLINE_MAX_PENDING_ROWS: positiveInt(200_000),
  FLIGHTLINE_BATCH_MAX_ROWS: positiveInt(20_000),
  /** Whether this process keeps the cycle index current (with replicas, one is enough). */
  FLIGHTLINE_CYCLE_INDEXER: z
    .enum(['0', '1', 'true', 'false'], { message: 'must be 0/1/true/false' })
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
  /**
   * Whether this process runs the rollup refresher (lib/rollups/refresher.ts). Exactly one
   * process per ClickHouse database may: with replicas, set it to 0 on all but one.
   */
  FLIGHTLINE_ROLLUP_REFRESHER: z
    .enum(['0', '1', 'true', 'false'], { message: 'must be 0/1/true/false' })
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
  /** Seconds between rollup passes; the rollups trail ingest by about this plus the 2 s settle delay. */
  FLIGHTLINE_ROLLUP_INTERVAL_SECONDS: positiveInt(2).refine((v) => v <= 20, 'must be at most 20 (the documented freshness bound is 30 s)'),
  FLIGHTLINE_INSERTS_IN_FLIGHT: positiveInt(1).refine((v) => v <= 8, 'must be at most 8'),
  /** Proxies whose X-Forwarded-For is believed: IP addresses and CIDR blocks, comma-separated. */
  FLIGHTLINE_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .superRefine((entries, ctx) => {
      const bad = entries.filter((entry) => !isAddressOrBlock(entry))
      if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `must list IP addresses or CIDR blocks such as 10.0.0.0/8, separated by commas; not ${bad.map((b) => JSON.stringify(b)).join(', ')}` })
    }),
  /** OTLP/gRPC port (traces and logs); 0 turns gRPC off. */
  FLIGHTLINE_OTLP_GRPC_PORT: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be 0 (off) or a port 1-65535')
    .max(65_535, 'must be 0 (off) or a port 1-65535')
    .default(4317),
  /** Whether this process writes settled Langfuse observations to spans (with replicas, one is enough). */
  FLIGHTLINE_PART_PROMOTER: z
    .enum(['0', '1', 'true', 'false'], { message: 'must be 0/1/true/false' })
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
  /** Whether this process evaluates monitors and delivers their notifications (with replicas, one is enough). */
  FLIGHTLINE_MONITOR_EVALUATOR: z
    .enum(['0', '1', 'true', 'false'], { message: 'must be 0/1/true/false' })
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
  /** The shortest time between two evaluations of a monitor, in seconds; also the default `evaluate_every_s`. */
  FLIGHTLINE_MONITOR_INTERVAL_S: positiveInt(60).refine((v) => v <= 86_400, 'must be at most 86400 (a day)'),
  /** The address people open Flightline at, for links in notifications (default http://localhost:$PORT). */
  FLIGHTLINE_PUBLIC_URL: optionalUrl,
  /** Quiet time after an observation's last update before it is written to spans. */
  FLIGHTLINE_UPDATE_SETTLE_SECONDS: z.coerce.number({ message: 'must be a number' }).min(0.1, 'must be at least 0.1').max(3600, 'must be at most 3600').default(5),
  /** How long an observation with no end time waits for more updates before it is written anyway. */
  FLIGHTLINE_UPDATE_MAX_WAIT_SECONDS: positiveInt(600),
  /**
   * Sampling: a trace is judged once no span of it arrived for this long (its spans wait in
   * held_spans until then), or at the latest after FLIGHTLINE_SAMPLING_MAX_WAIT_SECONDS.
   */
  FLIGHTLINE_SAMPLING_WINDOW_SECONDS: z.coerce.number({ message: 'must be a number' }).min(0.5, 'must be at least 0.5').max(3600, 'must be at most 3600').default(30),
  FLIGHTLINE_SAMPLING_MAX_WAIT_SECONDS: positiveInt(600),
  /** Background work of the flight recorder (sampling decisions, retention, deletions); on by default. */
  FLIGHTLINE_RECORDER_WORKER: z
    .enum(['0', '1', 'true', 'false'], { message: 'must be 0/1/true/false' })
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
  /** A token that may read /metrics (besides the admin token). */
  FLIGHTLINE_METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Serve /metrics on this port instead of the public one; 0 (default) keeps it on the public port. */
  FLIGHTLINE_METRICS_PORT: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be 0 (the public port) or a port 1-65535')
    .max(65_535, 'must be 0 (the public port) or a port 1-65535')
    .default(0),
  /** Where POST /api/v1/admin/backup writes a backup when the request names no directory. */
  FLIGHTLINE_BACKUP_DIR: z.string().trim().min(1).default('./backups'),
  /** The least severe log lines written (pino levels). */
  FLIGHTLINE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
}).superRefine((value, ctx) => {
  if (Boolean(value.FLIGHTLINE_ADMIN_EMAIL) !== Boolean(value.FLIGHTLINE_ADMIN_PASSWORD)) {
    ctx.addIssue({ code: 'custom', path: [value.FLIGHTLINE_ADMIN_EMAIL ? 'FLIGHTLINE_ADMIN_PASSWORD' : 'FLIGHTLINE_ADMIN_EMAIL'], message: 'FLIGHTLINE_ADMIN_EMAIL and FLIGHTLINE_ADMIN_PASSWORD are set together' })
  }
})

export type Env = z.infer<typeof envSchema> & { dataDir: string }

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'EnvError'
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source)
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message} (got ${JSON.stringify(source[String(issue.path[0])] ?? null)})`),
    )
  }
  return { ...result.data, dataDir: path.resolve(/* turbopackIgnore: true */ process.cwd(), result.data.FLIGHTLINE_DATA_DIR) }
}

let cached: Env | undefined
export function env(): Env {
  cached ??= parseEnv(process.env)
  return cached
}
