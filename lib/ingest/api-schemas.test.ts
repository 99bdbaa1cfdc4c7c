import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { apiSchemaDocuments } from './api-schemas'

describe('published JSON Schemas', () => {
  it('match the zod schemas the server validates with (run `npx tsx scripts/export-schemas.ts` after changing them)', () => {
    for (const [file, document] of Object.entries(apiSchemaDocuments())) {
      const committed = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'docs', 'api', file), 'utf8'))
      expect(committed, file).toEqual(document)
    }
  })

  it('document every span field of the API', () => {
    const spans = apiSchemaDocuments()['spans-request.schema.json'] as { properties: { spans: { items: { properties: Record<string, unknown> } } } }
    const fields = Object.keys(spans.properties.spans.items.properties)
    for (const name of ['trace_id', 'span_id', 'start_time', 'cache_read_tokens', 'local_input_tokens', 'route_segment', 'schema_valid', 'attributes', 'resource']) {
      expect(fields).toContain(name)
    }
  })
})
