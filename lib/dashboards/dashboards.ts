// Dashboards a team builds: a name and widgets, each a chart query (lib/analytics/query-engine.ts)
// drawn as a line, bar, stacked, table or number chart at a place on a 12-column grid. Stored in
// Postgres per project; opened, saved as views and shared at /projects/<id>/dashboards/<id>.
import { randomUUID } from 'node:crypto'
import { and, desc, eq } from 'drizzle-orm'
import { z } from 'zod'
import { postgres } from '@/db/postgres/client'
import { dashboards, type Dashboard, type DashboardWidget } from '@/db/postgres/schema'
import { chartDefinitionSchema, checkDefinition } from '@/lib/analytics/query-engine'

export const CHART_TYPES = ['line', 'bar', 'stacked', 'table', 'number'] as const
export const GRID_COLUMNS = 12
export const MAX_WIDGETS = 40

const gridNumber = (min: number, max: number) => z.number({ message: 'must be a number' }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`)

export const widgetSchema = z
  .object({
    title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    query: chartDefinitionSchema.superRefine(checkDefinition),
    chart: z.enum(CHART_TYPES, { message: `must be one of ${CHART_TYPES.join(', ')}` }),
    layout: z
      .object({ x: gridNumber(0, GRID_COLUMNS - 1), y: gridNumber(0, 1000), w: gridNumber(1, GRID_COLUMNS), h: gridNumber(1, 24) })
      .strict()
      .refine((layout) => layout.x + layout.w <= GRID_COLUMNS, { message: `x + w must be at most ${GRID_COLUMNS}`, path: ['w'] }),
  })
  .strict()

const nameSchema = z.string({ message: 'must be a string' }).trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters')
const widgetsSchema = z.array(widgetSchema, { message: 'must be a list of widgets' }).max(MAX_WIDGETS, `at most ${MAX_WIDGETS} widgets`)

export const newDashboardSchema = z.object({ name: nameSchema, widgets: widgetsSchema.default([]) }).strict()
export const dashboardUpdateSchema = z
  .object({ name: nameSchema.optional(), widgets: widgetsSchema.optional() })
  .strict()
  .refine((value) => value.name !== undefined || value.widgets !== undefined, 'send name, widgets or both')

const isId = (id: string) => z.uuid().safeParse(id).success

export async function createDashboard(projectId: string, input: z.output<typeof newDashboardSchema>, createdBy?: string): Promise<Dashboard> {
  const [dashboard] = await postgres()
    .insert(dashboards)
    .values({ id: randomUUID(), projectId, name: input.name, widgets: input.widgets as DashboardWidget[], createdBy })
    .returning()
  return dashboard
}

export async function listDashboards(projectId: string): Promise<Dashboard[]> {
  return postgres().select().from(dashboards).where(eq(dashboards.projectId, projectId)).orderBy(desc(dashboards.updatedAt))
}

export async function getDashboard(projectId: string, id: string): Promise<Dashboard | undefined> {
  if (!isId(id)) return undefined
  const [dashboard] = await postgres()
    .select()
    .from(dashboards)
    .where(and(eq(dashboards.projectId, projectId), eq(dashboards.id, id)))
    .limit(1)
  return dashboard
}

export async function updateDashboard(projectId: string, id: string, update: z.output<typeof dashboardUpdateSchema>): Promise<Dashboard | undefined> {
  if (!isId(id)) return undefined
  const [dashboard] = await postgres()
    .update(dashboards)
    .set({ ...(update.name !== undefined ? { name: update.name } : {}), ...(update.widgets !== undefined ? { widgets: update.widgets as DashboardWidget[] } : {}), updatedAt: new Date() })
    .where(and(eq(dashboards.projectId, projectId), eq(dashboards.id, id)))
    .returning()
  return dashboard
}

export async function deleteDashboard(projectId: string, id: string): Promise<boolean> {
  if (!isId(id)) return false
  const deleted = await postgres()
    .delete(dashboards)
    .where(and(eq(dashboards.projectId, projectId), eq(dashboards.id, id)))
    .returning({ id: dashboards.id })
  return deleted.length > 0
}

export function dashboardPath(projectId: string, id: string): string {
  return `/projects/${projectId}/dashboards/${id}`
}

export function apiDashboard(dashboard: Dashboard) {
  return {
    id: dashboard.id,
    project_id: dashboard.projectId,
    name: dashboard.name,
    widgets: dashboard.widgets,
    url: dashboardPath(dashboard.projectId, dashboard.id),
    created_at: dashboard.createdAt.toISOString(),
    updated_at: dashboard.updatedAt.toISOString(),
  }
}
