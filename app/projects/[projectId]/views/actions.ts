'use server'

import { revalidatePath } from 'next/cache'
import { requireProjectAccessInAction } from '@/lib/auth/action-auth'
import { currentUser } from '@/lib/auth/page-auth'
import { deleteView, getView, renameView } from '@/lib/views/saved-views'
import { createShareLink, revokeShareLinkById } from '@/lib/views/share-links'

export interface ShareState {
  url?: string
  error?: string
}

async function writable(form: FormData) {
  const { projectId } = await requireProjectAccessInAction(form.get('projectId'), { write: true })
  return { projectId, viewId: String(form.get('viewId') ?? '') }
}

export async function renameViewAction(form: FormData): Promise<void> {
  const { projectId, viewId } = await writable(form)
  const name = String(form.get('name') ?? '').trim()
  if (name.length > 0 && name.length <= 200) await renameView(projectId, viewId, name)
  revalidatePath(`/projects/${projectId}/views`)
}

export async function deleteViewAction(form: FormData): Promise<void> {
  const { projectId, viewId } = await writable(form)
  await deleteView(projectId, viewId)
  revalidatePath(`/projects/${projectId}/views`)
}

export async function shareViewAction(_: ShareState, form: FormData): Promise<ShareState> {
  const { projectId, viewId } = await writable(form)
  const view = await getView(projectId, viewId)
  if (!view) return { error: 'This view no longer exists.' }
  const days = Number(form.get('expiresInDays') ?? 0)
  const expiresAt = Number.isFinite(days) && days > 0 ? new Date(Date.now() + days * 86_400_000) : undefined
  const { token } = await createShareLink(view, expiresAt, (await currentUser())?.id)
  revalidatePath(`/projects/${projectId}/views`)
  return { url: `/s/${token}` }
}

export async function revokeShareAction(form: FormData): Promise<void> {
  const { projectId } = await writable(form)
  await revokeShareLinkById(projectId, String(form.get('linkId') ?? ''))
  revalidatePath(`/projects/${projectId}/views`)
}
