// The UI's "Load demo data" button: POST starts a background job that feeds the demo workload
// through the ingest path into this project; GET reports its progress. Until accounts exist the
// UI is reachable by project id alone, so this route is scoped by project id, bounded in size
// and limited to one job per project.
import { answer } from '@/lib/auth/with-project'
import { badRequest, HttpError, jsonResponse, notFound } from '@/lib/http/errors'
import { readBody } from '@/lib/http/read-body'
import { DemoJobConflictError, demoJobRequestSchema, demoJobStatus, startDemoJob } from '@/lib/demo/demo-jobs'
import { getProject } from '@/lib/projects/projects'

export const dynamic = 'force-dynamic'

type Context = { params: Promise<{ projectId: string }> }

async function requireProject(context: Context): Promise<string> {
  const { projectId } = await context.params
  if (!(await getProject(projectId))) throw notFound(`project ${projectId} does not exist`)
  return projectId
}

export function GET(_request: Request, context: Context) {
  return answer(async () => {
    const projectId = await requireProject(context)
    return jsonResponse(demoJobStatus(projectId) ?? { project_id: projectId, state: 'idle' })
  })
}

export function POST(request: Request, context: Context) {
  return answer(async () => {
    const projectId = await requireProject(context)
    const body = await readBody(request, 4096)
    let json: unknown = {}
    if (body.length > 0) {
      try {
        json = JSON.parse(body.toString('utf8'))
      } catch (error) {
        throw badRequest(`body is not valid JSON: ${(error as Error).message}`)
      }
    }
    const parsed = demoJobRequestSchema.safeParse(json)
    if (!parsed.success) throw badRequest(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '))
    try {
      return jsonResponse(startDemoJob(projectId, parsed.data), 202)
    } catch (error) {
      if (error instanceof DemoJobConflictError) throw new HttpError(409, 'conflict', error.message)
      throw error
    }
  })
}
