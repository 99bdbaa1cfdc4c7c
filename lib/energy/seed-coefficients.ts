// Energy estimates per model, in Wh per 1,000 tokens, used to seed the editable coefficient table
// and as the fallback for models the table does not know. They are estimates, scaled by model
// size class from one published reference point (docs/analytics.md, "Energy coefficients"):
//
//  - Epoch AI, "How much energy does ChatGPT use?" (Gradient Updates, Feb 2025,
//    https://epoch.ai/gradient-updates/how-much-energy-does-chatgpt-use): a typical GPT-4o query
//    (about 500 output tokens, ~100B active parameters assumed, H100s) takes roughly 0.3 Wh, and an
//    input of 10,000 tokens roughly 2.5 Wh. Hence the `large` class: 0.6 Wh per 1k output tokens,
//    0.25 Wh per 1k input tokens.
//  - Inference compute per token is about 2 x active parameters, so the other classes scale by
//    their assumed active parameters: small ~8B (x0.08), medium ~30B (x0.3), frontier ~300B (x3).
//  - A cached input token skips the prefill computation; we assume a tenth of an input token's
//    energy (the ratio providers price cache reads at).
// Model names match by exact name or by prefix, as prices do (findPrice).

export const SIZE_CLASSES = ['small', 'medium', 'large', 'frontier', 'embedding'] as const
export type SizeClass = (typeof SIZE_CLASSES)[number]

export interface EnergyCoefficient {
  model: string
  size_class: SizeClass
  wh_per_1k_input: number
  wh_per_1k_cached_input: number
  wh_per_1k_output: number
}

type Rates = Omit<EnergyCoefficient, 'model' | 'size_class'>

const LARGE = { input: 0.25, output: 0.6 }
const rates = (scale: number): Rates => ({
  wh_per_1k_input: round(LARGE.input * scale),
  wh_per_1k_cached_input: round((LARGE.input * scale) / 10),
  wh_per_1k_output: round(LARGE.output * scale),
})

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6
}

/** Coefficients of each size class: the fallback for a model the table does not know. */
export const CLASS_COEFFICIENTS: Record<SizeClass, Rates> = {
  small: rates(0.08),
  medium: rates(0.3),
  large: rates(1),
  frontier: rates(3),
  // Embedding models are small encoders with a single forward pass and no output tokens.
  embedding: { wh_per_1k_input: 0.002, wh_per_1k_cached_input: 0.0002, wh_per_1k_output: 0 },
}

const SEED_CLASSES: ReadonlyArray<readonly [string, SizeClass]> = [
  ['gpt-4o', 'large'],
  ['gpt-4o-mini', 'small'],
  ['gpt-4.1', 'large'],
  ['gpt-4.1-mini', 'small'],
  ['gpt-4.1-nano', 'small'],
  ['o3', 'frontier'],
  ['o4-mini', 'medium'],
  ['text-embedding-3-small', 'embedding'],
  ['text-embedding-3-large', 'embedding'],
  ['claude-opus-4-1', 'frontier'],
  ['claude-sonnet-4-5', 'large'],
  ['claude-sonnet-4', 'large'],
  ['claude-haiku-4-5', 'small'],
  ['claude-3-5-haiku', 'small'],
  ['gemini-2.5-pro', 'large'],
  ['gemini-2.5-flash', 'small'],
]

export const SEED_COEFFICIENTS: readonly EnergyCoefficient[] = SEED_CLASSES.map(([model, size_class]) => ({ model, size_class, ...CLASS_COEFFICIENTS[size_class] }))

/** The size class a model name suggests, for models the table does not know. */
export function guessSizeClass(model: string): SizeClass {
  const name = model.toLowerCase()
  if (/embed/.test(name)) return 'embedding'
  if (/opus|ultra|gpt-4\.5|gpt-5(?!-?(mini|nano))|(^|[^a-z0-9])o[13](?!-?mini)($|[^a-z0-9])|405b/.test(name)) return 'frontier'
  if (/mini|nano|haiku|flash|lite|small|tiny|(^|[^0-9])[1-9]b($|[^0-9])/.test(name)) return 'small'
  if (/medium|[1-7][0-9]b/.test(name)) return 'medium'
  return 'large'
}

/** The coefficient row of a model: exact name, else the longest prefix (as prices), else undefined. */
export function findCoefficient(model: string, table: readonly EnergyCoefficient[]): EnergyCoefficient | undefined {
  const name = model.toLowerCase().replace(/^(openai|anthropic|google|models)\//, '')
  let best: EnergyCoefficient | undefined
  for (const row of table) {
    if (name === row.model) return row
    if (name.startsWith(`${row.model}-`) || name.startsWith(`${row.model}@`)) {
      if (!best || row.model.length > best.model.length) best = row
    }
  }
  return best
}

export interface EnergyUsage {
  /** Input tokens including cached ones (the normalized meaning). */
  input_tokens: number
  cache_read_tokens: number
  output_tokens: number
}

/** Wh of one call (or of summed calls of one model): uncached input, cache reads and output at their coefficients. */
export function callEnergyWh(coefficient: Rates, usage: EnergyUsage): number {
  const uncached = Math.max(0, usage.input_tokens - usage.cache_read_tokens)
  return (uncached * coefficient.wh_per_1k_input + usage.cache_read_tokens * coefficient.wh_per_1k_cached_input + usage.output_tokens * coefficient.wh_per_1k_output) / 1000
}
