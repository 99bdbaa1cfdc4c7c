import { describe, expect, it } from 'vitest'
import { pinnedState } from './pin-range'

describe('pinnedState', () => {
  const now = new Date('2026-11-30T20:30:00Z')

  it('turns a relative range into the absolute from/to it covers now, keeping the filters', () => {
    expect(pinnedState({ range: '7d', tenant_id: 'globex' }, now)).toEqual({ tenant_id: 'globex', from: '2026-11-23T20:30:00.000Z', to: '2026-11-30T20:30:00.000Z' })
  })

  it('pins the default 24 hours when the page had no range, and keeps an absolute range as it is', () => {
    expect(pinnedState({}, now)).toEqual({ from: '2026-11-29T20:30:00.000Z', to: '2026-11-30T20:30:00.000Z' })
    expect(pinnedState({ from: '2026-11-25T14:00:00.000Z', to: '2026-11-25T18:00:00.000Z' }, now)).toEqual({ from: '2026-11-25T14:00:00.000Z', to: '2026-11-25T18:00:00.000Z' })
  })
})
