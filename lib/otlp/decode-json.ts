// Decodes an `application/json` ExportTraceServiceRequest (OTLP/JSON) into the encoding-neutral
// form. OTLP/JSON differs from the standard protobuf JSON mapping: trace and span ids are hex,
// not base64. int64 values may be strings or numbers, enums integers (names are accepted too),
// and unknown fields are ignored. The proto's snake_case field names are accepted as well.
import { MAX_NESTING_DEPTH } from '@/lib/ingest/clean-values'
import { assertItemCount } from '@/lib/ingest/limits'
import { ITEMS_PER_CHECK, TimeSlice } from '@/lib/runtime/time-slice'
import { OtlpDecodeError, type AttributeValue, type Attributes, type OtlpExport, type OtlpLogRecord, type OtlpLogsExport, type OtlpSpan } from './otlp-span'

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Reads a field by its lowerCamelCase name or its proto snake_case name. */
function field(object: Json, camel: string): unknown {
  if (camel in object) return object[camel]
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
  return object[snake]
}

function list(object: Json, camel: string, where: string): unknown[] {
  const value = field(object, camel)
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw new OtlpDecodeError(`${where}.${camel} must be an array`)
  return value
}

/** Hex ids; a base64 id of the right length (older exporters) is converted. Anything else is kept for the validator. */
function id(value: unknown, bytes: number): string {
  if (typeof value !== 'string' || value === '') return ''
  if (value.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(value)) return value.toLowerCase()
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
    const decoded = Buffer.from(value, 'base64')
    if (decoded.length === bytes) return decoded.toString('hex')
  }
  return value
}

function nanos(value: unknown): bigint {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return BigInt(Math.trunc(value))
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value)
  return 0n
}

function integer(value: unknown): number | string {
  if (typeof value === 'number') return Math.trunc(value)
  if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    const n = Number(value)
    return Number.isSafeInteger(n) ? n : value
  }
  return 0
}

function anyValue(value: unknown, depth: number): AttributeValue {
  if (!isObject(value)) return null
  if (depth > MAX_NESTING_DEPTH) throw new OtlpDecodeError(`an attribute value nests more than ${MAX_NESTING_DEPTH} levels deep`)
  if ('stringValue' in value || 'string_value' in value) return String(field(value, 'stringValue') ?? '')
  if ('boolValue' in value || 'bool_value' in value) return field(value, 'boolValue') === true
  if ('intValue' in value || 'int_value' in value) return integer(field(value, 'intValue'))
  if ('doubleValue' in value || 'double_value' in value) {
    const d = field(value, 'doubleValue')
    return typeof d === 'number' ? d : Number(d)
  }
  if ('arrayValue' in value || 'array_value' in value) {
    const array = field(value, 'arrayValue')
    return isObject(array) && Array.isArray(array.values) ? array.values.map((item) => anyValue(item, depth + 1)) : []
  }
  if ('kvlistValue' in value || 'kvlist_value' in value) {
    const kvlist = field(value, 'kvlistValue')
    return isObject(kvlist) && Array.isArray(kvlist.values) ? attributes(kvlist.values, depth + 1) : {}
  }
  if ('bytesValue' in value || 'bytes_value' in value) return String(field(value, 'bytesValue') ?? '')
  return null
}

function attributes(items: unknown, depth = 0): Attributes {
  const out: Attributes = {}
  if (!Array.isArray(items)) return out
  for (const item of items) {
    if (isObject(item) && typeof item.key === 'string') out[item.key] = anyValue(item.value, depth)
  }
  return out
}

const SPAN_KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER']
const STATUS_CODE_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR']

function enumValue(value: unknown, names: string[]): number {
  if (typeof value === 'number') return value
  if (typeof value === 'string') return Math.max(0, names.indexOf(value))
  return 0
}

function span(value: unknown): OtlpSpan {
  const s = isObject(value) ? value : {}
  const status = isObject(s.status) ? s.status : {}
  const events = Array.isArray(s.events) ? s.events : []
  const links = Array.isArray(s.links) ? s.links : []
  return {
    traceId: id(field(s, 'traceId'), 16),
    spanId: id(field(s, 'spanId'), 8),
    parentSpanId: id(field(s, 'parentSpanId'), 8),
    name: typeof s.name === 'string' ? s.name : '',
    kind: enumValue(s.kind, SPAN_KIND_NAMES),
    startTimeUnixNano: nanos(field(s, 'startTimeUnixNano')),
    endTimeUnixNano: nanos(field(s, 'endTimeUnixNano')),
    attributes: attributes(s.attributes),
    events: events.filter(isObject).map((e) => ({
      name: typeof e.name === 'string' ? e.name : '',
      timeUnixNano: nanos(field(e, 'timeUnixNano')),
      attributes: attributes(e.attributes),
    })),
    links: links.filter(isObject).map((l) => ({ traceId: id(field(l, 'traceId'), 16), spanId: id(field(l, 'spanId'), 8), attributes: attributes(l.attributes) })),
    statusCode: enumValue(status.code, STATUS_CODE_NAMES),
    statusMessage: typeof status.message === 'string' ? status.message : '',
  }
}

function parseBody(body: Uint8Array, shape: string): Json {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'))
  } catch (error) {
    throw new OtlpDecodeError(`body is not valid JSON: ${(error as Error).message}`)
  }
  if (!isObject(parsed)) throw new OtlpDecodeError(`body must be a JSON object ${shape}`)
  return parsed
}

const SEVERITY_NAMES = ['SEVERITY_NUMBER_UNSPECIFIED', 'TRACE', 'TRACE2', 'TRACE3', 'TRACE4', 'DEBUG', 'DEBUG2', 'DEBUG3', 'DEBUG4', 'INFO', 'INFO2', 'INFO3', 'INFO4', 'WARN', 'WARN2', 'WARN3', 'WARN4', 'ERROR', 'ERROR2', 'ERROR3', 'ERROR4', 'FATAL', 'FATAL2', 'FATAL3', 'FATAL4'].map((name, i) => (i === 0 ? name : `SEVERITY_NUMBER_${name}`))

function logRecord(value: unknown): OtlpLogRecord {
  const r = isObject(value) ? value : {}
  const attrs = attributes(r.attributes)
  const eventName = field(r, 'eventName')
  return {
    timeUnixNano: nanos(field(r, 'timeUnixNano')),
    observedTimeUnixNano: nanos(field(r, 'observedTimeUnixNano')),
    severityNumber: enumValue(field(r, 'severityNumber'), SEVERITY_NAMES),
    severityText: typeof field(r, 'severityText') === 'string' ? (field(r, 'severityText') as string) : '',
    eventName: typeof eventName === 'string' && eventName ? eventName : typeof attrs['event.name'] === 'string' ? attrs['event.name'] : '',
    body: r.body === undefined ? null : anyValue(r.body, 0),
    attributes: attrs,
    traceId: id(field(r, 'traceId'), 16),
    spanId: id(field(r, 'spanId'), 8),
  }
}

/**
 * The resource > scope > item nesting both signals share: `resourceSpans[].scopeSpans[].spans[]`
 * and `resourceLogs[].scopeLogs[].logRecords[]`. Items are counted before anything is converted
 * (an oversized request costs no more than this count), then converted one by one, handing the
 * event loop back every few milliseconds.
 */
async function walk<Item>(parsed: Json, resourceKey: string, scopeKey: string, itemKey: string, itemName: 'spans' | 'log records', item: (value: unknown) => Item) {
  let count = 0
  for (const r of list(parsed, resourceKey, 'body')) {
    if (!isObject(r)) continue
    for (const s of list(r, scopeKey, resourceKey)) if (isObject(s) && Array.isArray(s[itemKey])) count += (s[itemKey] as unknown[]).length
  }
  assertItemCount(count, itemName)
  const slice = new TimeSlice()
  let converted = 0
  const resources: { resource: Attributes; scopes: { scope: { name: string; version: string }; items: Item[] }[] }[] = []
  for (const [i, r] of list(parsed, resourceKey, 'body').entries()) {
    if (!isObject(r)) throw new OtlpDecodeError(`${resourceKey}[${i}] must be an object`)
    const resource = field(r, 'resource')
    const scopes: (typeof resources)[number]['scopes'] = []
    for (const [j, s] of list(r, scopeKey, `${resourceKey}[${i}]`).entries()) {
      if (!isObject(s)) throw new OtlpDecodeError(`${resourceKey}[${i}].${scopeKey}[${j}] must be an object`)
      const scope = isObject(s.scope) ? s.scope : {}
      const items: Item[] = []
      for (const value of list(s, itemKey, `${resourceKey}[${i}].${scopeKey}[${j}]`)) {
        if (converted++ % ITEMS_PER_CHECK === 0) await slice.next()
        items.push(item(value))
      }
      scopes.push({ scope: { name: typeof scope.name === 'string' ? scope.name : '', version: typeof scope.version === 'string' ? scope.version : '' }, items })
    }
    resources.push({ resource: isObject(resource) ? attributes(resource.attributes) : {}, scopes })
  }
  return resources
}

/** An OTLP/JSON ExportLogsServiceRequest. */
export async function decodeLogsJson(body: Uint8Array): Promise<OtlpLogsExport> {
  const resources = await walk(parseBody(body, '{"resourceLogs": [...]}'), 'resourceLogs', 'scopeLogs', 'logRecords', 'log records', logRecord)
  return resources.map(({ resource, scopes }) => ({ resource, scopeLogs: scopes.map(({ scope, items }) => ({ scope, logRecords: items })) }))
}

export async function decodeJson(body: Uint8Array): Promise<OtlpExport> {
  const resources = await walk(parseBody(body, '{"resourceSpans": [...]}'), 'resourceSpans', 'scopeSpans', 'spans', 'spans', span)
  return resources.map(({ resource, scopes }) => ({ resource, scopeSpans: scopes.map(({ scope, items }) => ({ scope, spans: items })) }))
}
