'use client'

// Tells client widgets that they are showing a shared view: links out of the view are not
// rendered, and on-demand loads carry the share token instead of a session.
import { createContext, useContext } from 'react'

const ShareTokenContext = createContext<string | null>(null)

export function ShareTokenProvider({ token, children }: { token: string; children: React.ReactNode }) {
  return <ShareTokenContext.Provider value={token}>{children}</ShareTokenContext.Provider>
}

/** The share token when rendering a shared view, else null. */
export function useShareToken(): string | null {
  return useContext(ShareTokenContext)
}
