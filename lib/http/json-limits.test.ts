import { describe, expect, it } from 'vitest'
import { assertJsonValueCount, countJsonValues, MAX_JSON_VALUES } from './json-limits'

const bytes = (text: string) => Buffer.from(text)

describe('countJsonValues', () => {
  it('counts separators and containers outside strings', () => {
    expect(countJsonValues(bytes('{"spans":[{},{},{}]}'))).toBe(7)
    expect(countJsonValues(bytes('{"a":"x,{[\\",y"}'))).toBe(1)
  })

  it('refuses a body of millions of tiny values before parsing it', () => {
    const body = bytes(`{"spans":[${Array(MAX_JSON_VALUES).fill('{}').join(',')}]}`)
    expect(() => assertJsonValueCount(body)).toThrow(/1,000,000 JSON values/)
    expect(() => assertJsonValueCount(bytes(`{"spans":[${Array(1000).fill('{"a":1}').join(',')}]}`))).not.toThrow()
  })
})
