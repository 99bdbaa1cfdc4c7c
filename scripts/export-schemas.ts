// Writes the JSON Schemas of the ingest API from the zod schemas the server validates with,
// so the published shape can never drift from the code: `npx tsx scripts/export-schemas.ts`.
// A unit test fails when the committed files are out of date.
import fs from 'node:fs'
import path from 'node:path'
import { apiSchemaDocuments } from '../lib/ingest/api-schemas'

const outDir = path.join(import.meta.dirname, '..', 'docs', 'api')
fs.mkdirSync(outDir, { recursive: true })
for (const [file, document] of Object.entries(apiSchemaDocuments())) {
  fs.writeFileSync(path.join(outDir, file), `${JSON.stringify(document, null, 2)}\n`)
  console.log(`wrote docs/api/${file}`)
}
