// The time zones the ClickHouse engine knows (its own time zone database, which can differ from
// the runtime's), read once when the stores open.
import { querySystem } from '../query'

export async function engineTimeZones(): Promise<string[]> {
  const rows = await querySystem<{ time_zone: string }>('system.time_zones', 'SELECT time_zone FROM system.time_zones')
  return rows.map((row) => row.time_zone)
}
