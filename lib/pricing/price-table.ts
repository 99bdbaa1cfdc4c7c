// The editable model price table (Postgres `model_prices`): read by every cost computation,
// seeded from SEED_PRICES when empty at start-up, and replaced or edited by an administrator
// through /api/v1/prices. Prices are stored in USD per 1M tokens; the API also accepts them per
// token.
import { asc, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { postgres } from '@/db/postgres/client'
import { modelPrices, type ModelPriceRow } from '@/db/postgres/schema'
import { SEED_PRICES, type ModelPrice } from './seed-prices'

const PRICE_FIELDS = ['input', 'output', 'cache_read', 'cache_write'] as const
type PriceField = (typeof PRICE_FIELDS)[number]

/** A model name as an administrator types it for a per-model table; stored lower-case. */
export const modelNameSchema = z
  .string({ message: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(256)
  .transform((value) => value.toLowerCase())

const usd = z.number({ message: 'must be a number' }).finite('must be finite').nonnegative('must be >= 0').max(1_000_000, 'is implausibly large')

/**
 * One price as sent by an administrator: each of the four prices per 1M tokens (`input_per_mtok`)
 * or per token (`input_per_token`), not both. A missing cache price counts as 0 (cache writes
 * priced 0 are billed at the input price, see callCost).
 */
export const priceInputSchema = z
  .object({
    model: modelNameSchema,
    provider: z.string({ message: 'must be a string' }).trim().max(64).default(''),
    input_per_mtok: usd.optional(),
    output_per_mtok: usd.optional(),
    cache_read_per_mtok: usd.optional(),
    cache_write_per_mtok: usd.optional(),
    input_per_token: usd.optional(),
    output_per_token: usd.optional(),
    cache_read_per_token: usd.optional(),
    cache_write_per_token: usd.optional(),
  })
  .strict()
  .superRefine((price, ctx) => {
    for (const field of PRICE_FIELDS) {
      const perMtok = price[`${field}_per_mtok`]
      const perToken = price[`${field}_per_token`]
      if (perMtok !== undefined && perToken !== undefined) {
        ctx.addIssue({ code: 'custom', path: [`${field}_per_token`], message: `give ${field}_per_mtok or ${field}_per_token, not both` })
      }
      if ((field === 'input' || field === 'output') && perMtok === undefined && perToken === undefined) {
        ctx.addIssue({ code: 'custom', path: [`${field}_per_mtok`], message: `is required (or ${field}_per_token)` })
      }
    }
  })
  .transform((price): ModelPrice => {
    const perMtok = (field: PriceField) => {
      const perToken = price[`${field}_per_token`]
      // Rounded to 1e-9 so 0.0000025 per token reads back as exactly 2.5 per 1M tokens.
      return perToken !== undefined ? Math.round(perToken * 1e15) / 1e9 : (price[`${field}_per_mtok`] ?? 0)
    }
    return {
      model: price.model,
      provider: price.provider,
      input_per_mtok: perMtok('input'),
      output_per_mtok: perMtok('output'),
      cache_read_per_mtok: perMtok('cache_read'),
      cache_write_per_mtok: perMtok('cache_write'),
    }
  })

export const priceListSchema = z
  .object({ prices: z.array(z.unknown(), { message: 'prices must be an array' }).max(10_000, 'at most 10000 prices') }, { message: 'body must be a JSON object {"prices": [...]}' })
  .strict()

export interface PriceApi extends ModelPrice {
  input_per_token: number
  output_per_token: number
  cache_read_per_token: number
  cache_write_per_token: number
  updated_at: string
}

function fromRow(row: ModelPriceRow): ModelPrice & { updated_at: Date } {
  return {
    model: row.model,
    provider: row.provider,
    input_per_mtok: row.inputPerMtok,
    output_per_mtok: row.outputPerMtok,
    cache_read_per_mtok: row.cacheReadPerMtok,
    cache_write_per_mtok: row.cacheWritePerMtok,
    updated_at: row.updatedAt,
  }
}

function toRow(price: ModelPrice) {
  return {
    model: price.model,
    provider: price.provider,
    inputPerMtok: price.input_per_mtok,
    outputPerMtok: price.output_per_mtok,
    cacheReadPerMtok: price.cache_read_per_mtok,
    cacheWritePerMtok: price.cache_write_per_mtok,
    updatedAt: new Date(),
  }
}

export function priceToApi(price: ModelPrice & { updated_at: Date }): PriceApi {
  const perToken = (perMtok: number) => perMtok / 1_000_000
  return {
    model: price.model,
    provider: price.provider,
    input_per_mtok: price.input_per_mtok,
    output_per_mtok: price.output_per_mtok,
    cache_read_per_mtok: price.cache_read_per_mtok,
    cache_write_per_mtok: price.cache_write_per_mtok,
    input_per_token: perToken(price.input_per_mtok),
    output_per_token: perToken(price.output_per_mtok),
    cache_read_per_token: perToken(price.cache_read_per_mtok),
    cache_write_per_token: perToken(price.cache_write_per_mtok),
    updated_at: price.updated_at.toISOString(),
  }
}

export async function listPrices(): Promise<Array<ModelPrice & { updated_at: Date }>> {
  const rows = await postgres().select().from(modelPrices).orderBy(asc(modelPrices.provider), asc(modelPrices.model))
  return rows.map(fromRow)
}

/** Seeds the table from SEED_PRICES when it holds no price at all; returns how many were added. */
export async function seedPricesIfEmpty(): Promise<number> {
  const [{ count }] = await postgres()
    .select({ count: sql<number>`count(*)::int` })
    .from(modelPrices)
  if (Number(count) > 0) return 0
  const inserted = await postgres().insert(modelPrices).values(SEED_PRICES.map(toRow)).onConflictDoNothing().returning({ model: modelPrices.model })
  return inserted.length
}

/** Replaces the whole table with the given prices (PUT /api/v1/prices). */
export async function replacePrices(prices: readonly ModelPrice[]): Promise<void> {
  const models = new Set<string>()
  for (const price of prices) {
    if (models.has(price.model)) throw new DuplicateModelError(price.model)
    models.add(price.model)
  }
  await postgres().transaction(async (tx) => {
    await tx.delete(modelPrices)
    if (prices.length > 0) await tx.insert(modelPrices).values(prices.map(toRow))
  })
}

/** Creates or updates one model's price (PUT /api/v1/prices/{model}). */
export async function upsertPrice(price: ModelPrice): Promise<void> {
  const row = toRow(price)
  const { model, ...rest } = row
  await postgres().insert(modelPrices).values(row).onConflictDoUpdate({ target: modelPrices.model, set: { ...rest, model } })
}

export async function deletePrice(model: string): Promise<boolean> {
  const deleted = await postgres().delete(modelPrices).where(eq(modelPrices.model, model.toLowerCase())).returning({ model: modelPrices.model })
  return deleted.length > 0
}

export class DuplicateModelError extends Error {
  constructor(public readonly model: string) {
    super(`model ${JSON.stringify(model)} is listed more than once`)
  }
}
