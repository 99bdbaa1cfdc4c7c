import { describe, expect, it } from 'vitest'
import { compileRules, ibanValid, luhnValid, redactSpan, redactionPutSchema, regexProblem, type RedactionRule } from './redaction'

const rules = (list: unknown[]) => {
  const parsed = redactionPutSchema.safeParse({ rules: list })
  if (!parsed.success) throw new Error(parsed.error.message)
  return compileRules(parsed.data as RedactionRule[])
}

describe('redaction', () => {
  it('checks card numbers and IBANs', () => {
    expect(luhnValid('4111111111111111')).toBe(true)
    expect(luhnValid('4111111111111112')).toBe(false)
    expect(ibanValid('DE89 3704 0044 0532 0130 00')).toBe(true)
    expect(ibanValid('DE89 3704 0044 0532 0130 01')).toBe(false)
  })

  it('finds each built-in kind and leaves look-alikes', () => {
    const all = rules(['email', 'phone', 'credit_card', 'iban', 'api_key', 'bearer_token', 'ip_address'].map((detector) => ({ detector })))
    const text = [
      'mail a.b+c@mail.example.co.uk',
      'call +44 20 7946 0958 or (555) 123-4567',
      'card 5500-0000-0000-0004, order 1234567890123',
      'iban DE89 3704 0044 0532 0130 00',
      'key AKIAIOSFODNN7EXAMPLE and sk-ant-api03-abcdefghijklmnop',
      'Authorization: Bearer abc.def-ghi',
      'from 192.168.10.20 and 2001:db8::8a2e:370:7334, version 1.2.3, at 12:30',
    ].join('\n')
    const { span, counts } = redactSpan({ input: text }, all)
    expect(span.input).toBe(
      [
        'mail [REDACTED:email]',
        'call [REDACTED:phone] or [REDACTED:phone]',
        'card [REDACTED:credit_card], order 1234567890123',
        'iban [REDACTED:iban]',
        'key [REDACTED:api_key] and [REDACTED:api_key]',
        'Authorization: [REDACTED:bearer_token]',
        'from [REDACTED:ip_address] and [REDACTED:ip_address], version 1.2.3, at 12:30',
      ].join('\n'),
    )
    expect(counts).toEqual({ email: 1, phone: 2, credit_card: 1, iban: 1, api_key: 2, bearer_token: 1, ip_address: 2 })
  })

  it('applies a rule only to its fields and keeps untouched values as they were', () => {
    const compiled = rules([{ name: 'ticket', pattern: 'T-\\d+', fields: ['output'] }])
    const input = { keep: 'T-1' }
    const { span, counts } = redactSpan({ input, output: ['T-22 done'] }, compiled)
    expect(span.input).toBe(input)
    expect(span.output).toEqual(['[REDACTED:ticket] done'])
    expect(counts).toEqual({ ticket: 1 })
    const untouched = { input: 'nothing here' }
    expect(redactSpan(untouched, compiled).span).toBe(untouched)
  })

  it('refuses patterns that backtrack badly or match nothing', () => {
    expect(regexProblem('(a+)+$')).toMatch(/backtrack/)
    expect(regexProblem('(x|xy)*z')).toMatch(/backtrack/)
    expect(regexProblem('((ab)*c)+')).toMatch(/backtrack/)
    // Adjacent repetition the static check lets through: polynomial, so the time bound refuses it.
    expect(regexProblem('a*a*a*a*a*a*b')).toMatch(/took over/)
    expect(regexProblem('(a)\\1')).toMatch(/back-reference/)
    expect(regexProblem('a?')).toMatch(/empty/)
    expect(regexProblem('[')).toMatch(/not a valid/)
    expect(regexProblem('x', 'g')).toMatch(/flags/)
    expect(regexProblem('ORD-\\d{6}')).toBeUndefined()
    expect(regexProblem('(?:ab|cd)-\\d+')).toBeUndefined()
    expect(regexProblem('[(+*]{2}')).toBeUndefined()
  })
})
