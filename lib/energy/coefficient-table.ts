// The editable energy coefficient table (Postgres `energy_coefficients`): Wh per 1,000 uncached
// input, cached input and output tokens per model, seeded from SEED_COEFFICIENTS when empty at
// start-up and edited by an administrator through /api/v1/energy-coefficients.
import { asc, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { postgres } from '@/db/postgres/client'
import { energyCoefficients, type EnergyCoefficientRow } from '@/db/postgres/schema'
import { modelNameSchema } from '@/lib/pricing/price-table'
import { guessSizeClass, SEED_COEFFICIENTS, SIZE_CLASSES, type EnergyCoefficient, type SizeClass } from './seed-coefficients'

const wh = z.number({ message: 'must be a number (Wh per 1,000 tokens)' }).finite('must be finite').nonnegative('must be >= 0').max(1000, 'is implausibly large (Wh per 1,000 tokens)')

/** One model's coefficients as an administrator sends them (PUT /api/v1/energy-coefficients/{model}). */
export const coefficientInputSchema = z
  .object({
    model: modelNameSchema,
    size_class: z.enum(SIZE_CLASSES, { message: `must be one of ${SIZE_CLASSES.join(', ')}` }).optional(),
    wh_per_1k_input: wh,
    wh_per_1k_cached_input: wh,
    wh_per_1k_output: wh,
  })
  .strict()
  .transform((value): EnergyCoefficient => ({ ...value, size_class: value.size_class ?? guessSizeClass(value.model) }))

export interface CoefficientApi extends EnergyCoefficient {
  updated_at: string
}

function fromRow(row: EnergyCoefficientRow): CoefficientApi {
  return {
    model: row.model,
    size_class: row.sizeClass as SizeClass,
    wh_per_1k_input: row.whPer1kInput,
    wh_per_1k_cached_input: row.whPer1kCachedInput,
    wh_per_1k_output: row.whPer1kOutput,
    updated_at: row.updatedAt.toISOString(),
  }
}

function toRow(coefficient: EnergyCoefficient) {
  return {
    model: coefficient.model,
    sizeClass: coefficient.size_class,
    whPer1kInput: coefficient.wh_per_1k_input,
    whPer1kCachedInput: coefficient.wh_per_1k_cached_input,
    whPer1kOutput: coefficient.wh_per_1k_output,
    updatedAt: new Date(),
  }
}

export async function listCoefficients(): Promise<CoefficientApi[]> {
  const rows = await postgres().select().from(energyCoefficients).orderBy(asc(energyCoefficients.model))
  return rows.map(fromRow)
}

/** Seeds the table when it holds no coefficient at all; returns how many were added. */
export async function seedCoefficientsIfEmpty(): Promise<number> {
  const [{ count }] = await postgres()
    .select({ count: sql<number>`count(*)::int` })
    .from(energyCoefficients)
  if (Number(count) > 0) return 0
  const inserted = await postgres().insert(energyCoefficients).values(SEED_COEFFICIENTS.map(toRow)).onConflictDoNothing().returning({ model: energyCoefficients.model })
  return inserted.length
}

export async function upsertCoefficient(coefficient: EnergyCoefficient): Promise<CoefficientApi> {
  const row = toRow(coefficient)
  const { model: _model, ...rest } = row
  const [saved] = await postgres().insert(energyCoefficients).values(row).onConflictDoUpdate({ target: energyCoefficients.model, set: rest }).returning()
  return fromRow(saved)
}

export async function deleteCoefficient(model: string): Promise<boolean> {
  const deleted = await postgres().delete(energyCoefficients).where(eq(energyCoefficients.model, model.toLowerCase())).returning({ model: energyCoefficients.model })
  return deleted.length > 0
}
