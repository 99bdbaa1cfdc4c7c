// One line of text describing a demo load's progress, for the terminal progress bar:
// `[#########.........]  48%  482,113 / 1,000,000 spans  41,207 spans/s  0:12 left`.
import type { LoadProgress } from './load'

const count = new Intl.NumberFormat('en-US')

export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`
}

export function progressLine(progress: LoadProgress, width = 28): string {
  const fraction = progress.spansPlanned > 0 ? Math.min(1, progress.spansSent / progress.spansPlanned) : 0
  const filled = Math.round(fraction * width)
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
  const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`
  const eta = progress.etaMs === undefined ? '--:--' : formatClock(progress.etaMs)
  const extra = [progress.retries > 0 ? `${count.format(progress.retries)} retries` : '', progress.rejected > 0 ? `${count.format(progress.rejected)} rejected` : '']
    .filter(Boolean)
    .join(', ')
  return `${bar} ${percent}  ${count.format(progress.spansSent)} / ${count.format(progress.spansPlanned)} spans  ${count.format(Math.round(progress.rate))} spans/s  ${eta} left${extra ? `  (${extra})` : ''}`
}
