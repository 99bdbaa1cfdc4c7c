// Wraps route handlers once for authentication and project scoping, so a handler cannot
// forget who is asking. A handler receives the project the caller may act on; every query it
// makes is scoped to that project. Callers:
//   - `Authorization: Bearer <api key>` (or Basic with the key as password): the key's project,
//     within the key's scopes (`ingest`, `read`).
//   - `Authorization: Bearer $FLIGHTLINE_ADMIN_TOKEN`: any project, named by `?project=<id>`.
//   - a signed-in browser (session cookie): the project named by `?project=<id>` when the user
//     may see it; viewers read only. Cookie-authenticated mutations must come from our origin.
//   - a share token (`X-Flightline-Share`): only on routes that opt in, and only for requests
//     the shared view itself makes (the route's `share` check decides).
import { env } from '@/lib/config/env'
import { storesReady } from '@/lib/runtime/stores'
import { OverloadedError } from '@/lib/ingest/batch-writer'
import { HttpError, badRequest, errorResponse, forbidden, jsonResponse, notFound, serviceUnavailable, unauthorized } from '@/lib/http/errors'
import { getProject } from '@/lib/projects/projects'
import { logFailure } from '@/lib/observability/logger'
import { noteRequestProject } from '@/lib/observability/request-context'
import { resolveShareToken } from '@/lib/views/share-links'
import type { ApiKeyScope, SavedView, User } from '@/db/postgres/schema'
import { isAdminToken, KEY_CREATION_DENIED, mayCreateApiKeys, verifyApiKey } from './api-keys'
import { SESSION_COOKIE, userForSession } from './sessions'
import { projectVisibleTo } from './users'

/** What a route needs: to ingest data, to read it, or to change project state (views, shares). */
export type Access = 'ingest' | 'read' | 'write' | 'delete'

export type Caller =
  | { kind: 'key'; keyId?: string }
  | { kind: 'admin' }
  | { kind: 'user'; user: User }
  | { kind: 'share'; view: SavedView }

export interface ProjectContext<P> {
  request: Request
  params: P
  projectId: string
  caller: Caller
}

export interface RouteOptions<P> {
  /** Lets a share token through when the request is one the shared view makes. */
  share?: (view: SavedView, request: Request, params: P) => boolean
}

type RouteContext<P> = { params: Promise<P> }

export const SHARE_HEADER = 'x-flightline-share'

export function credentialFrom(request: Request): string | undefined {
  const header = request.headers.get('authorization')
  if (!header) return undefined
  const [scheme, value = ''] = header.trim().split(/\s+/, 2)
  if (/^bearer$/i.test(scheme)) return value || undefined
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    const user = colon >= 0 ? decoded.slice(0, colon) : decoded
    const password = colon >= 0 ? decoded.slice(colon + 1) : ''
    // The key is the password. SDKs that always send a pair (Langfuse: publicKey:secretKey)
    // may carry the key in either position, so a user name that is one of our keys wins
    // over a password that is not.
    if (!password.startsWith('fl_') && user.startsWith('fl_')) return user
    return password || user || undefined
  }
  return undefined
}

export function cookieFrom(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie')
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return undefined
}

/** Runs a handler body, turning thrown HttpErrors (and overload) into JSON answers. */
export async function answer(body: () => Promise<Response>): Promise<Response> {
  try {
    await storesReady()
    return await body()
  } catch (error) {
    if (error instanceof HttpError) return errorResponse(error)
    if (error instanceof OverloadedError) return errorResponse(serviceUnavailable(error.message, error.retryAfterSeconds))
    logFailure('request failed', error)
    return jsonResponse({ error: 'internal error; see the server log', code: 'internal' }, 500)
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host
  } catch {
    return undefined
  }
}

/** Cookie-authenticated mutations must come from a page of ours, not from another site. */
export function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return
  const site = request.headers.get('sec-fetch-site')
  if (site && site !== 'same-origin' && site !== 'none') throw forbidden('cross-site request refused')
  const origin = request.headers.get('origin')
  if (origin) {
    const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host')
    // `null` (a sandboxed frame, a file: page, a redirect across sites) is no origin of ours.
    if (!host || originHost(origin) !== host) throw forbidden(`cross-origin request refused (Origin: ${JSON.stringify(origin.slice(0, 200))})`)
  }
}

function projectParam(request: Request, named?: string): string {
  const projectId = named ?? new URL(request.url).searchParams.get('project')
  if (!projectId) throw badRequest('name the project: ?project=<project id>')
  return projectId
}

export async function resolveCaller<P>(
  request: Request,
  access: Access,
  params: P,
  options: RouteOptions<P> = {},
  /** The project the path names (/api/v1/projects/{id}/...); a key of another project finds nothing. */
  pathProject?: string,
): Promise<{ projectId: string; caller: Caller }> {
  const resolved = await identifyCaller(request, access, params, options, pathProject)
  // The request's log line names the project it acted on.
  noteRequestProject(resolved.projectId)
  return resolved
}

async function identifyCaller<P>(request: Request, access: Access, params: P, options: RouteOptions<P>, pathProject?: string): Promise<{ projectId: string; caller: Caller }> {
  const credential = credentialFrom(request)
  if (credential) {
    if (isAdminToken(credential, env().FLIGHTLINE_ADMIN_TOKEN)) {
      const projectId = projectParam(request, pathProject)
      if (!(await getProject(projectId))) throw notFound(`project ${projectId} does not exist`)
      return { projectId, caller: { kind: 'admin' } }
    }
    if (credential.startsWith('fls_')) throw unauthorized('a share link token is not an API key')
    const identity = await verifyApiKey(credential)
    if (!identity) throw unauthorized('unknown or revoked API key')
    // Changing project state (saved views, share links) takes a full key: both scopes.
    // Deleting data takes a key with the 'delete' scope.
    const needed: ApiKeyScope[] = access === 'write' ? ['ingest', 'read'] : [access]
    const missing = needed.filter((scope) => !identity.scopes.includes(scope))
    if (missing.length > 0) throw forbidden(`this API key lacks the ${missing.map((s) => `'${s}'`).join(' and ')} scope${missing.length > 1 ? 's' : ''}`)
    if (pathProject !== undefined && pathProject !== identity.projectId) throw notFound(`project ${pathProject} does not exist`)
    return { projectId: identity.projectId, caller: { kind: 'key', keyId: identity.keyId } }
  }

  const shareToken = request.headers.get(SHARE_HEADER)
  if (shareToken) {
    const resolved = await resolveShareToken(shareToken)
    if (resolved.status === 'unknown') throw unauthorized('unknown share link')
    if (resolved.status === 'gone') throw new HttpError(410, 'gone', `this share link was ${resolved.reason}`)
    if (access !== 'read' || !options.share || !options.share(resolved.view, request, params)) {
      throw forbidden('a share link only opens the view it was made for')
    }
    return { projectId: resolved.view.projectId, caller: { kind: 'share', view: resolved.view } }
  }

  const user = await userForSession(cookieFrom(request, SESSION_COOKIE))
  if (!user) throw unauthorized('missing API key: send "Authorization: Bearer <key>", or sign in')
  assertSameOrigin(request)
  const projectId = projectParam(request, pathProject)
  if (!(await projectVisibleTo(user, projectId))) throw notFound(`project ${projectId} does not exist`)
  if (access !== 'read' && user.role === 'viewer') throw forbidden('viewers can read but not change anything')
  if (access === 'delete' && user.role !== 'admin') throw forbidden('only administrators (or an API key with the delete scope) can delete data')
  return { projectId, caller: { kind: 'user', user } }
}

export function withProject<P = Record<string, never>>(access: Access, handler: (ctx: ProjectContext<P>) => Promise<Response>, options: RouteOptions<P> = {}) {
  return (request: Request, context: RouteContext<P>) =>
    answer(async () => {
      const params = (await context?.params) ?? ({} as P)
      const { projectId, caller } = await resolveCaller(request, access, params, options)
      return handler({ request, params, projectId, caller })
    })
}

/**
 * Routes under /api/v1/projects/{projectId}/: the project comes from the path. `access` 'write'
 * from a signed-in user, or 'admin' (administrators and the admin token only).
 */
export function withPathProject(access: Access | 'admin', handler: (ctx: ProjectContext<{ projectId: string }>) => Promise<Response>) {
  return (request: Request, context: RouteContext<{ projectId: string }>) =>
    answer(async () => {
      const params = await context.params
      if (access === 'admin') {
        await requireAdmin(request)
        if (!(await getProject(params.projectId))) throw notFound(`project ${params.projectId} does not exist`)
        const credential = credentialFrom(request)
        const caller: Caller = credential ? { kind: 'admin' } : { kind: 'user', user: (await userForSession(cookieFrom(request, SESSION_COOKIE)))! }
        return handler({ request, params, projectId: params.projectId, caller })
      }
      const { projectId, caller } = await resolveCaller(request, access, params, {}, params.projectId)
      return handler({ request, params, projectId, caller })
    })
}

/**
 * Instance administration: the admin token, or a signed-in user the rule `allows` (by default
 * administrators; refused with `denied`).
 */
export async function requireAdmin(request: Request, allows: (user: User) => boolean = (user) => user.role === 'admin', denied = 'only administrators can do this'): Promise<void> {
  const credential = credentialFrom(request)
  if (credential) {
    if (!env().FLIGHTLINE_ADMIN_TOKEN) throw forbidden('the admin API is disabled: set FLIGHTLINE_ADMIN_TOKEN to enable it')
    if (!isAdminToken(credential, env().FLIGHTLINE_ADMIN_TOKEN)) throw forbidden('this credential is not the admin token')
    return
  }
  const user = await userForSession(cookieFrom(request, SESSION_COOKIE))
  if (!user) throw unauthorized('missing admin token: send "Authorization: Bearer $FLIGHTLINE_ADMIN_TOKEN", or sign in as an administrator')
  assertSameOrigin(request)
  if (!allows(user)) throw forbidden(denied)
}

/** Creating API keys: the admin token, or a user `mayCreateApiKeys` allows. */
export function requireKeyCreator(request: Request): Promise<void> {
  return requireAdmin(request, mayCreateApiKeys, KEY_CREATION_DENIED)
}

/** The caller's project for routes without route-specific share rules. */
export function resolveProject(request: Request, access: Access): Promise<{ projectId: string; caller: Caller }> {
  return resolveCaller(request, access, {})
}
