// Redaction before storage: a project's rules (built-in detectors and custom regular
// expressions) rewrite the text of a span before any row is built from it, so a secret never
// reaches ClickHouse. Every way in ends in storeSpans / storeParts (lib/ingest/ingest.ts), which
// call redactSpan here; the counts per rule go to the span's `redactions` column.
//
// Custom patterns are checked when saved (regexProblem): a pattern that can backtrack badly
// (nested or overlapping repetition, back-references) is refused, and each pattern is run once
// against inputs built to make bad patterns slow, under a time bound.
import vm from 'node:vm'
import { z } from 'zod'

export const REDACTION_FIELDS = ['input', 'output', 'attributes', 'events', 'status_message', 'user_id'] as const
export type RedactionField = (typeof REDACTION_FIELDS)[number]

export const DETECTORS = ['email', 'phone', 'credit_card', 'iban', 'api_key', 'bearer_token', 'ip_address'] as const
export type Detector = (typeof DETECTORS)[number]

/** A rule as stored in the project's settings and as the API shows it. */
export interface RedactionRule {
  name: string
  detector?: Detector
  pattern?: string
  flags?: string
  replacement: string
  fields: RedactionField[]
}

export const MAX_RULES = 50
export const MAX_PATTERN_LENGTH = 500

/** Digits pass the Luhn check (card numbers). */
export function luhnValid(digits: string): boolean {
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum % 10 === 0
}

/** An IBAN passes its mod-97 check. */
export function ibanValid(text: string): boolean {
  const iban = text.replace(/ /g, '').toUpperCase()
  if (iban.length < 15 || iban.length > 34) return false
  const moved = iban.slice(4) + iban.slice(0, 4)
  let remainder = 0
  for (const ch of moved) {
    const code = ch.charCodeAt(0)
    const value = code >= 65 ? String(code - 55) : ch
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97
  }
  return remainder === 1
}

interface Matcher {
  /** Cheap test that the text may hold a match (skips the regex for most strings). */
  mayContain: (text: string) => boolean
  regex: RegExp
  /** A match is redacted only when this accepts it (checksums). */
  accept?: (match: string) => boolean
}

/** A prefilter from a cheap regex (no lookbehind, anchored on rare characters). */
const has = (re: RegExp) => (text: string) => re.test(text)

// Each detector: a prefilter that rejects most text in one cheap scan, then the pattern. Patterns
// avoid lookbehind at every position (slow in V8); \b and the prefilters do that work.
const BUILT_IN: Record<Detector, Matcher> = {
  email: { mayContain: (t) => t.includes('@'), regex: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  // International (+CC ...) or grouped national numbers (555-123-4567, (030) 1234 5678).
  phone: {
    mayContain: has(/\d[ .()-]{1,2}\d{2,4}[ .-]\d|\+\d/),
    regex: /(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}|\(\d{2,4}\)[ .-]?\d{3,4}[ .-]\d{3,4}|\b\d{3}[.-]\d{3}[.-]\d{4})\b/g,
  },
  credit_card: {
    mayContain: has(/\d(?:[ -]?\d){12}/),
    regex: /\b\d(?:[ -]?\d){12,18}\b/g,
    accept: (match) => {
      const digits = match.replace(/[ -]/g, '')
      return digits.length >= 13 && digits.length <= 19 && luhnValid(digits)
    },
  },
  iban: { mayContain: has(/[A-Z]{2}\d{2}/), regex: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g, accept: ibanValid },
  api_key: {
    mayContain: has(/sk-|_live_|_test_|AKIA|gh[pousr]_|xox[abprs]-|AIza|fl_/),
    regex: /\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}|(?:pk|rk|sk)_(?:live|test)_[A-Za-z0-9]{16,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|fl_[A-Za-z0-9_-]{30,})/g,
  },
  bearer_token: { mayContain: has(/bearer/i), regex: /\bBearer\s+[A-Za-z0-9._~+/-]+=*/gi },
  ip_address: {
    // IPv4 dotted quads; IPv6 only where two colons sit between hex groups (not in prose).
    mayContain: has(/\d\.\d{1,3}\.\d|[0-9A-Fa-f]:[0-9A-Fa-f]{0,4}:/),
    regex: /\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b(?!\.\d)|\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b|\b(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?(?![\w:])/g,
    accept: (match) => match.includes('.') || (match.match(/:/g)?.length ?? 0) >= 2,
  },
}

// ---- Validation of saved rules ----------------------------------------------------------

/**
 * Why a custom pattern is refused, or undefined when it is safe to run on every span. Refused:
 * back-references, a repeated group that itself repeats or has alternatives (the shapes that
 * backtrack exponentially), a pattern that matches empty text, and one that runs longer than
 * `budgetMs` on inputs built to make such patterns slow.
 */
export function regexProblem(pattern: string, flags = '', budgetMs = 100): string | undefined {
  if (pattern.length === 0) return 'must not be empty'
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters`
  if (!/^[imsu]*$/.test(flags) || new Set(flags).size !== flags.length) return "flags may only be 'i', 'm', 's' and 'u', each once"
  let regex: RegExp
  try {
    regex = new RegExp(pattern, `${flags}g`)
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message})`
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'uses a back-reference, which can backtrack badly; rewrite it without one'
  const nested = nestedRepetition(pattern)
  if (nested) return `repeats ${nested}, which can backtrack exponentially on text that almost matches; rewrite it without nested or overlapping repetition`
  if (new RegExp(pattern, flags).test('')) return 'matches empty text; it must match at least one character'
  // Run with a timeout, which interrupts a regex that backtracks without end. The context is made
  // once: making one takes longer than the budget on a busy machine.
  probeContext.regex = regex
  try {
    PROBE_SCRIPT.runInContext(probeContext, { timeout: budgetMs })
  } catch {
    return `took over ${budgetMs} ms on inputs of ${PROBES[0].length} characters built to make slow patterns slow; simplify it`
  }
  return undefined
}

const PROBES = ['a', '1', ' ', 'aA1', 'ab', '-', '.', 'x@', '0.'].map((unit) => unit.repeat(Math.ceil(3000 / unit.length)) + '!\u0000')
const probeContext = vm.createContext({ probes: PROBES, regex: /(?:)/g })
const PROBE_SCRIPT = new vm.Script('for (const probe of probes) { regex.lastIndex = 0; probe.replace(regex, "") }')

/**
 * The text of a group that is repeated (*, +, {n,}) while it holds a repetition or an
 * alternation itself: `(a+)+`, `(\w|\d)*`, `(?:x*y?)+`. A light parser over the pattern's
 * characters, escapes and classes.
 */
function nestedRepetition(pattern: string): string | undefined {
  const stack: { start: number; risky: boolean }[] = []
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]
    if (ch === '\\') {
      i++
      continue
    }
    if (inClass) {
      if (ch === ']') inClass = false
      continue
    }
    if (ch === '[') inClass = true
    else if (ch === '(') stack.push({ start: i, risky: false })
    else if (ch === '|' && stack.length > 0) stack[stack.length - 1].risky = true
    else if (ch === ')') {
      const group = stack.pop()
      if (!group) continue
      const repeated = isUnboundedQuantifier(pattern, i + 1)
      if (repeated && group.risky) return `the group ${pattern.slice(group.start, i + 1)}`
      // A group that repeats inside makes its enclosing group risky when that one repeats.
      if ((group.risky || repeated) && stack.length > 0) stack[stack.length - 1].risky = true
    } else if ((ch === '*' || ch === '+' || (ch === '{' && /^\{\d*,\d*\}/.test(pattern.slice(i)))) && stack.length > 0) {
      stack[stack.length - 1].risky = true
    }
  }
  return undefined
}

function isUnboundedQuantifier(pattern: string, at: number): boolean {
  const ch = pattern[at]
  if (ch === '*' || ch === '+') return true
  if (ch === '{') {
    const m = /^\{(\d*),(\d*)\}/.exec(pattern.slice(at))
    if (m) return m[2] === '' || Number(m[2]) > 1
  }
  return false
}

const ruleInputSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 letters, digits, '.', '_' or '-'")
      .optional(),
    detector: z.enum(DETECTORS, { message: `must be one of ${DETECTORS.join(', ')}` }).optional(),
    pattern: z.string().optional(),
    flags: z.string().optional(),
    replacement: z.string().max(200, 'must be at most 200 characters').optional(),
    fields: z
      .array(z.enum(REDACTION_FIELDS, { message: `must be one of ${REDACTION_FIELDS.join(', ')}` }))
      .min(1, 'name at least one field')
      .optional(),
  })
  .strict()

export const redactionPutSchema = z
  .object({ rules: z.array(ruleInputSchema).max(MAX_RULES, `at most ${MAX_RULES} rules`) }, { message: 'body must be a JSON object {"rules": [...]}' })
  .strict()
  .transform((value, ctx) => {
    const rules: RedactionRule[] = []
    const names = new Set<string>()
    value.rules.forEach((rule, index) => {
      const problem = (message: string, path: string[] = []) => ctx.addIssue({ code: 'custom', path: ['rules', index, ...path], message })
      if ((rule.detector === undefined) === (rule.pattern === undefined)) return problem("give either 'detector' (a built-in) or 'pattern' (a regular expression)")
      if (rule.detector !== undefined && rule.flags !== undefined) return problem("'flags' belong to a custom 'pattern'", ['flags'])
      const name = rule.name ?? rule.detector
      if (!name) return problem("a custom pattern needs a 'name'", ['name'])
      if (names.has(name)) return problem(`the name '${name}' is used twice; rule names must be unique`, ['name'])
      names.add(name)
      if (rule.pattern !== undefined) {
        const bad = regexProblem(rule.pattern, rule.flags)
        if (bad) return problem(`pattern ${bad}`, ['pattern'])
      }
      rules.push({
        name,
        ...(rule.detector ? { detector: rule.detector } : { pattern: rule.pattern, flags: rule.flags ?? '' }),
        replacement: rule.replacement ?? `[REDACTED:${name}]`,
        fields: [...new Set(rule.fields ?? REDACTION_FIELDS)],
      })
    })
    return rules
  })

// ---- Applying rules ---------------------------------------------------------------------

interface CompiledRule {
  name: string
  matcher: Matcher
  replacement: string
}

export type CompiledRules = Record<RedactionField, CompiledRule[]>

const compiledCache = new WeakMap<readonly RedactionRule[], CompiledRules>()

export function compileRules(rules: readonly RedactionRule[]): CompiledRules {
  const hit = compiledCache.get(rules)
  if (hit) return hit
  const out = Object.fromEntries(REDACTION_FIELDS.map((f) => [f, [] as CompiledRule[]])) as CompiledRules
  for (const rule of rules) {
    const matcher: Matcher = rule.detector ? BUILT_IN[rule.detector] : { mayContain: () => true, regex: new RegExp(rule.pattern ?? '(?!)', `${rule.flags ?? ''}g`) }
    for (const field of rule.fields) out[field].push({ name: rule.name, matcher, replacement: rule.replacement })
  }
  compiledCache.set(rules, out)
  return out
}

/** Counts per rule name, filled as text is redacted. */
export type RedactionCounts = Record<string, number>

export function redactText(text: string, rules: readonly CompiledRule[], counts: RedactionCounts): string {
  let out = text
  for (const { name, matcher, replacement } of rules) {
    if (!matcher.mayContain(out)) continue
    matcher.regex.lastIndex = 0
    out = out.replace(matcher.regex, (match) => {
      if (matcher.accept && !matcher.accept(match)) return match
      counts[name] = (counts[name] ?? 0) + 1
      return replacement
    })
  }
  return out
}

/** Redacts every string inside a JSON value (object keys are left alone); unchanged values keep their identity. */
export function redactValue(value: unknown, rules: readonly CompiledRule[], counts: RedactionCounts, depth = 0): unknown {
  if (typeof value === 'string') return value.length === 0 ? value : redactText(value, rules, counts)
  if (value === null || typeof value !== 'object' || depth > 64) return value
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const next = redactValue(value[i], rules, counts, depth + 1)
      if (next !== value[i]) (copy ??= [...value])[i] = next
    }
    return copy ?? value
  }
  let copy: Record<string, unknown> | undefined
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const next = redactValue(item, rules, counts, depth + 1)
    if (next !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = next
  }
  return copy ?? value
}

/** The span fields each rule field covers (the system prompt is part of the input). */
interface RedactableSpan {
  input?: unknown
  output?: unknown
  system_prompt?: string
  attributes?: Record<string, unknown>
  events?: { name: string; time?: bigint; attributes?: Record<string, unknown> }[]
  status_message?: string
  user_id?: string
}

/**
 * A copy of the span with its text redacted by the compiled rules, and the counts per rule;
 * the span itself when no rule applies to anything in it.
 */
export function redactSpan<S extends RedactableSpan>(span: S, rules: CompiledRules): { span: S; counts: RedactionCounts } {
  const counts: RedactionCounts = {}
  let out: S | undefined
  const set = <K extends keyof RedactableSpan>(key: K, value: unknown) => {
    if (value !== span[key]) ((out ??= { ...span }) as Record<string, unknown>)[key] = value
  }
  if (rules.input.length > 0) {
    if (span.input !== undefined) set('input', redactValue(span.input, rules.input, counts))
    if (span.system_prompt) set('system_prompt', redactText(span.system_prompt, rules.input, counts))
  }
  if (rules.output.length > 0 && span.output !== undefined) set('output', redactValue(span.output, rules.output, counts))
  if (rules.attributes.length > 0 && span.attributes) set('attributes', redactValue(span.attributes, rules.attributes, counts))
  if (rules.events.length > 0 && span.events) {
    const events = span.events.map((event) => {
      const name = redactText(event.name, rules.events, counts)
      const attributes = event.attributes ? (redactValue(event.attributes, rules.events, counts) as Record<string, unknown>) : undefined
      return name === event.name && attributes === event.attributes ? event : { ...event, name, attributes }
    })
    if (events.some((event, i) => event !== span.events![i])) set('events', events)
  }
  if (rules.status_message.length > 0 && span.status_message) set('status_message', redactText(span.status_message, rules.status_message, counts))
  if (rules.user_id.length > 0 && span.user_id) set('user_id', redactText(span.user_id, rules.user_id, counts))
  return { span: out ?? span, counts }
}

export function hasRules(rules: CompiledRules): boolean {
  return REDACTION_FIELDS.some((field) => rules[field].length > 0)
}
