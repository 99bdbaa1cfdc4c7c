import { describe, expect, it } from 'vitest'
import { EnvError, parseEnv } from './env'

describe('parseEnv', () => {
  it('defaults to the embedded stores under ./data', () => {
    const env = parseEnv({})
    expect(env.CLICKHOUSE_URL).toBeUndefined()
    expect(env.DATABASE_URL).toBeUndefined()
    expect(env.dataDir.endsWith('/data')).toBe(true)
    expect(env.FLIGHTLINE_RETENTION_DAYS).toBe(30)
    expect(env.FLIGHTLINE_MAX_PAYLOAD_BYTES).toBe(1024 * 1024)
  })

  it('treats empty URLs as unset', () => {
    expect(parseEnv({ CLICKHOUSE_URL: '', DATABASE_URL: '' }).CLICKHOUSE_URL).toBeUndefined()
  })

  it('reads FLIGHTLINE_TRUSTED_PROXIES as addresses and CIDR blocks, none by default', () => {
    expect(parseEnv({}).FLIGHTLINE_TRUSTED_PROXIES).toEqual([])
    expect(parseEnv({ FLIGHTLINE_TRUSTED_PROXIES: ' 10.0.0.0/8, 192.0.2.1 ::1,fd00::/8 ' }).FLIGHTLINE_TRUSTED_PROXIES).toEqual(['10.0.0.0/8', '192.0.2.1', '::1', 'fd00::/8'])
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '10.0.0.1/8/2', '::1/129']) {
      expect(() => parseEnv({ FLIGHTLINE_TRUSTED_PROXIES: `10.0.0.1, ${bad}` }), bad).toThrow(new RegExp(`FLIGHTLINE_TRUSTED_PROXIES: .*${bad.replace(/[./]/g, '\\$&')}`))
    }
  })

  it('names every bad variable in one message', () => {
    try {
      parseEnv({ CLICKHOUSE_URL: 'not a url', FLIGHTLINE_RETENTION_DAYS: 'soon', FLIGHTLINE_ADMIN_TOKEN: 'short', FLIGHTLINE_MAX_PAYLOAD_BYTES: '1000' })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError)
      const message = (error as Error).message
      expect(message).toMatch(/CLICKHOUSE_URL: must be a URL/)
      expect(message).toMatch(/FLIGHTLINE_RETENTION_DAYS: must be a number/)
      expect(message).toMatch(/FLIGHTLINE_ADMIN_TOKEN: must be at least 16 characters/)
      expect(message).toMatch(/FLIGHTLINE_MAX_PAYLOAD_BYTES: must be at least 1048576/)
    }
  })
})
