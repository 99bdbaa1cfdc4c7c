'use server'

import { revalidatePath } from 'next/cache'
import { requireProjectAccessInAction } from '@/lib/auth/action-auth'
import { createMonitor, deleteMonitor, getMonitor, MonitorInputError, monitorUpdateSchema, newMonitorSchema, updateMonitor } from '@/lib/monitors/monitors'
import { deliverNow, queueNotification } from '@/lib/monitors/notifications'
import { describeIssues } from '@/lib/ingest/span-schema'
import { backtest, backtestSchema, type BacktestAnswer } from '@/lib/monitors/backtest'

export interface MonitorFormState {
  error?: string
  /** What was submitted, shown again with the error (the form resets after an action). */
  values?: { name: string; params: string; every: string; channels: Array<{ url: string; format: string }> }
  saved?: boolean
  /** New channel secrets: shown once. */
  secrets?: Array<{ url: string; secret: string }>
}

export interface BacktestState {
  result?: Pick<BacktestAnswer, 'from' | 'to' | 'every_s' | 'evaluations' | 'fired'> & { firing: Array<{ at: string; summary: string }> }
  error?: string
}

export interface TestState {
  results?: Array<{ delivered: boolean; error: string | null }>
  error?: string
}

/** The channels rows of the form (channel_url_N, channel_format_N); empty URLs are left out. */
function channelsOf(form: FormData) {
  const channels: Array<{ type: 'webhook'; url: string; format: string }> = []
  for (let i = 0; i < 5; i++) {
    const url = String(form.get(`channel_url_${i}`) ?? '').trim()
    if (url) channels.push({ type: 'webhook', url, format: String(form.get(`channel_format_${i}`) ?? 'json') })
  }
  return channels
}

function paramsOf(form: FormData): unknown {
  const text = String(form.get('params') ?? '').trim()
  if (!text) return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new MonitorInputError('params must be a JSON object, e.g. {"threshold_ms": 5000}')
  }
}

export async function saveMonitorAction(_: MonitorFormState, form: FormData): Promise<MonitorFormState> {
  const state = await saveMonitor(form)
  if (!state.error) return state
  const values = { name: String(form.get('name') ?? ''), params: String(form.get('params') ?? ''), every: String(form.get('evaluate_every_s') ?? ''), channels: channelsOf(form) }
  return { ...state, values }
}

async function saveMonitor(form: FormData): Promise<MonitorFormState> {
  const { projectId, user } = await requireProjectAccessInAction(form.get('projectId'), { write: true })
  const monitorId = String(form.get('monitorId') ?? '')
  const every = String(form.get('evaluate_every_s') ?? '').trim()
  try {
    const fields = {
      name: String(form.get('name') ?? ''),
      params: paramsOf(form),
      channels: channelsOf(form),
      ...(every ? { evaluate_every_s: Number(every) } : {}),
    }
    if (monitorId) {
      const parsed = monitorUpdateSchema.safeParse(fields)
      if (!parsed.success) return { error: describeIssues(parsed.error) }
      const updated = await updateMonitor(projectId, monitorId, parsed.data)
      if (!updated) return { error: 'This monitor no longer exists.' }
      revalidatePath(`/projects/${projectId}/alerts`)
      return { saved: true, secrets: updated.newSecrets ? updated.monitor.channels.map((c) => ({ url: c.url, secret: c.secret })) : undefined }
    }
    const parsed = newMonitorSchema.safeParse({ ...fields, type: String(form.get('type') ?? '') })
    if (!parsed.success) return { error: describeIssues(parsed.error) }
    const monitor = await createMonitor(projectId, parsed.data, user.id)
    revalidatePath(`/projects/${projectId}/alerts`)
    return { saved: true, secrets: monitor.channels.map((c) => ({ url: c.url, secret: c.secret })) }
  } catch (error) {
    if (error instanceof MonitorInputError) return { error: error.message }
    throw error
  }
}

export async function setMonitorFlagAction(form: FormData): Promise<void> {
  const { projectId } = await requireProjectAccessInAction(form.get('projectId'), { write: true })
  const flag = String(form.get('set') ?? '')
  const change = { mute: { muted: true }, unmute: { muted: false }, enable: { enabled: true }, disable: { enabled: false } }[flag]
  if (change) await updateMonitor(projectId, String(form.get('monitorId') ?? ''), change)
  revalidatePath(`/projects/${projectId}/alerts`)
}

export async function deleteMonitorAction(form: FormData): Promise<void> {
  const { projectId } = await requireProjectAccessInAction(form.get('projectId'), { write: true })
  await deleteMonitor(projectId, String(form.get('monitorId') ?? ''))
  revalidatePath(`/projects/${projectId}/alerts`)
}

export async function testMonitorAction(_: TestState, form: FormData): Promise<TestState> {
  const { projectId } = await requireProjectAccessInAction(form.get('projectId'), { write: true })
  const monitor = await getMonitor(projectId, String(form.get('monitorId') ?? ''))
  if (!monitor) return { error: 'This monitor no longer exists.' }
  if (monitor.channels.length === 0) return { error: 'No channels to test: edit the monitor and add a webhook.' }
  const results = await deliverNow(await queueNotification(monitor, 'monitor.test', null))
  revalidatePath(`/projects/${projectId}/alerts`)
  return { results: results.map(({ delivered, error }) => ({ delivered, error })) }
}

/**
 * Backtests the form's type and params over the last 7 days, one evaluation an hour (or at the
 * form's interval when longer), as POST /api/v1/monitors/backtest does.
 */
export async function backtestMonitorAction(_: BacktestState, form: FormData): Promise<BacktestState> {
  const { projectId } = await requireProjectAccessInAction(form.get('projectId'), { write: false })
  try {
    const every = Math.max(3600, Number(form.get('evaluate_every_s')) || 0)
    const parsed = backtestSchema.safeParse({ type: String(form.get('type') ?? form.get('monitorType') ?? ''), params: paramsOf(form), range: '7d', every_s: Math.min(86_400, every) })
    if (!parsed.success) return { error: describeIssues(parsed.error) }
    const answer = await backtest(projectId, parsed.data)
    const firing = answer.findings.filter((f) => f.firing).map((f) => ({ at: f.at, summary: f.summary }))
    return { result: { from: answer.from, to: answer.to, every_s: answer.every_s, evaluations: answer.evaluations, fired: answer.fired, firing } }
  } catch (error) {
    if (error instanceof MonitorInputError) return { error: error.message }
    throw error
  }
}
