import path from 'node:path'
import { z } from 'zod'
import { env } from '@/lib/config/env'
import { answer, requireAdmin } from '@/lib/auth/with-project'
import { badRequest, HttpError, jsonResponse } from '@/lib/http/errors'
import { readOptionalJson } from '@/lib/http/read-body'
import { describeIssues } from '@/lib/ingest/span-schema'
import { createBackup } from '@/lib/backup/backup'
import { BackupError } from '@/lib/backup/manifest'

export const dynamic = 'force-dynamic'

const backupRequestSchema = z.strictObject({
  out: z.string().min(1, 'must name a directory').optional(),
})

/** (admin) Backs up both embedded stores into `out` (a new directory on the server) while ingest goes on. */
export function POST(request: Request) {
  return answer(async () => {
    await requireAdmin(request)
    const body = backupRequestSchema.safeParse((await readOptionalJson(request, 64 * 1024)) ?? {})
    if (!body.success) throw badRequest(`body must be {"out": "<absolute directory on the server>"} or empty: ${describeIssues(body.error)}`)
    const config = env()
    const out = body.data.out ?? path.resolve(/* turbopackIgnore: true */ process.cwd(), config.FLIGHTLINE_BACKUP_DIR, new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z'))
    try {
      return jsonResponse(await createBackup(out, config), 201)
    } catch (error) {
      if (error instanceof BackupError) throw new HttpError(error.status, error.status === 409 ? 'conflict' : 'bad_request', error.message)
      throw error
    }
  })
}
