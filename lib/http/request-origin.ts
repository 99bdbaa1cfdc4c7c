// The origin a browser used to reach this server (behind a proxy too), for the URLs shown in
// copy-paste instructions.
export function originFromHeaders(headers: Pick<Headers, 'get'>): string {
  const host = headers.get('x-forwarded-host') ?? headers.get('host') ?? 'localhost:3000'
  const proto = headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || 'http'
  return `${proto}://${host}`
}
