import type { Metadata } from 'next'
import './globals.css'

export const metadata: Metadata = {
  title: 'Flightline',
  description: 'Flight recorder and incident console for LLM and agent applications',
}

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans text-sm">{children}</body>
    </html>
  )
}
