// npm run restore -- --from <backup dir> --data-dir <new dir>
// Rebuilds a data directory from a backup taken by `npm run backup`; then start a server on it
// with FLIGHTLINE_DATA_DIR=<new dir>. Refuses a directory in use or with data in it.
import { parseArgs } from 'node:util'
import { restoreBackup } from '../lib/backup/restore'

const USAGE = 'usage: npm run restore -- --from <backup dir> --data-dir <new data dir>'

async function main(): Promise<number> {
  let values: { from?: string; 'data-dir'?: string; help?: boolean }
  try {
    ;({ values } = parseArgs({ options: { from: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }))
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    return 2
  }
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  if (!values.from || !values['data-dir']) {
    console.error(`name both the backup and the new data directory\n${USAGE}`)
    return 2
  }
  try {
    const summary = await restoreBackup(values.from, values['data-dir'])
    const { manifest } = summary
    console.log(`restored the backup of ${manifest.started_at} (Flightline ${manifest.flightline_version}) into ${summary.dataDir}`)
    console.log(`  postgres: ${Object.entries(summary.postgresRows).map(([table, rows]) => `${table} ${rows}`).join(', ')}`)
    console.log(`  clickhouse: ${Object.entries(summary.clickhouseRows).map(([table, rows]) => `${table} ${rows}`).join(', ')}`)
    console.log(`start a server on it: FLIGHTLINE_DATA_DIR=${summary.dataDir} npm start`)
    return 0
  } catch (error) {
    console.error(`restore failed: ${(error as Error).message}`)
    return 1
  }
}

// The embedded engines may keep handles open after closing; the work is done.
process.exit(await main())
