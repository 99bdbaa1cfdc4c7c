// Saved views: a page of a project plus its complete URL state (filters, time range - relative
// or absolute -, grouping, tab), under a name, so anyone on the team reopens exactly that view.
import { randomUUID } from 'node:crypto'
import { and, desc, eq } from 'drizzle-orm'
import { z } from 'zod'
import { postgres } from '@/db/postgres/client'
import { savedViews, type SavedView } from '@/db/postgres/schema'
import { getDashboard } from '@/lib/dashboards/dashboards'
import { VIEW_PATH } from './view-paths'

export const viewStateSchema = z
  .record(z.string().max(100), z.string().max(2000))
  .refine((state) => Object.keys(state).length <= 50, 'state has more than 50 parameters')

export const newViewSchema = z
  .object({
    name: z.string().trim().min(1, 'name must not be empty').max(200),
    path: z.string().regex(VIEW_PATH, 'path must be a project page such as /projects/<id>/traces or /projects/<id>/analytics/cache'),
    state: viewStateSchema.default({}),
  })
  .strict()

export const viewUpdateSchema = z.object({ name: z.string().trim().min(1).max(200) }).strict()

export class ViewPathError extends Error {}

export function viewPathProject(path: string): string | undefined {
  return VIEW_PATH.exec(path)?.[1]
}

export async function createView(projectId: string, input: z.output<typeof newViewSchema>, createdBy?: string): Promise<SavedView> {
  if (viewPathProject(input.path) !== projectId) throw new ViewPathError(`path must be a page of this project (/projects/${projectId}/...)`)
  const dashboardId = input.path.match(/\/dashboards\/([^/]+)$/)?.[1]
  if (dashboardId && !(await getDashboard(projectId, dashboardId))) throw new ViewPathError(`path names no dashboard of this project (${dashboardId})`)
  const [view] = await postgres()
    .insert(savedViews)
    .values({ id: randomUUID(), projectId, name: input.name, path: input.path, state: input.state, createdBy })
    .returning()
  return view
}

export async function listViews(projectId: string): Promise<SavedView[]> {
  return postgres().select().from(savedViews).where(eq(savedViews.projectId, projectId)).orderBy(desc(savedViews.updatedAt))
}

export async function getView(projectId: string, id: string): Promise<SavedView | undefined> {
  if (!z.uuid().safeParse(id).success) return undefined
  const [view] = await postgres()
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.projectId, projectId), eq(savedViews.id, id)))
    .limit(1)
  return view
}

export async function renameView(projectId: string, id: string, name: string): Promise<SavedView | undefined> {
  if (!z.uuid().safeParse(id).success) return undefined
  const [view] = await postgres()
    .update(savedViews)
    .set({ name, updatedAt: new Date() })
    .where(and(eq(savedViews.projectId, projectId), eq(savedViews.id, id)))
    .returning()
  return view
}

export async function deleteView(projectId: string, id: string): Promise<boolean> {
  if (!z.uuid().safeParse(id).success) return false
  const deleted = await postgres()
    .delete(savedViews)
    .where(and(eq(savedViews.projectId, projectId), eq(savedViews.id, id)))
    .returning({ id: savedViews.id })
  return deleted.length > 0
}

/** The URL a view opens: its path with its state as query parameters. */
export function viewHref(view: Pick<SavedView, 'path' | 'state'>): string {
  const query = new URLSearchParams(view.state).toString()
  return query ? `${view.path}?${query}` : view.path
}

export function apiView(view: SavedView) {
  return {
    id: view.id,
    project_id: view.projectId,
    name: view.name,
    path: view.path,
    state: view.state,
    url: viewHref(view),
    created_at: view.createdAt.toISOString(),
    updated_at: view.updatedAt.toISOString(),
  }
}
