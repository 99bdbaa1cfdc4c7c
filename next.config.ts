import type { NextConfig } from 'next'

const config: NextConfig = {
  // Native engines run in the server process; bundling them breaks their addon / file loading.
  serverExternalPackages: ['chdb', '@electric-sql/pglite', 'pg', '@grpc/grpc-js'],
  // Lets tests and parallel builds keep separate build outputs.
  distDir: process.env.FLIGHTLINE_DIST_DIR || '.next',
  outputFileTracingExcludes: { '*': ['./data/**', './tmp/**'] },
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden() and app/forbidden.tsx: a signed-in user on a page not for their role gets a 403 page.
  experimental: { authInterrupts: true },
}

export default config
