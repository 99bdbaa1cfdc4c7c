// Reads a request body with hard limits: the wire size and, for gzip, the decompressed size
// are both capped, so an oversized body or a gzip bomb is refused (413) without exhausting
// memory.
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { badRequest, payloadTooLarge, unsupportedMediaType } from './errors'
import { assertJsonValueCount } from './json-limits'

const gunzip = promisify(zlib.gunzip)
const inflate = promisify(zlib.inflate)

/**
 * Reads and discards what is left of a refused body, up to 4 times the limit (64 MB at least),
 * so the client, still sending, reads the 413 instead of a connection closed under it. A larger
 * body is cut off.
 */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): Promise<void> {
  let left = Math.max(4 * maxBytes, 64 * 1024 * 1024)
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      left -= value.byteLength
      if (left < 0) break
    }
  } catch {
    return
  }
  await reader.cancel().catch(() => {})
}

export async function readBody(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > maxBytes) {
    if (request.body) await discardRest(request.body.getReader(), maxBytes)
    throw payloadTooLarge(`request body is ${declared} bytes; the limit is ${maxBytes} bytes (FLIGHTLINE_MAX_BODY_BYTES)`)
  }
  const chunks: Buffer[] = []
  let size = 0
  if (request.body) {
    const reader = request.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxBytes) {
        await discardRest(reader, maxBytes)
        throw payloadTooLarge(`request body exceeds the limit of ${maxBytes} bytes (FLIGHTLINE_MAX_BODY_BYTES)`)
      }
      chunks.push(Buffer.from(value))
    }
  }
  const raw = Buffer.concat(chunks, size)
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase()
  if (encoding === 'identity' || encoding === '') return raw
  if (encoding !== 'gzip' && encoding !== 'deflate') {
    throw unsupportedMediaType(`Content-Encoding '${encoding}' is not supported; send gzip, deflate or no encoding`)
  }
  try {
    return await (encoding === 'gzip' ? gunzip : inflate)(raw, { maxOutputLength: maxBytes })
  } catch (error) {
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw payloadTooLarge(`decompressed body exceeds the limit of ${maxBytes} bytes (FLIGHTLINE_MAX_BODY_BYTES)`)
    }
    throw badRequest(`body is not valid ${encoding} data: ${(error as Error).message}`)
  }
}

export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const body = await readBody(request, maxBytes)
  if (body.length === 0) throw badRequest('request body is empty; send a JSON object')
  assertJsonValueCount(body)
  try {
    return JSON.parse(body.toString('utf8'))
  } catch (error) {
    throw badRequest(`body is not valid JSON: ${(error as Error).message}`)
  }
}

/** Like readJson, for bodies that may be left out: an empty body reads as `{}`. */
export async function readOptionalJson(request: Request, maxBytes: number): Promise<unknown> {
  const body = await readBody(request, maxBytes)
  if (body.length === 0) return {}
  assertJsonValueCount(body)
  try {
    return JSON.parse(body.toString('utf8'))
  } catch (error) {
    throw badRequest(`body is not valid JSON: ${(error as Error).message}`)
  }
}
