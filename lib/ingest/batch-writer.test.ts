import { describe, expect, it } from 'vitest'
import { BatchWriter, OverloadedError, StoreUnavailableError } from './batch-writer'

function slowSink() {
  const batches: number[][] = []
  let release: () => void = () => {}
  let gate = new Promise<void>((resolve) => (release = resolve))
  return {
    batches,
    open: () => {
      release()
    },
    insert: async (rows: number[]) => {
      await gate
      batches.push(rows)
      gate = new Promise<void>((resolve) => (release = resolve))
    },
  }
}

describe('BatchWriter', () => {
  it('coalesces requests that arrive while an insert is in flight into one insert', async () => {
    const sink = slowSink()
    const writer = new BatchWriter<number>({ name: 't', insert: sink.insert, maxBatchRows: 1000, maxPendingRows: 10_000 })
    const first = writer.write([1])
    await new Promise((resolve) => setImmediate(resolve))
    const waiting = [writer.write([2, 3]), writer.write([4]), writer.write([5])]
    sink.open()
    await first
    sink.open()
    await Promise.all(waiting)
    expect(sink.batches).toEqual([[1], [2, 3, 4, 5]])
  })

  it('answers each request only after its own rows are written', async () => {
    const sink = slowSink()
    const writer = new BatchWriter<number>({ name: 't', insert: sink.insert, maxBatchRows: 1000, maxPendingRows: 10_000 })
    let done = false
    const pending = writer.write([1]).then(() => (done = true))
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(done).toBe(false)
    sink.open()
    await pending
    expect(done).toBe(true)
  })

  it('fails every request of a batch the store could not take (retryable), and keeps working afterwards', async () => {
    let fail = true
    const writer = new BatchWriter<number>({
      name: 't',
      insert: async () => {
        if (fail) throw new Error('disk full')
      },
      maxBatchRows: 1000,
      maxPendingRows: 10_000,
    })
    const failed = writer.write([1])
    await expect(failed).rejects.toThrow('disk full')
    await expect(failed).rejects.toBeInstanceOf(StoreUnavailableError)
    fail = false
    await expect(writer.write([2])).resolves.toEqual([])
  })

  it('isolates a row the store refuses: innocent requests in the same batch are written, the bad request learns which rows failed', async () => {
    const written: number[] = []
    const inserts: number[][] = []
    const poison = (row: number) => row < 0
    const writer = new BatchWriter<number>({
      name: 't',
      maxBatchRows: 1000,
      maxPendingRows: 10_000,
      isRowError: (error) => (error as Error).message === 'bad row',
      insert: async (rows) => {
        inserts.push(rows)
        if (rows.some(poison)) throw new Error('bad row')
        written.push(...rows)
      },
    })
    const first = writer.write([0])
    await new Promise((resolve) => setImmediate(resolve))
    // These coalesce into one insert, which fails because of the one request holding -7.
    const requests = [writer.write([1, 2]), writer.write([3, 4, -7, 5, 6]), writer.write([8]), writer.write([9, 10])]
    await first
    const outcomes = await Promise.all(requests)
    expect(outcomes[0]).toEqual([])
    expect(outcomes[1]).toEqual([{ index: 2, error: expect.objectContaining({ message: 'bad row' }) }])
    expect(outcomes[2]).toEqual([])
    expect(outcomes[3]).toEqual([])
    expect(written.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9, 10])
    expect(inserts[1]).toEqual([1, 2, 3, 4, -7, 5, 6, 8, 9, 10])
  })

  it('bounds the inserts spent isolating rows: past the budget, the rest of a failing part is refused whole', async () => {
    let inserts = 0
    const writer = new BatchWriter<number>({
      name: 't',
      maxBatchRows: 1000,
      maxPendingRows: 10_000,
      maxIsolationInserts: 4,
      isRowError: () => true,
      insert: async (rows) => {
        inserts++
        if (rows.some((row) => row % 2 === 1)) throw new Error('odd')
      },
    })
    const failures = await writer.write(Array.from({ length: 64 }, (_, i) => i))
    expect(inserts).toBeLessThanOrEqual(5)
    // Every odd row is among the failures (the good rows of an unresolved part may be too).
    const failed = new Set(failures.map((f) => f.index))
    for (let i = 1; i < 64; i += 2) expect(failed.has(i)).toBe(true)
  })

  it('a store failure met while isolating rows fails the request as retryable', async () => {
    let calls = 0
    const writer = new BatchWriter<number>({
      name: 't',
      maxBatchRows: 1000,
      maxPendingRows: 10_000,
      isRowError: (error) => (error as Error).message === 'bad row',
      insert: async () => {
        calls++
        throw new Error(calls === 1 ? 'bad row' : 'connection reset')
      },
    })
    await expect(writer.write([1, 2, 3])).rejects.toBeInstanceOf(StoreUnavailableError)
  })

  it('sheds load above the pending bound instead of growing without limit', async () => {
    const sink = slowSink()
    const writer = new BatchWriter<number>({ name: 't', insert: sink.insert, maxBatchRows: 1000, maxPendingRows: 5 })
    const first = writer.write([1, 2, 3])
    await expect(writer.write([4, 5, 6])).rejects.toBeInstanceOf(OverloadedError)
    sink.open()
    await first
    expect(writer.pendingRows).toBe(0)
  })

  it('splits a large backlog into inserts of at most maxBatchRows (one request is never split)', async () => {
    const sizes: number[] = []
    const writer = new BatchWriter<number>({ name: 't', insert: async (rows) => void sizes.push(rows.length), maxBatchRows: 4, maxPendingRows: 100 })
    await Promise.all([writer.write([1, 2, 3]), writer.write([4, 5]), writer.write([6]), writer.write([7, 8, 9, 10, 11])])
    expect(sizes).toEqual([3, 3, 5])
  })

  it('with two inserts in flight, a new request starts at once, and later ones coalesce behind both', async () => {
    const gates: Array<() => void> = []
    const batches: number[][] = []
    const writer = new BatchWriter<number>({
      name: 't',
      maxBatchRows: 1000,
      maxPendingRows: 10_000,
      maxInFlight: 2,
      insert: async (rows) => {
        batches.push(rows)
        await new Promise<void>((resolve) => gates.push(resolve))
      },
    })
    const first = writer.write([1])
    await new Promise((resolve) => setTimeout(resolve, 5))
    const second = writer.write([2])
    await new Promise((resolve) => setTimeout(resolve, 5))
    // The second insert runs while the first is still in flight.
    expect(batches).toEqual([[1], [2]])
    const later = [writer.write([3]), writer.write([4])]
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(batches).toHaveLength(2)
    gates.shift()!()
    await first
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(batches[2]).toEqual([3, 4])
    while (gates.length > 0) gates.shift()!()
    await second
    gates.shift()?.()
    await Promise.all(later)
    await writer.drain()
  })
})
