// A typed SQL builder for queries assembled from parts (the query engine behind custom charts).
// `sql` is a tagged template whose holes take only other fragments or bound values: a plain
// string cannot be interpolated (a type error, and refused at run time), so user input reaches
// ClickHouse only as a `{name:Type}` parameter. The one way to splice raw text is
// `UNSAFE_RAW_SQL`, kept for fixed SQL written in this codebase, so every such spot is greppable.

const FRAGMENT = Symbol('sql fragment')
const BOUND = Symbol('bound value')

type Part = { kind: 'text'; text: string } | { kind: 'value'; value: unknown; type: string; name?: string }

export interface SqlFragment {
  readonly [FRAGMENT]: true
  readonly parts: readonly Part[]
}

export interface BoundValue {
  readonly [BOUND]: true
  readonly value: unknown
  readonly type: string
  readonly name?: string
}

export type SqlHole = SqlFragment | BoundValue

/** ClickHouse types a value may be bound as (extend as needed; never derived from input). */
export type ParamType = 'String' | 'UInt32' | 'UInt64' | 'Int64' | 'Float64' | "DateTime64(3, 'UTC')" | 'Array(String)'

const fragment = (parts: Part[]): SqlFragment => ({ [FRAGMENT]: true, parts })

function isFragment(hole: unknown): hole is SqlFragment {
  return typeof hole === 'object' && hole !== null && FRAGMENT in hole
}
function isBound(hole: unknown): hole is BoundValue {
  return typeof hole === 'object' && hole !== null && BOUND in hole
}

export function sql(strings: TemplateStringsArray, ...holes: SqlHole[]): SqlFragment {
  const parts: Part[] = []
  strings.forEach((text, i) => {
    if (text) parts.push({ kind: 'text', text })
    if (i >= holes.length) return
    const hole = holes[i] as unknown
    if (isFragment(hole)) parts.push(...hole.parts)
    else if (isBound(hole)) parts.push({ kind: 'value', value: hole.value, type: hole.type, name: hole.name })
    else throw new TypeError(`sql: hole ${i} is neither a fragment nor a bound value; bind it with bind()`)
  })
  return fragment(parts)
}

/**
 * A value bound as a query parameter. Unnamed values are numbered p0, p1, ... in the order they
 * appear; a name (fixed, from code) gives a readable parameter such as {from:DateTime64(3, 'UTC')}.
 */
export function bind(value: unknown, type: ParamType, name?: string): BoundValue {
  if (name !== undefined && !/^[a-z_][a-z0-9_]*$/.test(name)) throw new TypeError(`bind: bad parameter name ${name}`)
  return { [BOUND]: true, value, type, name }
}

/** Raw SQL text. Only for fixed SQL written in this codebase, never for anything a caller sent. */
export function UNSAFE_RAW_SQL(text: string): SqlFragment {
  return fragment([{ kind: 'text', text }])
}

/** Fragments joined by a separator (`, `, ` AND `). */
export function joinSql(items: readonly SqlFragment[], separator: string): SqlFragment {
  const parts: Part[] = []
  items.forEach((item, i) => {
    if (i > 0) parts.push({ kind: 'text', text: separator })
    parts.push(...item.parts)
  })
  return fragment(parts)
}

export interface RenderedSql {
  query: string
  params: Record<string, unknown>
}

/** The query text with `{name:Type}` placeholders, and the values to send with it. */
export function renderSql(query: SqlFragment): RenderedSql {
  let text = ''
  const params: Record<string, unknown> = {}
  const types: Record<string, string> = {}
  let next = 0
  for (const part of query.parts) {
    if (part.kind === 'text') {
      text += part.text
      continue
    }
    const name = part.name ?? `p${next++}`
    if (name in params && (types[name] !== part.type || params[name] !== part.value)) {
      throw new TypeError(`sql: parameter ${name} bound twice with different values`)
    }
    params[name] = part.value
    types[name] = part.type
    text += `{${name}:${part.type}}`
  }
  return { query: text, params }
}
