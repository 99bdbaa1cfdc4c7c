// The address a request really comes from, for per-address limits (failed sign-ins).
//
// Next gives route handlers and server actions no socket, so our server (scripts/server.mjs)
// writes the socket's address into PEER_ADDRESS_HEADER on every request, replacing whatever a
// client sent, and marks the process; without that mark (a bare `next start` or `next dev`) the
// header could be forged, so no address is known. X-Forwarded-For counts only when the socket
// belongs to a proxy listed in FLIGHTLINE_TRUSTED_PROXIES (default: none): then the client is
// the right-most address in it that is not itself a trusted proxy, since everything left of
// what our own proxies appended is whatever the client chose to send.
import net from 'node:net'
import { env } from '@/lib/config/env'

export const PEER_ADDRESS_HEADER = 'x-flightline-peer-address'
const SERVER_MARK = Symbol.for('flightline.peer-address-header')

function servedByFlightline(): boolean {
  return (globalThis as Record<symbol, unknown>)[SERVER_MARK] === true
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is 10.0.0.1. */
export function normalizeAddress(value: string | null | undefined): string | undefined {
  const address = value?.trim().replace(/^\[(.*)\]$/, '$1')
  if (!address) return undefined
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  return mapped ? mapped[1] : address
}

export function trustedProxyList(entries: readonly string[]): net.BlockList {
  const list = new net.BlockList()
  for (const entry of entries) {
    const [address, prefix] = entry.split('/')
    const type = net.isIP(address) === 6 ? 'ipv6' : 'ipv4'
    if (prefix === undefined) list.addAddress(address, type)
    else list.addSubnet(address, Number(prefix), type)
  }
  return list
}

function isTrusted(address: string, proxies: net.BlockList): boolean {
  const family = net.isIP(address)
  return family !== 0 && proxies.check(address, family === 6 ? 'ipv6' : 'ipv4')
}

let cachedProxies: net.BlockList | undefined

/**
 * The client's address, or undefined when this process cannot know it (not served by our
 * server). `proxies` defaults to FLIGHTLINE_TRUSTED_PROXIES.
 */
export function clientAddress(headers: Pick<Headers, 'get'>, proxies?: net.BlockList, served = servedByFlightline()): string | undefined {
  if (!served) return undefined
  const peer = normalizeAddress(headers.get(PEER_ADDRESS_HEADER))
  if (!peer) return undefined
  const trusted = proxies ?? (cachedProxies ??= trustedProxyList(env().FLIGHTLINE_TRUSTED_PROXIES))
  if (!isTrusted(peer, trusted)) return peer
  const hops = (headers.get('x-forwarded-for') ?? '').split(',').map(normalizeAddress)
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]
    if (!hop) continue
    if (!isTrusted(hop, trusted)) return hop
  }
  // Every hop is one of our proxies: the request started at the first of them.
  return hops.find(Boolean) ?? peer
}
