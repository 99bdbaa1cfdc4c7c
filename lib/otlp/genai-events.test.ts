import { describe, expect, it } from 'vitest'
import { payloadFromEvents } from './genai-events'

describe('payloadFromEvents', () => {
  it('assembles message events (span events: attributes) in order', () => {
    expect(
      payloadFromEvents([
        { name: 'gen_ai.system.message', attributes: { content: 'Be brief.' } },
        { name: 'gen_ai.user.message', attributes: { content: 'Hi' } },
        { name: 'gen_ai.tool.message', attributes: { content: '{"temp":7}', id: 'call_1' } },
        { name: 'gen_ai.choice', attributes: { index: 0, finish_reason: 'tool_calls', tool_calls: '[{"id":"call_2","function":{"name":"f"}}]' } },
        { name: 'exception', attributes: { 'exception.type': 'X' } },
      ]),
    ).toEqual({
      system: 'Be brief.',
      input: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'tool', content: { temp: 7 }, tool_call_id: 'call_1' },
      ],
      output: [{ role: 'assistant', tool_calls: [{ id: 'call_2', function: { name: 'f' } }], finish_reason: 'tool_calls' }],
    })
  })

  it('reads log record bodies: an object, or the content itself', () => {
    expect(
      payloadFromEvents([
        { name: 'gen_ai.user.message', attributes: {}, body: 'plain text' },
        { name: 'gen_ai.choice', attributes: {}, body: { message: { content: 'ok' }, finish_reason: 'stop' } },
      ]),
    ).toEqual({ input: [{ role: 'user', content: 'plain text' }], output: [{ role: 'assistant', content: 'ok', finish_reason: 'stop' }] })
  })

  it('takes OpenLIT content events and GenAI 1.37+ operation details whole', () => {
    expect(
      payloadFromEvents([
        { name: 'gen_ai.content.prompt', attributes: { 'gen_ai.prompt': 'user: hi' } },
        { name: 'gen_ai.content.completion', attributes: { 'gen_ai.completion': 'hello' } },
      ]),
    ).toEqual({ input: 'user: hi', output: 'hello' })
    const details = payloadFromEvents([
      {
        name: 'gen_ai.client.inference.operation.details',
        attributes: { 'gen_ai.input.messages': '[{"role":"user"}]', 'gen_ai.output.messages': [{ role: 'assistant' }], 'gen_ai.system_instructions': [{ type: 'text', content: 'Terse.' }] },
      },
    ])
    expect(details).toEqual({ input: '[{"role":"user"}]', output: [{ role: 'assistant' }], system: 'Terse.' })
  })

  it('returns nothing for spans without payload events', () => {
    expect(payloadFromEvents([{ name: 'retry', attributes: {} }])).toEqual({})
  })
})
