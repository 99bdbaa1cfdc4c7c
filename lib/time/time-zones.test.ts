import { describe, expect, it } from 'vitest'
import { resolveTimeZone } from './time-zones'

const engine = new Map(['UTC', 'Europe/Berlin', 'America/New_York', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'Asia/Kolkata'].map((name) => [name.toLowerCase(), name]))

describe('resolveTimeZone', () => {
  it('answers known zones in the engine spelling, whatever the letter case', () => {
    expect(resolveTimeZone('UTC', engine)).toBe('UTC')
    expect(resolveTimeZone('utc', engine)).toBe('UTC')
    expect(resolveTimeZone('america/new_york', engine)).toBe('America/New_York')
    expect(resolveTimeZone('America/Argentina/Buenos_Aires', engine)).toBe('America/Argentina/Buenos_Aires')
    expect(resolveTimeZone('etc/gmt+5', engine)).toBe('Etc/GMT+5')
    expect(resolveTimeZone('asia/kolkata', engine)).toBe('Asia/Kolkata')
  })

  it('refuses names that are not zones, and zones the engine does not know', () => {
    for (const tz of ['Mars/Olympus', '+05:00', 'utc; DROP', '', 'Europe/../etc', 'utc+25']) expect(resolveTimeZone(tz, engine), tz).toBeUndefined()
    // The runtime knows it, the engine (this list) does not.
    expect(resolveTimeZone('Europe/Paris', engine)).toBeUndefined()
  })

  it('without the engine list, trusts the runtime and fixes the letter case of canonical names', () => {
    expect(resolveTimeZone('utc', undefined)).toBe('UTC')
    expect(resolveTimeZone('Europe/Paris', undefined)).toBe('Europe/Paris')
    expect(resolveTimeZone('Mars/Olympus', undefined)).toBeUndefined()
  })
})
