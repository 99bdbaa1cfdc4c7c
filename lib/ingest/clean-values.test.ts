import { describe, expect, it } from 'vitest'
import { cleanItem, MAX_NESTING_DEPTH } from './clean-values'

describe('cleanItem', () => {
  it('replaces lone surrogates in values and keys, at any depth, and keeps NUL and valid pairs', () => {
    const item = JSON.parse('{"name":"x\\ud800","a\\udc00":{"b\\ud800":["\\ud83d\\ude00","y\\udfff\\u0000"]},"ok":"\\u0000"}')
    const cleaned = cleanItem(item)
    expect(cleaned).toEqual({ ok: true, item: { name: 'x\ufffd', 'a\ufffd': { 'b\ufffd': ['\u{1f600}', 'y\ufffd\u0000'] }, ok: '\u0000' } })
  })

  it('keeps a __proto__ key as data', () => {
    const cleaned = cleanItem(JSON.parse('{"attributes":{"__proto__":"x\\ud800","k\\ud800":1}}'))
    expect(cleaned.ok).toBe(true)
    const attributes = (cleaned as { item: { attributes: Record<string, unknown> } }).item.attributes
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toBe('x\ufffd')
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype)
  })

  it('refuses a field nested deeper than the limit, naming the field, without overflowing the stack', () => {
    const deep = JSON.parse(`{"input":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)
    expect(cleanItem(deep)).toEqual({ ok: false, error: expect.stringMatching(/^input: nested more than 128 levels deep/) })
    const fits = JSON.parse(`{"input":${'['.repeat(MAX_NESTING_DEPTH)}${']'.repeat(MAX_NESTING_DEPTH)}}`)
    expect(cleanItem(fits).ok).toBe(true)
  })

  it('leaves values that are not objects for the validator', () => {
    expect(cleanItem(null)).toEqual({ ok: true, item: null })
    expect(cleanItem('x\ud800')).toEqual({ ok: true, item: 'x\ud800' })
  })
})
