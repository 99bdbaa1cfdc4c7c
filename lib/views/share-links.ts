// Share links: read-only access to exactly one saved view, without an account. The token has
// 256 random bits, is shown once, and is stored only as its sha256; links can expire and be
// revoked. Resolving tells apart "no such link" (404) from "revoked or expired" (410).
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { and, desc, eq, isNull } from 'drizzle-orm'
import { postgres } from '@/db/postgres/client'
import { savedViews, shareLinks, type SavedView, type ShareLink } from '@/db/postgres/schema'

const TOKEN_RE = /^fls_[A-Za-z0-9_-]{43}$/

export const hashShareToken = (token: string) => createHash('sha256').update(token).digest('hex')

export function looksLikeShareToken(value: string): boolean {
  return TOKEN_RE.test(value)
}

export async function createShareLink(view: SavedView, expiresAt: Date | undefined, createdBy?: string): Promise<{ token: string; link: ShareLink }> {
  const token = `fls_${randomBytes(32).toString('base64url')}`
  const [link] = await postgres()
    .insert(shareLinks)
    .values({ id: randomUUID(), viewId: view.id, tokenHash: hashShareToken(token), expiresAt, createdBy })
    .returning()
  return { token, link }
}

export type ShareResolution =
  | { status: 'ok'; view: SavedView; link: ShareLink }
  | { status: 'gone'; reason: 'revoked' | 'expired' }
  | { status: 'unknown' }

export async function resolveShareToken(token: string, now = new Date()): Promise<ShareResolution> {
  if (!looksLikeShareToken(token)) return { status: 'unknown' }
  const [row] = await postgres()
    .select({ link: shareLinks, view: savedViews })
    .from(shareLinks)
    .innerJoin(savedViews, eq(savedViews.id, shareLinks.viewId))
    .where(eq(shareLinks.tokenHash, hashShareToken(token)))
    .limit(1)
  if (!row) return { status: 'unknown' }
  if (row.link.revokedAt) return { status: 'gone', reason: 'revoked' }
  if (row.link.expiresAt && row.link.expiresAt <= now) return { status: 'gone', reason: 'expired' }
  return { status: 'ok', view: row.view, link: row.link }
}

/** Revokes the link with this token if it belongs to the project; false when there is none. */
export async function revokeShareToken(projectId: string, token: string): Promise<boolean> {
  if (!looksLikeShareToken(token)) return false
  const [row] = await postgres()
    .select({ id: shareLinks.id })
    .from(shareLinks)
    .innerJoin(savedViews, eq(savedViews.id, shareLinks.viewId))
    .where(and(eq(shareLinks.tokenHash, hashShareToken(token)), eq(savedViews.projectId, projectId), isNull(shareLinks.revokedAt)))
    .limit(1)
  if (!row) return false
  await postgres().update(shareLinks).set({ revokedAt: new Date() }).where(eq(shareLinks.id, row.id))
  return true
}

export async function revokeShareLinkById(projectId: string, linkId: string): Promise<boolean> {
  const [row] = await postgres()
    .select({ id: shareLinks.id })
    .from(shareLinks)
    .innerJoin(savedViews, eq(savedViews.id, shareLinks.viewId))
    .where(and(eq(shareLinks.id, linkId), eq(savedViews.projectId, projectId), isNull(shareLinks.revokedAt)))
    .limit(1)
  if (!row) return false
  await postgres().update(shareLinks).set({ revokedAt: new Date() }).where(eq(shareLinks.id, row.id))
  return true
}

export async function listShareLinks(viewId: string): Promise<ShareLink[]> {
  return postgres().select().from(shareLinks).where(eq(shareLinks.viewId, viewId)).orderBy(desc(shareLinks.createdAt))
}
