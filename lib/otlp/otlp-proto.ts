// The OTLP trace messages (opentelemetry-proto v1.x, trace service) and google.rpc.Status as a
// protobufjs descriptor written here: no npm package ships the .proto files. Only the fields we
// read or write are declared; protobuf skips unknown fields, so newer senders decode fine.
import Long from 'long'
import protobuf from 'protobufjs/light.js'

// fixed64 timestamps exceed 2^53: have protobufjs produce Long values we turn into bigint.
protobuf.util.Long = Long
protobuf.configure()

const keyValueList = { values: { rule: 'repeated', type: 'KeyValue', id: 1 } }

// AnyValue's members form a oneof in the .proto: a `false`, `0` or `""` on the wire is a value,
// not an absent field. Declared as plain fields with explicit presence instead of as a oneof:
// same wire format, without protobufjs's oneof bookkeeping (which deletes the other members on
// every set and turns each decoded value into a slow dictionary-mode object).
const explicitPresence = { edition: 'proto2' }

const descriptor = {
  nested: {
    opentelemetry: {
      nested: {
        proto: {
          nested: {
            common: {
              nested: {
                v1: {
                  nested: {
                    AnyValue: {
                      fields: {
                        stringValue: { type: 'string', id: 1, ...explicitPresence },
                        boolValue: { type: 'bool', id: 2, ...explicitPresence },
                        intValue: { type: 'int64', id: 3, ...explicitPresence },
                        doubleValue: { type: 'double', id: 4, ...explicitPresence },
                        arrayValue: { type: 'ArrayValue', id: 5 },
                        kvlistValue: { type: 'KeyValueList', id: 6 },
                        bytesValue: { type: 'bytes', id: 7, ...explicitPresence },
                      },
                    },
                    ArrayValue: { fields: { values: { rule: 'repeated', type: 'AnyValue', id: 1 } } },
                    KeyValueList: { fields: keyValueList },
                    KeyValue: { fields: { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } } },
                    InstrumentationScope: {
                      fields: {
                        name: { type: 'string', id: 1 },
                        version: { type: 'string', id: 2 },
                        attributes: { rule: 'repeated', type: 'KeyValue', id: 3 },
                      },
                    },
                  },
                },
              },
            },
            resource: {
              nested: {
                v1: {
                  nested: {
                    Resource: { fields: { attributes: { rule: 'repeated', type: 'opentelemetry.proto.common.v1.KeyValue', id: 1 } } },
                  },
                },
              },
            },
            trace: {
              nested: {
                v1: {
                  nested: {
                    ResourceSpans: {
                      fields: {
                        resource: { type: 'opentelemetry.proto.resource.v1.Resource', id: 1 },
                        scopeSpans: { rule: 'repeated', type: 'ScopeSpans', id: 2 },
                        schemaUrl: { type: 'string', id: 3 },
                      },
                    },
                    ScopeSpans: {
                      fields: {
                        scope: { type: 'opentelemetry.proto.common.v1.InstrumentationScope', id: 1 },
                        spans: { rule: 'repeated', type: 'Span', id: 2 },
                        schemaUrl: { type: 'string', id: 3 },
                      },
                    },
                    Span: {
                      fields: {
                        traceId: { type: 'bytes', id: 1 },
                        spanId: { type: 'bytes', id: 2 },
                        traceState: { type: 'string', id: 3 },
                        parentSpanId: { type: 'bytes', id: 4 },
                        flags: { type: 'fixed32', id: 16 },
                        name: { type: 'string', id: 5 },
                        kind: { type: 'int32', id: 6 },
                        startTimeUnixNano: { type: 'fixed64', id: 7 },
                        endTimeUnixNano: { type: 'fixed64', id: 8 },
                        attributes: { rule: 'repeated', type: 'opentelemetry.proto.common.v1.KeyValue', id: 9 },
                        events: { rule: 'repeated', type: 'Event', id: 11 },
                        links: { rule: 'repeated', type: 'Link', id: 13 },
                        status: { type: 'Status', id: 15 },
                      },
                      nested: {
                        Event: {
                          fields: {
                            timeUnixNano: { type: 'fixed64', id: 1 },
                            name: { type: 'string', id: 2 },
                            attributes: { rule: 'repeated', type: 'opentelemetry.proto.common.v1.KeyValue', id: 3 },
                          },
                        },
                        Link: {
                          fields: {
                            traceId: { type: 'bytes', id: 1 },
                            spanId: { type: 'bytes', id: 2 },
                            traceState: { type: 'string', id: 3 },
                            attributes: { rule: 'repeated', type: 'opentelemetry.proto.common.v1.KeyValue', id: 4 },
                          },
                        },
                      },
                    },
                    Status: { fields: { message: { type: 'string', id: 2 }, code: { type: 'int32', id: 3 } } },
                  },
                },
              },
            },
            logs: {
              nested: {
                v1: {
                  nested: {
                    LogRecord: {
                      fields: {
                        timeUnixNano: { type: 'fixed64', id: 1 },
                        observedTimeUnixNano: { type: 'fixed64', id: 11 },
                        severityNumber: { type: 'int32', id: 2 },
                        severityText: { type: 'string', id: 3 },
                        body: { type: 'opentelemetry.proto.common.v1.AnyValue', id: 5 },
                        attributes: { rule: 'repeated', type: 'opentelemetry.proto.common.v1.KeyValue', id: 6 },
                        flags: { type: 'fixed32', id: 8 },
                        traceId: { type: 'bytes', id: 9 },
                        spanId: { type: 'bytes', id: 10 },
                        eventName: { type: 'string', id: 12 },
                      },
                    },
                  },
                },
              },
            },
            collector: {
              nested: {
                logs: {
                  nested: {
                    v1: {
                      nested: {
                        ExportLogsServiceResponse: { fields: { partialSuccess: { type: 'ExportLogsPartialSuccess', id: 1 } } },
                        ExportLogsPartialSuccess: {
                          fields: { rejectedLogRecords: { type: 'int64', id: 1 }, errorMessage: { type: 'string', id: 2 } },
                        },
                      },
                    },
                  },
                },
                trace: {
                  nested: {
                    v1: {
                      nested: {
                        ExportTraceServiceRequest: {
                          fields: { resourceSpans: { rule: 'repeated', type: 'opentelemetry.proto.trace.v1.ResourceSpans', id: 1 } },
                        },
                        ExportTraceServiceResponse: { fields: { partialSuccess: { type: 'ExportTracePartialSuccess', id: 1 } } },
                        ExportTracePartialSuccess: {
                          fields: { rejectedSpans: { type: 'int64', id: 1 }, errorMessage: { type: 'string', id: 2 } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
            Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
          },
        },
        rpc: {
          nested: {
            RetryInfo: { fields: { retryDelay: { type: 'google.protobuf.Duration', id: 1 } } },
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
          },
        },
      },
    },
  },
}

const root = protobuf.Root.fromJSON(descriptor)

export const ExportTraceServiceRequest = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest')
export const ExportTraceServiceResponse = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse')
export const RpcStatus = root.lookupType('google.rpc.Status')
export const RetryInfo = root.lookupType('google.rpc.RetryInfo')
export const Resource = root.lookupType('opentelemetry.proto.resource.v1.Resource')
export const InstrumentationScope = root.lookupType('opentelemetry.proto.common.v1.InstrumentationScope')
export const Span = root.lookupType('opentelemetry.proto.trace.v1.Span')
export const LogRecord = root.lookupType('opentelemetry.proto.logs.v1.LogRecord')
export const ExportLogsServiceResponse = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse')
export const Reader = protobuf.Reader
