import { describe, expect, it } from 'vitest'
import { layoutGraph } from './layout'

describe('layoutGraph', () => {
  it('places every node of a graph with a cycle, callers left of callees', async () => {
    const nodes = ['agent', 'model', 'tool'].map((id) => ({ id, width: 160, height: 48 }))
    const edges = [
      { id: 'e1', source: 'agent', target: 'model' },
      { id: 'e2', source: 'model', target: 'tool' },
      { id: 'e3', source: 'tool', target: 'model' },
    ]
    const { positions, width, height } = await layoutGraph({ nodes, edges, algorithm: 'layered' })
    expect(Object.keys(positions).sort()).toEqual(['agent', 'model', 'tool'])
    expect(positions.agent.x).toBeLessThan(positions.model.x)
    expect(width).toBeGreaterThan(0)
    expect(height).toBeGreaterThan(0)
  })

  it('lays out a tree without overlapping nodes', async () => {
    const nodes = Array.from({ length: 40 }, (_, i) => ({ id: `n${i}`, width: 120, height: 30 }))
    const edges = nodes.slice(1).map((node, i) => ({ id: `e${i}`, source: `n${Math.floor(i / 3)}`, target: node.id }))
    const { positions } = await layoutGraph({ nodes, edges, algorithm: 'mrtree' })
    const boxes = Object.values(positions)
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const overlap = Math.abs(boxes[i].x - boxes[j].x) < 120 && Math.abs(boxes[i].y - boxes[j].y) < 30
        expect(overlap).toBe(false)
      }
    }
  })
})
