// Collects the spans of one trace while it is being built: times stay numbers (epoch ms with a
// fraction) until the trace is finished, so a whole trace can be shifted before it is emitted.
import type { z } from 'zod'
import type { spanInputSchema, SpanKind } from '@/lib/ingest/span-schema'
import type { scoreInputSchema } from '@/lib/ingest/score-schema'
import type { Rng } from './prng'

/** A span in the native ingest shape (POST /api/v1/spans). */
export type DemoSpan = z.input<typeof spanInputSchema>
/** A score in the native ingest shape (POST /api/v1/scores). */
export type DemoScore = z.input<typeof scoreInputSchema>

export interface SpanNode {
  span: DemoSpan
  start: number
  end: number
}

/** ISO-8601 with microseconds from epoch milliseconds with a fraction. */
export function isoMicros(ms: number): string {
  let whole = Math.floor(ms)
  let micros = Math.round((ms - whole) * 1000)
  if (micros === 1000) {
    whole += 1
    micros = 0
  }
  return `${new Date(whole).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`
}

export class TraceRecorder {
  readonly nodes: SpanNode[] = []

  constructor(
    readonly rng: Rng,
    readonly traceId: string,
  ) {}

  open(parent: SpanNode | undefined, name: string, kind: SpanKind, start: number, fields: Partial<DemoSpan> = {}): SpanNode {
    const span: DemoSpan = {
      trace_id: this.traceId,
      span_id: this.rng.hex(16),
      ...(parent ? { parent_span_id: parent.span.span_id } : {}),
      name,
      kind,
      start_time: '',
      status: 'ok',
      ...fields,
    }
    const node: SpanNode = { span, start, end: start }
    this.nodes.push(node)
    return node
  }

  close(node: SpanNode, end: number): number {
    node.end = Math.max(end, node.start)
    return node.end
  }

  fail(node: SpanNode, errorType: string, message: string): void {
    node.span.status = 'error'
    node.span.error_type = errorType
    node.span.status_message = message
  }

  get root(): SpanNode {
    return this.nodes[0]
  }

  /** Moves every span by `deltaMs` and writes the final times and the fields every span shares. */
  finish(deltaMs: number, shared: Partial<DemoSpan>): DemoSpan[] {
    const out: DemoSpan[] = new Array(this.nodes.length)
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i]
      const span = Object.assign(node.span, shared)
      span.start_time = isoMicros(node.start + deltaMs)
      span.end_time = isoMicros(node.end + deltaMs)
      out[i] = span
    }
    return out
  }
}
