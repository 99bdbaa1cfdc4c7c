import { describe, expect, it } from 'vitest'
import { ANALYTICS_TOPICS, SECTIONS, sectionOf } from './sections'

describe('sections', () => {
  it('puts every analytics screen under one topic of the analytics bar, and nothing else there', () => {
    for (const section of SECTIONS) {
      if (section.group === 'Analytics') expect(ANALYTICS_TOPICS, section.path).toContain(section.topic)
      else expect(section.topic, section.path).toBeUndefined()
    }
    expect(new Set(SECTIONS.filter((s) => s.topic).map((s) => s.topic))).toEqual(new Set(ANALYTICS_TOPICS))
  })

  it('finds the section of a path, nested pages included', () => {
    expect(sectionOf('/projects/p_1/analytics/structured-output')?.topic).toBe('Money')
    expect(sectionOf('/projects/p_1/traces/abc')?.path).toBe('traces')
  })
})
