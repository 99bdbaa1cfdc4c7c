import { describe, expect, it } from 'vitest'
import { MAX_INDENT_LEVELS, subtreeEnds, treeIndent, visibleSpans } from './tree-rows'

// root(0) > a(1) > a1(2), a2(3) ; root > b(4) > b1(5) > b11(6) ; c(7) is a second root
const depths = [0, 1, 2, 2, 1, 2, 3, 0].map((depth) => ({ depth }))

describe('tree rows', () => {
  it('finds where each subtree ends', () => {
    expect([...subtreeEnds(depths)]).toEqual([7, 4, 3, 4, 7, 7, 7, 8])
  })

  it('skips the subtree of a collapsed span, and only that', () => {
    const ends = subtreeEnds(depths)
    expect(visibleSpans(depths, ends, new Set())).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(visibleSpans(depths, ends, new Set([1]))).toEqual([0, 1, 4, 5, 6, 7])
    expect(visibleSpans(depths, ends, new Set([1, 5]))).toEqual([0, 1, 4, 5, 7])
    expect(visibleSpans(depths, ends, new Set([0]))).toEqual([0, 7])
  })
})

describe('treeIndent', () => {
  it('indents shallow spans by their depth and caps deep ones, showing their depth number', () => {
    expect(treeIndent(0)).toEqual({ levels: 0 })
    expect(treeIndent(MAX_INDENT_LEVELS)).toEqual({ levels: MAX_INDENT_LEVELS })
    expect(treeIndent(25)).toEqual({ levels: MAX_INDENT_LEVELS, depthLabel: 25 })
  })
})
