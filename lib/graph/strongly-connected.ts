// Tarjan's strongly connected components, iterative so that a graph as deep as a 20,000-span
// chain cannot overflow the call stack. Returns components in reverse topological order.
export function stronglyConnectedComponents(nodeIds: readonly string[], successors: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>()
  const lowlink = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const components: string[][] = []
  let counter = 0

  for (const start of nodeIds) {
    if (index.has(start)) continue
    // Each frame: the node and how many of its successors were already visited.
    const frames: Array<{ node: string; next: number }> = [{ node: start, next: 0 }]
    index.set(start, counter)
    lowlink.set(start, counter++)
    stack.push(start)
    onStack.add(start)
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]
      const out = successors.get(frame.node) ?? []
      if (frame.next < out.length) {
        const child = out[frame.next++]
        if (!index.has(child)) {
          index.set(child, counter)
          lowlink.set(child, counter++)
          stack.push(child)
          onStack.add(child)
          frames.push({ node: child, next: 0 })
        } else if (onStack.has(child)) {
          lowlink.set(frame.node, Math.min(lowlink.get(frame.node)!, index.get(child)!))
        }
        continue
      }
      frames.pop()
      if (frames.length > 0) {
        const parent = frames[frames.length - 1].node
        lowlink.set(parent, Math.min(lowlink.get(parent)!, lowlink.get(frame.node)!))
      }
      if (lowlink.get(frame.node) === index.get(frame.node)) {
        const component: string[] = []
        let member: string
        do {
          member = stack.pop()!
          onStack.delete(member)
          component.push(member)
        } while (member !== frame.node)
        components.push(component)
      }
    }
  }
  return components
}
