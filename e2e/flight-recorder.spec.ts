// The flight recorder pages in Chromium: the recorder page empty and with two services, the data
// policy page empty and edited through its forms (redaction, retention, sampling, a deletion),
// the trace header's recorder score, the inspector's missing fields and redaction counts, and the
// overview's sampling note.
import { expect, test } from '@playwright/test'
import { ADMIN_TOKEN, createProject, signIn } from './support'
import { recorderTrace } from '../tests/fixtures/recorder-traces'

const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString()

const traceOf = (service: string, version: string, i: number, complete: boolean) => recorderTrace(service, version, i, { temperature: complete, cutTool: !complete, finishReason: true }).spans

async function send(baseURL: string, key: string, spans: unknown[]) {
  const response = await fetch(`${baseURL}/api/v1/spans`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ spans }) })
  expect(response.status).toBe(200)
}

test('recorder and data policy pages, empty and full', async ({ page, baseURL }) => {
  test.setTimeout(180_000)
  await signIn(page)
  const project = await createProject(baseURL!, 'recorder-e2e')

  await page.goto(`/projects/${project.id}/analytics/recorder`)
  await expect(page.getByTestId('recorder-empty')).toBeVisible()
  await page.screenshot({ path: 'test-results/flight-recorder/recorder-empty.png', fullPage: true })
  await page.goto(`/projects/${project.id}/recorder`)
  await expect(page.getByText('Sampling is off: every trace is kept.')).toBeVisible()
  await expect(page.getByText('No redaction rules')).toBeVisible()
  await page.screenshot({ path: 'test-results/flight-recorder/data-policy-empty.png', fullPage: true })

  await send(baseURL!, project.api_key, [
    ...Array.from({ length: 12 }, (_, i) => traceOf('checkout-agent', '1.2.0', i, false)).flat(),
    ...Array.from({ length: 20 }, (_, i) => traceOf('support-agent', '2.0.0', i, true)).flat(),
  ])
  await page.goto(`/projects/${project.id}/analytics/recorder`)
  const table = page.getByTestId('recorder-services-table')
  await expect(table.getByRole('row').nth(1)).toContainText('checkout-agent')
  await expect(page.getByTestId('recorder-fixes').first()).toContainText('gen_ai.request.temperature')
  await expect(page.getByTestId('recorder-fixes').nth(1)).toContainText('Sends everything an incident review needs')
  await page.screenshot({ path: 'test-results/flight-recorder/recorder-full.png', fullPage: true })

  // Redaction rules through the form; a pattern that can backtrack badly is refused with why.
  await page.goto(`/projects/${project.id}/recorder`)
  const redaction = page.getByTestId('redaction-card')
  await redaction.getByLabel('email').check()
  await redaction.getByLabel('credit card').check()
  await redaction.getByRole('button', { name: '+ add a pattern' }).click()
  await redaction.getByLabel('Rule name').fill('order')
  await redaction.getByLabel('Pattern').fill('(a+)+$')
  await redaction.getByRole('button', { name: 'Save rules' }).click()
  await expect(redaction.getByRole('alert')).toContainText('backtrack')
  await redaction.getByLabel('Pattern').fill('ORD-\\d{6}')
  await redaction.getByRole('button', { name: 'Save rules' }).click()
  await expect(redaction.getByText(/Saved 3 rules/)).toBeVisible()
  await expect(page.getByTestId('redaction-rules')).toContainText('[REDACTED:credit_card]')

  // A span sent now is redacted; its trace shows the recorder score and what its calls lack.
  const traceId = `redacted-${Date.now()}`
  await send(baseURL!, project.api_key, [
    { trace_id: traceId, span_id: 'root', name: 'support run', kind: 'agent', start_time: at(20_000), end_time: at(10_000), user_id: 'jane@example.com' },
    { trace_id: traceId, span_id: 'llm', parent_span_id: 'root', name: 'chat gpt-4o', kind: 'llm', start_time: at(19_000), end_time: at(18_000), model_requested: 'gpt-4o', input: [{ role: 'user', content: 'Card 4111 1111 1111 1111, order ORD-123456, mail jane@example.com' }], output: 'Done.' },
  ])
  await page.goto(`/projects/${project.id}/traces/${traceId}`)
  await expect(page.getByTestId('summary-recorder')).toContainText('missing')
  await page.getByTestId('span-row').filter({ hasText: 'chat gpt-4o' }).click()
  await expect(page.getByTestId('span-recorder-missing')).toContainText('resolved model')
  await expect(page.getByTestId('span-redactions')).toContainText('credit card')
  await expect(page.getByTestId('span-inspector')).not.toContainText('4111 1111')
  await page.screenshot({ path: 'test-results/flight-recorder/trace-recorder.png', fullPage: true })

  // Retention, sampling and a deletion through the forms.
  await page.goto(`/projects/${project.id}/recorder`)
  await page.getByLabel('Retention days').fill('7')
  await page.getByTestId('retention-card').getByRole('button', { name: 'Save' }).click()
  await expect(page.getByText('Saved: data is kept 7 days.')).toBeVisible()
  await page.getByLabel('Sampling rate').fill('0.25')
  await page.getByLabel('Keep tenants').fill('acme, globex')
  await page.getByTestId('sampling-card').getByRole('button', { name: 'Save' }).click()
  await expect(page.getByTestId('sampling-on')).toContainText('25% of ordinary traces are kept')
  page.once('dialog', (dialog) => void dialog.accept())
  await page.getByLabel('Subject value').fill('u-3')
  await page.getByTestId('deletion-card').getByRole('button', { name: 'Delete' }).click()
  await expect(page.getByText(/Deletion del_\w+ accepted/)).toBeVisible()
  await expect(async () => {
    await page.reload()
    await expect(page.getByTestId('deletions-log')).toContainText('done')
  }).toPass({ timeout: 60_000 })
  await expect(page.getByTestId('deletions-log')).not.toContainText('u-3')
  await page.screenshot({ path: 'test-results/flight-recorder/data-policy-full.png', fullPage: true })

  await page.goto(`/projects/${project.id}/analytics/overview`)
  await expect(page.getByTestId('sampling-note')).toContainText('Sampling is on')
  await page.screenshot({ path: 'test-results/flight-recorder/overview-sampling.png' })

  // A member-facing check: the API refuses another project's key on these settings.
  const other = await createProject(baseURL!, 'recorder-e2e-other')
  const refused = await fetch(`${baseURL}/api/v1/projects/${project.id}/sampling`, { headers: { Authorization: `Bearer ${other.api_key}` } })
  expect(refused.status).toBe(404)
  const admin = await fetch(`${baseURL}/api/v1/projects/${project.id}/sampling`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })
  expect((await admin.json()).rate).toBe(0.25)
})
