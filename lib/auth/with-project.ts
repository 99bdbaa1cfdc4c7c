// Wraps route handlers once for authentication and project scoping, so a handler cannot
// forget who is asking. A handler receives the project the caller may act on; every query it
// makes is scoped to that project.
//   - `Authorization: Bearer <api key>` or HTTP Basic with the key as password: the key's project.
//   - `Authorization: Bearer $FLIGHTLINE_ADMIN_TOKEN`: any project, named by `?project=<id>`.
import { env } from '@/lib/config/env'
import { storesReady } from '@/lib/runtime/stores'
import { OverloadedError } from '@/lib/ingest/batch-writer'
import { HttpError, errorResponse, forbidden, jsonResponse, notFound, serviceUnavailable, unauthorized, badRequest } from '@/lib/http/errors'
import { getProject } from '@/lib/projects/projects'
import type { ApiKeyScope } from '@/db/postgres/schema'
import { isAdminToken, verifyApiKey } from './api-keys'

export interface Caller {
  kind: 'key' | 'admin'
}

export interface ProjectContext<P> {
  request: Request
  params: P
  projectId: string
  caller: Caller
}

type RouteContext<P> = { params: Promise<P> }

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

/** Runs a handler body, turning thrown HttpErrors (and overload) into JSON answers. */
export async function answer(body: () => Promise<Response>): Promise<Response> {
  try {
    await storesReady()
    return await body()
  } catch (error) {
    if (error instanceof HttpError) return errorResponse(error)
    if (error instanceof OverloadedError) return errorResponse(serviceUnavailable(error.message, error.retryAfterSeconds))
    console.error('[flightline] request failed:', error)
    return jsonResponse({ error: 'internal error; see the server log', code: 'internal' }, 500)
  }
}

export async function resolveProject(request: Request, scope: ApiKeyScope): Promise<{ projectId: string; caller: Caller }> {
  const credential = credentialFrom(request)
  if (!credential) throw unauthorized('missing API key: send "Authorization: Bearer <key>"')
  if (isAdminToken(credential, env().FLIGHTLINE_ADMIN_TOKEN)) {
    const projectId = new URL(request.url).searchParams.get('project')
    if (!projectId) throw badRequest('with the admin token, name the project: ?project=<project id>')
    if (!(await getProject(projectId))) throw notFound(`project ${projectId} does not exist`)
    return { projectId, caller: { kind: 'admin' } }
  }
  const identity = await verifyApiKey(credential)
  if (!identity) throw unauthorized('unknown or revoked API key')
  if (!identity.scopes.includes(scope)) throw forbidden(`this API key lacks the '${scope}' scope`)
  return { projectId: identity.projectId, caller: { kind: 'key' } }
}

export function withProject<P = Record<string, never>>(scope: ApiKeyScope, handler: (ctx: ProjectContext<P>) => Promise<Response>) {
  return (request: Request, context: RouteContext<P>) =>
    answer(async () => {
      const { projectId, caller } = await resolveProject(request, scope)
      const params = (await context?.params) ?? ({} as P)
      return handler({ request, params, projectId, caller })
    })
}

export function requireAdmin(request: Request): void {
  const credential = credentialFrom(request)
  if (!credential) throw unauthorized('missing admin token: send "Authorization: Bearer $FLIGHTLINE_ADMIN_TOKEN"')
  if (!env().FLIGHTLINE_ADMIN_TOKEN) throw forbidden('the admin API is disabled: set FLIGHTLINE_ADMIN_TOKEN to enable it')
  if (!isAdminToken(credential, env().FLIGHTLINE_ADMIN_TOKEN)) throw forbidden('this credential is not the admin token')
}
