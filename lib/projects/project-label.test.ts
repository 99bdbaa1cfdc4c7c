import { describe, expect, it } from 'vitest'
import { projectLabel } from './project-label'

describe('projectLabel', () => {
  it('adds the id only to projects whose name another project shares', () => {
    const projects = [
      { id: 'p_1', name: 'support-agent' },
      { id: 'p_2', name: 'Support-Agent ' },
      { id: 'p_3', name: 'billing' },
    ]
    expect(projects.map((p) => projectLabel(p, projects))).toEqual(['support-agent (p_1)', 'Support-Agent  (p_2)', 'billing'])
  })
})
