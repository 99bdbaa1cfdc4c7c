// A project's data policy: what is redacted before storage, how traces are sampled (and how many
// were dropped per day), how long data is kept, and the audit log of deletions. Everyone who may
// read the project sees the policy; administrators change it here.
import { PageHeader } from '@/components/analytics/page-header'
import { getProject } from '@/lib/projects/projects'
import { listDeletions, deletionToApi } from '@/lib/recorder/deletions'
import { redactionToApi, retentionToApi, samplingByDay, samplingToApi } from '@/lib/recorder/settings-api'
import { formatCount } from '@/lib/format'
import { DeletionForm, RedactionForm, RetentionForm, SamplingForm } from './data-policy-forms'

function Card({ title, children, testId }: { title: string; children: React.ReactNode; testId: string }) {
  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={testId}>
      <h2 className="text-sm font-semibold">{title}</h2>
      {children}
    </section>
  )
}

const th = 'py-1 pr-3 text-left text-xs font-medium uppercase tracking-wide text-slate-500'
const td = 'border-t border-slate-100 py-1 pr-3'

export async function DataPolicyScreen({ projectId, isAdmin }: { projectId: string; isAdmin: boolean }) {
  // Read fresh, not from ingest's settings cache: the page must show a change just saved.
  const settings = (await getProject(projectId))?.settings ?? {}
  const redaction = redactionToApi(settings)
  const sampling = samplingToApi(settings)
  const retention = retentionToApi(settings)
  const [days, deletions] = await Promise.all([samplingByDay(projectId), isAdmin ? listDeletions(projectId, 50) : Promise.resolve([])])
  return (
    <main className="space-y-4 p-6">
      <PageHeader
        title="Data policy"
        description="What this project keeps of what it is sent: secrets redacted before storage, traces sampled whole (every error kept), data kept for a number of days, and deletions on request with an audit log."
      />
      <Card title="Retention" testId="retention-card">
        <p className="text-sm">
          Data is kept <strong>{retention.retention_days} days</strong>
          {retention.project_setting === null ? ` (the instance maximum)` : ` (this project's setting; the instance keeps at most ${retention.instance_max_days})`}, then deleted from every table.
        </p>
        {isAdmin && <RetentionForm projectId={projectId} current={retention.project_setting} max={retention.instance_max_days} />}
      </Card>

      <Card title="Sampling" testId="sampling-card">
        {sampling.enabled ? (
          <p className="text-sm" data-testid="sampling-on">
            <strong>Sampling is on</strong>: {Math.round(sampling.rate * 1000) / 10}% of ordinary traces are kept, whole
            {sampling.keep_errors ? '; every trace with an error is kept' : ''}
            {sampling.keep_slower_than_ms !== null ? `; every trace slower than ${formatCount(sampling.keep_slower_than_ms)} ms` : ''}
            {sampling.keep_tenants.length > 0 ? `; every trace of ${sampling.keep_tenants.join(', ')}` : ''}. A trace is judged {sampling.window_seconds} s after its last span, so it shows up
            that much later. Analytics count each kept trace by the inverse of its chance of being kept.
          </p>
        ) : (
          <p className="text-sm">Sampling is off: every trace is kept.</p>
        )}
        {days.length > 0 ? (
          <table className="text-sm" data-testid="sampling-days">
            <thead>
              <tr>
                <th className={th}>Day (UTC)</th>
                <th className={`${th} text-right`}>Traces kept</th>
                <th className={`${th} text-right`}>Traces dropped</th>
                <th className={`${th} text-right`}>Spans dropped</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day}>
                  <td className={td}>{d.day}</td>
                  <td className={`${td} text-right tabular-nums`}>{formatCount(d.kept_traces)}</td>
                  <td className={`${td} text-right tabular-nums`}>{formatCount(d.dropped_traces)}</td>
                  <td className={`${td} text-right tabular-nums`}>{formatCount(d.dropped_spans)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="text-xs text-slate-500">No trace has been judged by sampling in the last 14 days.</p>
        )}
        {isAdmin && <SamplingForm projectId={projectId} current={sampling} />}
      </Card>

      <Card title="Redaction before storage" testId="redaction-card">
        {redaction.rules.length === 0 ? (
          <p className="text-sm">No redaction rules: text is stored as sent. Turn on the built-in detectors (emails, phone numbers, card numbers, IBANs, API keys, bearer tokens, IP addresses) or add patterns of your own; each span then records how many values each rule replaced.</p>
        ) : (
          <table className="text-sm" data-testid="redaction-rules">
            <thead>
              <tr>
                <th className={th}>Rule</th>
                <th className={th}>Finds</th>
                <th className={th}>Replaced with</th>
                <th className={th}>In</th>
              </tr>
            </thead>
            <tbody>
              {redaction.rules.map((r) => (
                <tr key={r.name}>
                  <td className={`${td} font-medium`}>{r.name}</td>
                  <td className={`${td} font-mono text-xs`}>{r.detector ? `built-in: ${r.detector.replace(/_/g, ' ')}` : `/${r.pattern}/${r.flags ?? ''}`}</td>
                  <td className={`${td} font-mono text-xs`}>{r.replacement}</td>
                  <td className={`${td} text-xs`}>{r.fields.join(', ').replace(/_/g, ' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {redaction.updated_at && <p className="text-xs text-slate-500">Changed {redaction.updated_at.replace('T', ' ').slice(0, 16)} UTC; {redaction.note}.</p>}
        {isAdmin && <RedactionForm projectId={projectId} rules={redaction.rules} detectors={redaction.detectors} fields={redaction.fields} />}
      </Card>

      {isAdmin && (
        <Card title="Deletion" testId="deletion-card">
          <p className="text-sm">
            Deletes every trace that names the subject, with its scores, search hits, prompt snapshots no other trace uses, and its share of the analytics. API keys with the{' '}
            <code className="font-mono">delete</code> scope can ask for it too (<code className="font-mono">POST /api/v1/deletions</code>).
          </p>
          <DeletionForm projectId={projectId} />
          {deletions.length === 0 ? (
            <p className="text-xs text-slate-500">No deletions yet. Each one is logged here: who asked, what kind of subject (its value only as a hash), when, and the rows removed.</p>
          ) : (
            <table className="text-sm" data-testid="deletions-log">
              <thead>
                <tr>
                  <th className={th}>When (UTC)</th>
                  <th className={th}>Who</th>
                  <th className={th}>Subject</th>
                  <th className={th}>Status</th>
                  <th className={`${th} text-right`}>Traces</th>
                  <th className={`${th} text-right`}>Rows removed</th>
                </tr>
              </thead>
              <tbody>
                {deletions.map(deletionToApi).map((d) => (
                  <tr key={d.id}>
                    <td className={td}>{d.requested_at.replace('T', ' ').slice(0, 19)}</td>
                    <td className={td}>{d.requested_by}</td>
                    <td className={`${td} text-xs`}>
                      {d.subject.type.replace('_id', '')} <span className="font-mono text-slate-500">sha256 {d.subject.sha256.slice(0, 12)}…</span>
                    </td>
                    <td className={`${td} ${d.status === 'failed' ? 'text-red-700' : ''}`} title={d.error ?? undefined}>
                      {d.status}
                    </td>
                    <td className={`${td} text-right tabular-nums`}>{formatCount(d.traces)}</td>
                    <td className={`${td} text-right tabular-nums`} title={Object.entries(d.rows_removed).map(([t, n]) => `${t}: ${n}`).join('\n')}>
                      {formatCount(d.rows_removed_total)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      )}
    </main>
  )
}
