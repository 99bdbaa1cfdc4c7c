'use client'

// One payload (input or output) of a span: a conversation when it holds chat messages, a
// JSON tree when it is other JSON, plain text otherwise. Always text, never HTML.
import { useMemo, useState } from 'react'
import { payloadShape, type ChatMessage } from '@/lib/traces/payload-shape'
import { JsonTree } from './json-tree'

const ROLE_STYLE: Record<string, string> = {
  system: 'border-slate-300 bg-slate-50',
  user: 'border-sky-200 bg-sky-50',
  assistant: 'border-violet-200 bg-violet-50',
  tool: 'border-amber-200 bg-amber-50',
}

function Message({ message }: { message: ChatMessage }) {
  return (
    <div className={`rounded border px-2.5 py-1.5 ${ROLE_STYLE[message.role] ?? 'border-slate-200 bg-white'}`} data-testid="chat-message">
      <p className="mb-0.5 text-[10px] font-semibold uppercase tracking-wide text-slate-500">
        {message.role}
        {message.name ? ` · ${message.name}` : ''}
      </p>
      {message.parts.length === 0 && <p className="text-xs italic text-slate-400">(empty)</p>}
      {message.parts.map((part, i) =>
        part.type === 'text' ? (
          <p key={i} className="whitespace-pre-wrap break-words text-[13px] text-slate-800">
            {part.text}
          </p>
        ) : (
          <div key={i} className="mt-1 rounded border border-slate-200 bg-white p-1.5">
            <p className="text-[11px] font-medium text-slate-600">
              {part.type === 'tool_call' ? `calls ${part.name}` : part.type === 'tool_result' ? 'tool result' : part.type}
            </p>
            {typeof part.data === 'string' ? <p className="whitespace-pre-wrap break-words font-mono text-xs">{part.data}</p> : <JsonTree value={part.data} openDepth={1} />}
          </div>
        ),
      )}
    </div>
  )
}

export function PayloadView({ text }: { text: string }) {
  const shape = useMemo(() => payloadShape(text), [text])
  const [raw, setRaw] = useState(false)
  if (shape.kind === 'empty') return <p className="text-xs italic text-slate-400">empty</p>
  return (
    <div className="space-y-1">
      {shape.kind !== 'text' && (
        <div className="flex justify-end">
          <button type="button" className="text-[11px] text-slate-500 hover:text-slate-900" onClick={() => setRaw(!raw)}>
            {raw ? 'formatted' : 'raw'}
          </button>
        </div>
      )}
      {raw || shape.kind === 'text' ? (
        <pre className="max-h-[32rem] overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 font-mono text-xs text-slate-800" data-testid="payload-text">
          {shape.kind === 'text' ? shape.text : text}
        </pre>
      ) : shape.kind === 'chat' ? (
        <div className="space-y-1.5" data-testid="conversation">
          {shape.messages.map((message, i) => (
            <Message key={i} message={message} />
          ))}
        </div>
      ) : (
        <div className="max-h-[32rem] overflow-auto rounded bg-slate-50 p-2">
          <JsonTree value={shape.value} />
        </div>
      )}
    </div>
  )
}
