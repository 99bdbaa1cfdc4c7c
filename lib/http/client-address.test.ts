import { describe, expect, it } from 'vitest'
import { clientAddress, normalizeAddress, PEER_ADDRESS_HEADER, trustedProxyList } from './client-address'

const headers = (values: Record<string, string>) => new Headers(values)
const none = trustedProxyList([])
const proxies = trustedProxyList(['10.0.0.0/8', '192.0.2.1', 'fd00::/8'])

describe('clientAddress', () => {
  it('is the socket address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: '198.51.100.4', 'x-forwarded-for': '203.0.113.9' }), none, true)).toBe('198.51.100.4')
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: '::ffff:198.51.100.4' }), none, true)).toBe('198.51.100.4')
  })

  it('is unknown when the request did not come through our server (the header could be forged)', () => {
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: '198.51.100.4' }), none, false)).toBeUndefined()
  })

  it('behind trusted proxies, is the right-most address that is not one of them', () => {
    const via = (peer: string, xff?: string) => clientAddress(headers({ [PEER_ADDRESS_HEADER]: peer, ...(xff ? { 'x-forwarded-for': xff } : {}) }), proxies, true)
    expect(via('10.1.2.3', '203.0.113.9')).toBe('203.0.113.9')
    // What the client wrote itself sits left of what our proxies appended.
    expect(via('10.1.2.3', '1.1.1.1, 203.0.113.9, 192.0.2.1')).toBe('203.0.113.9')
    expect(via('fd00::1', '2001:db8::7')).toBe('2001:db8::7')
    // A peer that is not a trusted proxy is the client, whatever it forwards.
    expect(via('198.51.100.4', '203.0.113.9')).toBe('198.51.100.4')
    // Only proxies in the chain: the first of them.
    expect(via('10.1.2.3', '10.9.9.9')).toBe('10.9.9.9')
    expect(via('10.1.2.3')).toBe('10.1.2.3')
  })

  it('normalizes bracketed and IPv4-mapped addresses', () => {
    expect(normalizeAddress('[2001:db8::1]')).toBe('2001:db8::1')
    expect(normalizeAddress(' ::FFFF:10.0.0.1 ')).toBe('10.0.0.1')
    expect(normalizeAddress('')).toBeUndefined()
  })
})
