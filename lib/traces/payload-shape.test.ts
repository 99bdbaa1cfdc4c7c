import { describe, expect, it } from 'vitest'
import { payloadShape } from './payload-shape'

describe('payloadShape', () => {
  it('shows plain text and JSON strings as text', () => {
    expect(payloadShape('hello <b>world</b>')).toEqual({ kind: 'text', text: 'hello <b>world</b>' })
    expect(payloadShape('"just a string"')).toEqual({ kind: 'text', text: 'just a string' })
    expect(payloadShape('')).toEqual({ kind: 'empty' })
    expect(payloadShape('42')).toEqual({ kind: 'text', text: '42' })
  })

  it('reads OpenAI chat messages with tool calls as a conversation', () => {
    const shape = payloadShape(
      JSON.stringify([
        { role: 'system', content: 'Be brief.' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search', arguments: '{"q":"a"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'found' },
      ]),
    )
    expect(shape.kind).toBe('chat')
    if (shape.kind !== 'chat') return
    expect(shape.messages.map((m) => m.role)).toEqual(['system', 'assistant', 'tool'])
    expect(shape.messages[1].parts).toEqual([{ type: 'tool_call', name: 'search', data: { q: 'a' } }])
    expect(shape.messages[2].parts).toEqual([{ type: 'text', text: 'found' }])
  })

  it('reads Anthropic content blocks and a {messages} wrapper', () => {
    const shape = payloadShape(
      JSON.stringify({
        model: 'claude',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          { role: 'assistant', content: [{ type: 'tool_use', name: 'lookup', input: { id: 7 } }] },
          { role: 'user', content: [{ type: 'tool_result', content: 'ok' }] },
        ],
      }),
    )
    expect(shape.kind).toBe('chat')
    if (shape.kind !== 'chat') return
    expect(shape.messages[1].parts).toEqual([{ type: 'tool_call', name: 'lookup', data: { id: 7 } }])
    expect(shape.messages[2].parts).toEqual([{ type: 'tool_result', data: 'ok' }])
  })

  it('reads a JSON string that holds messages (OTel string attributes)', () => {
    const shape = payloadShape(JSON.stringify(JSON.stringify([{ role: 'user', content: 'hello' }])))
    expect(shape).toMatchObject({ kind: 'chat', messages: [{ role: 'user', parts: [{ type: 'text', text: 'hello' }] }] })
  })

  it('keeps other JSON as JSON', () => {
    expect(payloadShape('{"order_id":"A-1","items":[1,2]}')).toEqual({ kind: 'json', value: { order_id: 'A-1', items: [1, 2] } })
    expect(payloadShape('[{"role":"user","content":"x"},{"nope":1}]').kind).toBe('json')
  })
})
