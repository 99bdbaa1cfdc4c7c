// Planted stories built as whole traces of their own, outside the minute-by-minute traffic: the
// generator emits each at its start (lib/demo/generate.ts). Each story documents itself in
// docs/demo.md.
import type { DemoPlan } from '../plan'
import { retryLoopTrace, type StoryTrace } from './retry-loop'

export type { StoryTrace }

export function plantedStoryTraces(plan: DemoPlan): StoryTrace[] {
  return [retryLoopTrace(plan)].sort((a, b) => a.start - b.start)
}
