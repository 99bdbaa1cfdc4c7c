import { afterEach, describe, expect, it, vi } from 'vitest'
import { StoreProbe } from './health'

afterEach(() => vi.useRealTimers())

describe('StoreProbe', () => {
  it('answers with the recent result while a probe waits behind other work, and runs one probe at a time', async () => {
    vi.useFakeTimers()
    let calls = 0
    let release: () => void = () => {}
    const probe = new StoreProbe(async () => {
      calls++
      if (calls > 1) await new Promise<void>((resolve) => (release = resolve))
    })
    expect(await probe.health()).toEqual({ ok: true })
    const first = probe.health()
    const second = probe.health()
    await vi.advanceTimersByTimeAsync(200)
    expect(await first).toEqual({ ok: true })
    expect(await second).toEqual({ ok: true })
    expect(calls).toBe(2)
    release()
  })

  it('waits for the probe when there is no recent answer, and reports a failure', async () => {
    const probe = new StoreProbe(async () => {
      throw new Error('engine gone')
    })
    expect(await probe.health()).toEqual({ ok: false, error: 'engine gone' })
  })
})
