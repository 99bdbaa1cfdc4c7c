// OTLP over gRPC in the server process: TraceService/Export and LogsService/Export on
// FLIGHTLINE_OTLP_GRPC_PORT (4317 by default, 0 turns it off), served by @grpc/grpc-js. Requests
// are authenticated like HTTP (the `authorization` metadata: Bearer key or Basic), may be gzip
// compressed (grpc-encoding), and end in the same decode -> validate -> store path as OTLP/HTTP
// (ingestExport). Answers use the spec's status codes: INVALID_ARGUMENT for bad data,
// UNAUTHENTICATED / PERMISSION_DENIED, RESOURCE_EXHAUSTED for a message over the size limit,
// UNAVAILABLE with a google.rpc.RetryInfo when shedding load.
import * as grpc from '@grpc/grpc-js'
import { resolveProject } from '@/lib/auth/with-project'
import { env } from '@/lib/config/env'
import { HttpError } from '@/lib/http/errors'
import { isOverloadedError } from '@/lib/ingest/batch-writer'
import { storesReady } from '@/lib/runtime/stores'
import { logFailure } from '@/lib/observability/logger'
import { metrics } from '@/lib/observability/metrics'
import { ingestExport } from './handle-export'
import { OtlpDecodeError } from './otlp-span'
import { RetryInfo, RpcStatus } from './otlp-proto'
import { encodeExportResponse, type OtlpSignal } from './respond'

const SERVICES: Record<OtlpSignal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
}

// Messages stay bytes here: the request is decoded by our own OTLP decoder, the response is
// encoded before it is handed over.
const identity = (value: Buffer) => value

function definition(signal: OtlpSignal): grpc.ServiceDefinition {
  return {
    Export: {
      path: SERVICES[signal],
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  }
}

const HTTP_TO_GRPC: Record<number, grpc.status> = {
  400: grpc.status.INVALID_ARGUMENT,
  401: grpc.status.UNAUTHENTICATED,
  403: grpc.status.PERMISSION_DENIED,
  404: grpc.status.NOT_FOUND,
  413: grpc.status.RESOURCE_EXHAUSTED,
  415: grpc.status.INVALID_ARGUMENT,
  429: grpc.status.RESOURCE_EXHAUSTED,
  503: grpc.status.UNAVAILABLE,
}

/** UNAVAILABLE with RetryInfo in grpc-status-details-bin: the exporter waits that long and retries. */
function unavailable(message: string, retryAfterSeconds: number): grpc.ServerErrorResponse {
  const metadata = new grpc.Metadata()
  const retry = RetryInfo.encode(RetryInfo.create({ retryDelay: { seconds: retryAfterSeconds, nanos: 0 } })).finish()
  const status = RpcStatus.encode(
    RpcStatus.create({ code: grpc.status.UNAVAILABLE, message, details: [{ type_url: 'type.googleapis.com/google.rpc.RetryInfo', value: retry }] }),
  ).finish()
  metadata.set('grpc-status-details-bin', Buffer.from(status))
  return Object.assign(new Error(message), { code: grpc.status.UNAVAILABLE, details: message, metadata })
}

function failure(code: grpc.status, message: string): grpc.ServerErrorResponse {
  return Object.assign(new Error(message), { code, details: message })
}

function toGrpcError(error: unknown, signal: OtlpSignal): grpc.ServerErrorResponse {
  const answer = grpcError(error, signal)
  if (answer.code === grpc.status.UNAVAILABLE) metrics().shed.inc({ status: 'grpc_unavailable' })
  return answer
}

function grpcError(error: unknown, signal: OtlpSignal): grpc.ServerErrorResponse {
  if (error instanceof OtlpDecodeError) return failure(grpc.status.INVALID_ARGUMENT, error.message)
  if (isOverloadedError(error)) return unavailable(error.message, error.retryAfterSeconds ?? 1)
  if (error instanceof HttpError) {
    if (error.status === 503) return unavailable(error.message, Number(error.headers['Retry-After'] ?? 1) || 1)
    return failure(HTTP_TO_GRPC[error.status] ?? grpc.status.UNKNOWN, error.message)
  }
  logFailure(`OTLP/gRPC ${signal} export failed`, error)
  return failure(grpc.status.INTERNAL, 'internal error; see the server log')
}

function exportHandler(signal: OtlpSignal): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    void (async () => {
      await storesReady()
      // The one authentication path: the metadata becomes the header an HTTP request would carry.
      const authorization = call.metadata.get('authorization').map(String)[0]
      const { projectId } = await resolveProject(
        new Request(`http://grpc.local${SERVICES[signal]}`, { headers: authorization ? { authorization } : {} }),
        'ingest',
      )
      const result = await ingestExport(projectId, signal, 'protobuf', call.request, 'grpc')
      callback(null, encodeExportResponse(signal, result))
    })().catch((error: unknown) => callback(toGrpcError(error, signal)))
  }
}

const GLOBAL_KEY = Symbol.for('flightline.grpc-server')
type Holder = { server?: grpc.Server; port?: number }
const holder: Holder = ((globalThis as Record<symbol, Holder>)[GLOBAL_KEY] ??= {})

/**
 * Starts the gRPC server on `port` (all interfaces). Never throws: a port that cannot be bound
 * (in use, no permission) is logged with what to do, and HTTP ingest keeps working.
 */
export function startGrpcServer(port: number): Promise<number | undefined> {
  if (holder.server) return Promise.resolve(holder.port)
  const server = new grpc.Server({
    'grpc.max_receive_message_length': env().FLIGHTLINE_MAX_BODY_BYTES,
  })
  server.addService(definition('traces'), { Export: exportHandler('traces') })
  server.addService(definition('logs'), { Export: exportHandler('logs') })
  return new Promise((resolve) => {
    server.bindAsync(`0.0.0.0:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => {
      if (error) {
        const inUse = /EADDRINUSE|address already in use|No address added/i.test(error.message)
        console.error(
          `[flightline] OTLP/gRPC is off: could not listen on port ${port}${inUse ? ' (the port is already in use)' : ''}: ${error.message}. ` +
            'Set FLIGHTLINE_OTLP_GRPC_PORT to a free port, or to 0 to turn gRPC off; OTLP over HTTP (/v1/traces, /v1/logs) keeps working.',
        )
        server.forceShutdown()
        resolve(undefined)
        return
      }
      holder.server = server
      holder.port = bound
      console.log(`[flightline] OTLP/gRPC listening on port ${bound} (traces and logs)`)
      resolve(bound)
    })
  })
}

/** Stops taking calls and lets running ones finish (at most a few seconds). */
export function stopGrpcServer(): Promise<void> {
  const server = holder.server
  if (!server) return Promise.resolve()
  holder.server = undefined
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown()
      resolve()
    }, 3000)
    server.tryShutdown(() => {
      clearTimeout(timer)
      resolve()
    })
  })
}
