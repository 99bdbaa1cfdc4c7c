// The process's structured logger (pino, JSON lines on stdout). scripts/server.mjs creates it
// at FLIGHTLINE_LOG_LEVEL before the app loads; code running outside that server (scripts)
// gets one of its own on first use. Log lines never carry payloads, keys or tokens: pass
// errors through `errorFields`, which keeps a message's first line and the stack.
import pino, { type Logger } from 'pino'
import { currentRequest } from './request-context'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const GLOBAL_KEY = Symbol.for('flightline.logger')

export function logger(): Logger {
  const slot = globalThis as Record<symbol, Logger | undefined>
  if (!slot[GLOBAL_KEY]) {
    const wanted = process.env.FLIGHTLINE_LOG_LEVEL?.trim() || 'info'
    const level = (LOG_LEVELS as readonly string[]).includes(wanted) ? wanted : 'info'
    slot[GLOBAL_KEY] = pino({ level, base: { service: 'flightline' }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } })
  }
  return slot[GLOBAL_KEY]
}

/**
 * An error message fit for the log: its first line, bounded, with what looks like a credential
 * (our key and share token prefixes, a Bearer value) or a long quoted value (a store error
 * quoting the row it refused) cut out.
 */
export function scrubMessage(message: string): string {
  return message
    .split('\n')[0]
    .replace(/\b(fls?_)[A-Za-z0-9_-]{4,}/g, '$1…')
    .replace(/\b(bearer|basic)\s+\S+/gi, '$1 …')
    .replace(/'[^']{40,}'|"[^"]{40,}"/g, '…')
    .slice(0, 300)
}

/** An error as log fields: its name, its scrubbed message and its stack frames (code locations only). */
export function errorFields(error: unknown): { error: { type: string; message: string; stack?: string } } {
  if (!(error instanceof Error)) return { error: { type: typeof error, message: scrubMessage(String(error)) } }
  const frames = error.stack?.split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 12).join('\n')
  return { error: { type: error.name, message: scrubMessage(error.message), ...(frames ? { stack: frames } : {}) } }
}

/** Logs a failure at error level with the request id of the request it happened in. */
export function logFailure(what: string, error: unknown, fields: Record<string, unknown> = {}): void {
  const request = currentRequest()
  logger().error({ ...(request ? { request_id: request.requestId, project_id: request.projectId } : {}), ...fields, ...errorFields(error) }, what)
}
