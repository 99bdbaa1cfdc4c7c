import { describe, expect, it } from 'vitest'
import { mapAttributes } from './map-attributes'

describe('flightline.task and flightline.output.schema', () => {
  it('keeps them in attributes, taking a resource value for spans without their own', () => {
    const onSpan = mapAttributes({ 'flightline.task': 'triage', 'flightline.output.schema': 'TicketReply' }, { 'flightline.task': 'service-default' })
    expect(onSpan.attributes).toMatchObject({ 'flightline.task': 'triage', 'flightline.output.schema': 'TicketReply' })
    const fromResource = mapAttributes({}, { 'flightline.task': 'nightly-digest' })
    expect(fromResource.attributes).toEqual({ 'flightline.task': 'nightly-digest' })
  })
})
