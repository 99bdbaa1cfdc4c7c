// The fictional product behind the demo workload: Helpdeck, a support and operations agent
// platform. Its customers (tenants) run Helpdeck's support agent for their own users; the
// tenants differ a lot in size, time zone, language and plan, as real customer bases do.
import { createHash } from 'node:crypto'

export type Locale = 'en' | 'ja' | 'zh' | 'de' | 'fr' | 'pt'

export interface Tenant {
  id: string
  name: string
  industry: string
  /** Share of the platform's traffic (weights; normalised where used). */
  share: number
  /** Main time zone of the tenant's users. */
  tz: string
  /** Other time zones some of its users work in, with their share of users. */
  remote?: readonly { tz: string; share: number }[]
  locale: Locale
  /** Premium tenants are always routed to the expensive model path. */
  plan: 'standard' | 'premium'
  /** Extra guardrail layers (regulated industries). */
  extraGuards: readonly GuardLayer[]
  /** Knowledge-base index the retriever searches. */
  index: string
}

export interface GuardLayer {
  name: string
  /** Median latency in ms. */
  medianMs: number
  /** A classifier model behind the layer (a nested model call), if any. */
  model?: string
}

export const PRODUCT = {
  name: 'Helpdeck',
  agent: 'support-agent',
  service: 'helpdeck-agent',
  serviceVersion: '4.12.0',
}

export const TENANTS: readonly Tenant[] = [
  {
    id: 'northwind',
    name: 'Northwind Outfitters',
    industry: 'retail',
    share: 0.27,
    tz: 'America/New_York',
    remote: [
      { tz: 'America/Chicago', share: 0.2 },
      { tz: 'America/Los_Angeles', share: 0.2 },
    ],
    locale: 'en',
    plan: 'standard',
    extraGuards: [],
    index: 'kb-northwind-v7',
  },
  {
    id: 'globex',
    name: 'Globex Freight',
    industry: 'logistics',
    share: 0.16,
    tz: 'America/Chicago',
    remote: [{ tz: 'America/Mexico_City', share: 0.15 }],
    locale: 'en',
    plan: 'standard',
    extraGuards: [],
    index: 'kb-globex-v3',
  },
  {
    id: 'initech',
    name: 'Initech Cloud',
    industry: 'saas',
    share: 0.11,
    tz: 'America/Los_Angeles',
    remote: [{ tz: 'Asia/Kolkata', share: 0.2 }],
    locale: 'en',
    plan: 'standard',
    extraGuards: [],
    index: 'kb-initech-v12',
  },
  {
    id: 'umbrella-health',
    name: 'Umbrella Health',
    industry: 'healthcare',
    share: 0.08,
    tz: 'Europe/London',
    locale: 'en',
    plan: 'premium',
    extraGuards: [
      { name: 'phi-detector', medianMs: 240, model: 'gpt-4.1-nano' },
      { name: 'medical-advice-policy', medianMs: 320, model: 'gpt-4.1-nano' },
    ],
    index: 'kb-umbrella-v5',
  },
  {
    id: 'kawasemi',
    name: 'Kawasemi Travel',
    industry: 'travel',
    share: 0.07,
    tz: 'Asia/Tokyo',
    locale: 'ja',
    plan: 'standard',
    extraGuards: [],
    index: 'kb-kawasemi-v2',
  },
  {
    id: 'brightpath',
    name: 'Brightpath Learning',
    industry: 'education',
    share: 0.06,
    tz: 'America/New_York',
    locale: 'en',
    plan: 'standard',
    extraGuards: [],
    index: 'kb-brightpath-v4',
  },
  {
    id: 'hooli',
    name: 'Hooli Mobility',
    industry: 'mobility',
    share: 0.06,
    tz: 'Europe/Berlin',
    locale: 'de',
    plan: 'standard',
    extraGuards: [],
    index: 'kb-hooli-v9',
  },
  {
    id: 'lumen-bank',
    name: 'Lumen Bank',
    industry: 'banking',
    share: 0.05,
    tz: 'Europe/Paris',
    locale: 'fr',
    plan: 'premium',
    extraGuards: [
      { name: 'financial-advice-policy', medianMs: 380, model: 'gpt-4.1-nano' },
      { name: 'account-number-masking', medianMs: 25 },
    ],
    index: 'kb-lumen-v6',
  },
  {
    id: 'longmen',
    name: 'Longmen Games',
    industry: 'gaming',
    share: 0.04,
    tz: 'Asia/Shanghai',
    locale: 'zh',
    plan: 'standard',
    extraGuards: [],
    index: 'kb-longmen-v3',
  },
  {
    id: 'tasman-telco',
    name: 'Tasman Telco',
    industry: 'telecom',
    share: 0.03,
    tz: 'Australia/Sydney',
    locale: 'en',
    plan: 'standard',
    extraGuards: [],
    index: 'kb-tasman-v8',
  },
  {
    id: 'vela-seguros',
    name: 'Vela Seguros',
    industry: 'insurance',
    share: 0.02,
    tz: 'America/Sao_Paulo',
    locale: 'pt',
    plan: 'standard',
    extraGuards: [{ name: 'claims-fraud-screen', medianMs: 180 }],
    index: 'kb-vela-v2',
  },
  {
    id: 'pinecrest',
    name: 'Pinecrest Dental',
    industry: 'smb',
    share: 0.005,
    tz: 'America/Denver',
    locale: 'en',
    plan: 'standard',
    extraGuards: [],
    index: 'kb-pinecrest-v1',
  },
]

/** The internal tenant under which Helpdeck's own nightly eval runs are recorded. */
export const EVAL_TENANT = 'helpdeck-evals'

export function tenantById(id: string): Tenant | undefined {
  return TENANTS.find((t) => t.id === id)
}

// ---------------------------------------------------------------------------------------------
// Models and routing

export interface ModelSpec {
  requested: string
  resolved: string
  provider: 'openai' | 'anthropic' | 'cohere'
  /** Median time to first token in ms at low load. */
  ttftMs: number
  /** Milliseconds per output token. */
  msPerToken: number
  /** Overload error the provider answers with: 429 (rate limit) or 529 (overloaded). */
  overloadCode: '429' | '529'
  /** Whether the provider reports cache writes (Anthropic does, OpenAI caches implicitly). */
  reportsCacheWrites: boolean
}

export const MODELS = {
  economy: {
    requested: 'gpt-4.1-mini',
    resolved: 'gpt-4.1-mini-2025-04-14',
    provider: 'openai',
    ttftMs: 380,
    msPerToken: 9,
    overloadCode: '429',
    reportsCacheWrites: false,
  },
  premium: {
    requested: 'claude-sonnet-4-5',
    resolved: 'claude-sonnet-4-5-20250929',
    provider: 'anthropic',
    ttftMs: 720,
    msPerToken: 15,
    overloadCode: '529',
    reportsCacheWrites: true,
  },
  fallback: {
    requested: 'gpt-4.1',
    resolved: 'gpt-4.1-2025-04-14',
    provider: 'openai',
    ttftMs: 480,
    msPerToken: 12,
    overloadCode: '429',
    reportsCacheWrites: false,
  },
  classifier: {
    requested: 'gpt-4.1-nano',
    resolved: 'gpt-4.1-nano-2025-04-14',
    provider: 'openai',
    ttftMs: 160,
    msPerToken: 4,
    overloadCode: '429',
    reportsCacheWrites: false,
  },
} as const satisfies Record<string, ModelSpec>

export const EMBEDDING_MODEL = 'text-embedding-3-small'
export const RERANK_MODEL = { requested: 'rerank-v3.5', provider: 'cohere' }

export type Segment = 'economy' | 'premium'

// ---------------------------------------------------------------------------------------------
// Prompts: named, versioned system prompts. Their text is hashed exactly as the server hashes
// it (sha256 hex), so a span can send the hash alone once the text has been sent.

export interface SystemPrompt {
  name: string
  version: string
  text: string
  hash: string
  /** Tokens of the prefix (system prompt plus tool definitions) the provider can cache. */
  prefixTokens: number
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

const TOOL_DEFINITIONS_NOTE =
  'Tools: lookup_order, track_shipment, issue_refund, reset_password, get_invoice, create_ticket, get_subscription, cancel_subscription, escalate_to_human, format_reply.'

export function supportPrompt(tenant: Tenant, version: string): SystemPrompt {
  const text = [
    `You are the ${tenant.name} support assistant, powered by Helpdeck (prompt support-triage v${version}).`,
    `Answer in the customer's language (${tenant.locale}). Be concise, friendly and accurate.`,
    `Use the knowledge base index ${tenant.index} for policy questions; never invent order numbers, prices or dates.`,
    version >= '13'
      ? 'Always reply with a JSON object {"reply": string, "category": string, "priority": "low"|"normal"|"high", "resolved": boolean}.'
      : 'Reply with a JSON object containing reply, category, priority and resolved.',
    tenant.plan === 'premium' ? 'This is a regulated account: never give individual medical, legal or financial advice; escalate instead.' : '',
    TOOL_DEFINITIONS_NOTE,
  ]
    .filter(Boolean)
    .join('\n')
  const prefixTokens = 2400 + (sha256Hex(tenant.id).charCodeAt(0) % 16) * 110 + (version >= '13' ? 380 : 0)
  return { name: 'support-triage', version, text, hash: sha256Hex(text), prefixTokens }
}

/**
 * The onboarding assistant's prompt during the cache-thrash incident: every new workspace gets a
 * prompt with its own name and start time baked into the first line, so no two sessions share
 * a cacheable prefix.
 */
export function onboardingPrompt(tenant: Tenant, workspace: string, startedAtIso: string): SystemPrompt {
  const text = [
    `Onboarding session for workspace "${workspace}" started ${startedAtIso}.`,
    `You are the ${tenant.name} onboarding guide (prompt onboarding-guide v3). Walk the new customer through setup step by step.`,
    'Course catalogue, pricing tiers, SSO setup, roster import (CSV columns: email, first_name, last_name, role, cohort), LMS integrations (Canvas, Moodle, Blackboard).',
    TOOL_DEFINITIONS_NOTE,
  ].join('\n')
  return { name: 'onboarding-guide', version: '3', text, hash: sha256Hex(text), prefixTokens: 9200 }
}

export function subAgentPrompt(name: string): SystemPrompt {
  const text = `You are the ${name} step of the shipment tool. Return concise, customer-ready text. ${TOOL_DEFINITIONS_NOTE}`
  return { name, version: '2', text, hash: sha256Hex(text), prefixTokens: 1300 }
}

export function guardPrompt(layer: string): SystemPrompt {
  const text = `Classify the message for the "${layer}" policy. Answer with {"flagged": boolean, "score": number}.`
  return { name: `guard-${layer}`, version: '1', text, hash: sha256Hex(text), prefixTokens: 0 }
}
