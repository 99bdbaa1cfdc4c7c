// Validates a request's query string with a zod schema; a bad or unknown parameter is a 400 that
// names it. The admin's `project` selector is not a parameter of any view and is left out.
import type { z } from 'zod'
import { describeIssues } from '@/lib/ingest/span-schema'
import { badRequest } from './errors'

export function parseSearchParams<S extends z.ZodType>(schema: S, request: Request): z.output<S> {
  const parsed = schema.safeParse(searchParamsObject(new URL(request.url).searchParams))
  if (!parsed.success) throw badRequest(describeIssues(parsed.error))
  return parsed.data
}

/** Query parameters as a plain object, without the admin's `project` selector. */
export function searchParamsObject(source: URLSearchParams | Record<string, string | string[] | undefined>): Record<string, string> {
  const entries = source instanceof URLSearchParams ? [...source.entries()] : Object.entries(source)
  const result: Record<string, string> = {}
  for (const [key, value] of entries) {
    if (key === 'project') continue
    if (typeof value === 'string') result[key] = value
    else if (Array.isArray(value) && value.length > 0) result[key] = value[value.length - 1]
  }
  return result
}

/** Only the named parameters: a page's URL also holds state that is not the view's input. */
export function pickSearchParams(source: Record<string, string | string[] | undefined>, names: readonly string[]): Record<string, string> {
  const all = searchParamsObject(source)
  return Object.fromEntries(Object.entries(all).filter(([name]) => names.includes(name)))
}
