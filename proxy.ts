// Runs before pages render. Its one job: a share link that no longer works (or never did)
// answers with the right status - 404 for an unknown token, 410 for a revoked or expired one -
// and a page saying so, before any page code runs. It asks the server's own share API rather
// than opening the stores itself (the proxy shares no modules with the app).
import { NextResponse, type NextRequest } from 'next/server'

const MESSAGES: Record<number, { title: string; body: string }> = {
  404: { title: 'This share link does not exist', body: 'Check that the link was copied whole, or ask whoever shared it for a new one.' },
  410: { title: 'This share link no longer works', body: 'It was revoked or has expired. Ask whoever shared it for a new link.' },
}

function page(status: number, detail: string): NextResponse {
  const { title, body } = MESSAGES[status]
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Flightline</title>
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;display:flex;justify-content:center;padding-top:15vh">
<main style="max-width:28rem;background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:2rem">
<h1 style="font-size:1.1rem;margin:0 0 .5rem">${title}</h1><p style="color:#475569;margin:0">${body}</p>
<p style="color:#94a3b8;font-size:.8rem;margin-top:1rem" data-status="${status}">${detail}</p></main></body></html>`
  return new NextResponse(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } })
}

export async function proxy(request: NextRequest) {
  const token = request.nextUrl.pathname.split('/')[2] ?? ''
  const check = await fetch(new URL(`/api/v1/shares/${encodeURIComponent(token)}`, request.nextUrl.origin), { cache: 'no-store' }).catch(() => undefined)
  if (!check) return NextResponse.next()
  if (check.status === 404) return page(404, 'Unknown share link.')
  if (check.status === 410) {
    const { error } = (await check.json().catch(() => ({}))) as { error?: string }
    return page(410, error ?? 'Revoked or expired.')
  }
  return NextResponse.next()
}

export const config = { matcher: ['/s/:token', '/s/:token/traces/:traceId'] }
