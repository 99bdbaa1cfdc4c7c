// One colour per span kind, shared by the tree, the timeline and the graph.
export const KIND_STYLE: Record<string, { chip: string; bar: string; label: string }> = {
  llm: { chip: 'bg-violet-100 text-violet-800', bar: 'bg-violet-400', label: 'LLM' },
  tool: { chip: 'bg-amber-100 text-amber-800', bar: 'bg-amber-400', label: 'TOOL' },
  agent: { chip: 'bg-sky-100 text-sky-800', bar: 'bg-sky-400', label: 'AGENT' },
  chain: { chip: 'bg-slate-200 text-slate-700', bar: 'bg-slate-400', label: 'CHAIN' },
  retriever: { chip: 'bg-emerald-100 text-emerald-800', bar: 'bg-emerald-400', label: 'RETR' },
  reranker: { chip: 'bg-teal-100 text-teal-800', bar: 'bg-teal-400', label: 'RERANK' },
  embedding: { chip: 'bg-cyan-100 text-cyan-800', bar: 'bg-cyan-400', label: 'EMBED' },
  guardrail: { chip: 'bg-lime-100 text-lime-800', bar: 'bg-lime-500', label: 'GUARD' },
  eval: { chip: 'bg-pink-100 text-pink-800', bar: 'bg-pink-400', label: 'EVAL' },
  other: { chip: 'bg-slate-100 text-slate-600', bar: 'bg-slate-300', label: 'OTHER' },
}

export function kindStyle(kind: string) {
  return KIND_STYLE[kind] ?? KIND_STYLE.other
}

/** Colours for cycles, in order (the first cycle has the most re-entries). */
export const CYCLE_COLORS = ['#e11d48', '#ea580c', '#c026d3', '#d97706', '#dc2626']
