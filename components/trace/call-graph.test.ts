import { describe, expect, it } from 'vitest'
import { NODE_TEXT_PX, openingViewport, READABLE_ZOOM } from './call-graph'

describe('openingViewport', () => {
  it('fits a small graph whole, never zooming past 1.2', () => {
    const view = openingViewport({ minX: 0, minY: 0, maxX: 200, maxY: 100 }, 800, 600)
    expect(view.zoom).toBe(1.2)
  })

  it('keeps node names at 11 px or more: a graph too big to fit opens at the readable zoom, its top in view, centred on the root', () => {
    const bounds = { minX: 0, minY: 0, maxX: 3000, maxY: 2000 }
    const view = openingViewport(bounds, 600, 500, 1500)
    expect(view.zoom).toBe(READABLE_ZOOM)
    expect(NODE_TEXT_PX * view.zoom).toBeGreaterThanOrEqual(11)
    // The top of the graph sits at the top of the canvas, and the root's centre in the middle.
    expect(view.y).toBeCloseTo(24, 6)
    expect(view.x + 1500 * view.zoom).toBeCloseTo(300, 6)
  })

  it('does not scroll past the left edge of the graph to centre a root near it', () => {
    const view = openingViewport({ minX: 0, minY: 0, maxX: 3000, maxY: 2000 }, 600, 500, 50)
    expect(view.x).toBeCloseTo(24, 6)
  })
})
