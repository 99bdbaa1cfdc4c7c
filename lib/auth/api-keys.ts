// API keys: `fl_` + 192 random bits, shown once at creation and stored only as a sha256 hash
// (the key is high-entropy, so a fast hash is safe and lets us look keys up by hash).
// Verified keys are cached briefly; revoking in this process evicts the cache at once.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { and, eq, isNull } from 'drizzle-orm'
import { postgres } from '@/db/postgres/client'
import { apiKeys, type ApiKeyScope, type UserRole } from '@/db/postgres/schema'

export interface KeyIdentity {
  keyId: string
  projectId: string
  scopes: ApiKeyScope[]
}

const CACHE_MS = 10_000
const cache = new Map<string, { identity: KeyIdentity | null; expires: number }>()

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

/**
 * Who may create API keys: instance administrators only (the admin token, or a signed-in
 * administrator). A key is a project credential with no owner: it outlives its creator's
 * membership and role, so members and viewers ask an administrator. The keys API, the admin
 * page and the onboarding action all apply this one rule.
 */
export function mayCreateApiKeys(user: { role: UserRole }): boolean {
  return user.role === 'admin'
}

export const KEY_CREATION_DENIED = 'only administrators can create API keys; ask one for a key to this project'

export async function createApiKey(projectId: string, name: string, scopes: ApiKeyScope[]): Promise<{ key: string; id: string }> {
  const key = `fl_${randomBytes(24).toString('base64url')}`
  const id = randomUUID()
  await postgres().insert(apiKeys).values({ id, projectId, name, prefix: key.slice(0, 10), hash: hashKey(key), scopes })
  return { key, id }
}

export async function verifyApiKey(key: string): Promise<KeyIdentity | null> {
  if (!key.startsWith('fl_') || key.length > 200) return null
  const hash = hashKey(key)
  const hit = cache.get(hash)
  if (hit && hit.expires > Date.now()) return hit.identity
  const [row] = await postgres()
    .select({ id: apiKeys.id, projectId: apiKeys.projectId, scopes: apiKeys.scopes })
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .limit(1)
  const identity = row ? { keyId: row.id, projectId: row.projectId, scopes: row.scopes } : null
  if (cache.size > 10_000) cache.clear()
  cache.set(hash, { identity, expires: Date.now() + CACHE_MS })
  return identity
}

export async function revokeApiKey(projectId: string, keyId: string): Promise<boolean> {
  const revoked = await postgres()
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.projectId, projectId), isNull(apiKeys.revokedAt)))
    .returning({ hash: apiKeys.hash })
  for (const { hash } of revoked) cache.delete(hash)
  return revoked.length > 0
}

/** Constant-time comparison for the instance admin token. */
export function isAdminToken(candidate: string, adminToken: string | undefined): boolean {
  if (!adminToken) return false
  const a = Buffer.from(hashKey(candidate))
  const b = Buffer.from(hashKey(adminToken))
  return timingSafeEqual(a, b)
}
