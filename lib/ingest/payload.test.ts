import { describe, expect, it } from 'vitest'
import { fitPayload } from './payload'

describe('fitPayload', () => {
  it('keeps payloads under the limit whole', () => {
    expect(fitPayload('hello', 1024)).toEqual({ text: 'hello', originalBytes: 0 })
    expect(fitPayload({ a: 1 }, 1024)).toEqual({ text: '{"a":1}', originalBytes: 0 })
    expect(fitPayload(undefined, 1024)).toEqual({ text: '', originalBytes: 0 })
  })

  it('cuts at a character boundary and records the original size', () => {
    const text = '€'.repeat(1000) // 3 bytes each
    const fitted = fitPayload(text, 1000)
    expect(fitted.originalBytes).toBe(3000)
    expect(Buffer.byteLength(fitted.text)).toBe(999)
    expect(fitted.text).toBe('€'.repeat(333))
  })
})
