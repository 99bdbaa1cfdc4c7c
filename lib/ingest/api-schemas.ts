// JSON Schema documents of the ingest API's request bodies, derived from the zod schemas.
import { z } from 'zod'
import { scoreInputSchema } from './score-schema'
import { spanInputSchema } from './span-schema'

function toSchema(title: string, description: string, schema: z.ZodType) {
  return {
    $id: `https://flightline.dev/schemas/${title}.json`,
    title,
    description,
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }),
  }
}

export function apiSchemaDocuments(): Record<string, unknown> {
  return {
    'spans-request.schema.json': toSchema(
      'spans-request',
      'Body of POST /api/v1/spans. Times are ISO-8601 strings or unix nanoseconds (digit strings keep full precision).',
      z.object({ spans: z.array(spanInputSchema).describe('Spans to store; each is validated on its own (invalid ones are reported, valid ones stored).') }),
    ),
    'scores-request.schema.json': toSchema(
      'scores-request',
      'Body of POST /api/v1/scores. A score needs a numeric value, a label, or both.',
      z.object({ scores: z.array(scoreInputSchema) }),
    ),
  }
}
