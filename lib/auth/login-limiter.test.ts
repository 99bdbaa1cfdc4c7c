import { describe, expect, it } from 'vitest'
import { LoginLimiter } from './login-limiter'

describe('LoginLimiter', () => {
  it('allows a few failures, then locks with growing waits, and forgets on success', () => {
    let now = 0
    const limiter = new LoginLimiter(() => now)
    const keys = ['email:a@b.c', 'ip:1.2.3.4']
    for (let i = 0; i < 4; i++) limiter.recordFailure(keys)
    expect(limiter.retryAfterSeconds(keys)).toBe(0)
    limiter.recordFailure(keys)
    expect(limiter.retryAfterSeconds(keys)).toBe(30)
    limiter.recordFailure(keys)
    expect(limiter.retryAfterSeconds(keys)).toBe(60)
    now += 61_000
    expect(limiter.retryAfterSeconds(keys)).toBe(0)
    limiter.recordSuccess(keys)
    limiter.recordFailure(keys)
    expect(limiter.retryAfterSeconds(keys)).toBe(0)
  })

  it('locks an address that tries many emails', () => {
    const limiter = new LoginLimiter(() => 0)
    for (let i = 0; i < 5; i++) limiter.recordFailure([`email:user${i}@x.y`, 'ip:9.9.9.9'])
    expect(limiter.retryAfterSeconds(['email:new@x.y', 'ip:9.9.9.9'])).toBe(30)
  })
})
