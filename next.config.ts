import type { NextConfig } from 'next'

const config: NextConfig = {
  // Native engines run in the server process; bundling them breaks their addon / file loading.
  // prom-client and pino: one copy shared with scripts/server.mjs (one metrics registry, one logger).
  serverExternalPackages: ['chdb', '@electric-sql/pglite', 'pg', '@grpc/grpc-js', 'prom-client', 'pino'],
  // Lets tests and parallel builds keep separate build outputs.
  distDir: process.env.FLIGHTLINE_DIST_DIR || '.next',
  outputFileTracingExcludes: { '*': ['./data/**', './tmp/**', './backups/**'] },
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden() and app/forbidden.tsx: a signed-in user on a page not for their role gets a 403 page.
  experimental: { authInterrupts: true },
}

export default config
