// People who sign in to the UI. The first account is the administrator, created on first run
// in the UI or from FLIGHTLINE_ADMIN_EMAIL / FLIGHTLINE_ADMIN_PASSWORD at start-up.
import { randomUUID } from 'node:crypto'
import { and, asc, count, eq } from 'drizzle-orm'
import { z } from 'zod'
import { postgres } from '@/db/postgres/client'
import { instanceSetup, projectMembers, projects, users, type Project, type User, type UserRole } from '@/db/postgres/schema'
import { MIN_PASSWORD_LENGTH, hashPassword } from './passwords'

export const USER_ROLES = ['admin', 'member', 'viewer'] as const satisfies readonly UserRole[]

export const newUserSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: 'email must be an email address' })),
  name: z.string().trim().max(200).default(''),
  password: z.string().min(MIN_PASSWORD_LENGTH, `password must be at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
  role: z.enum(USER_ROLES, { message: 'role must be admin, member or viewer' }),
})

export class DuplicateEmailError extends Error {}

export async function countUsers(): Promise<number> {
  const [row] = await postgres().select({ n: count() }).from(users)
  return Number(row?.n ?? 0)
}

export async function createUser(input: z.input<typeof newUserSchema>): Promise<User> {
  const data = newUserSchema.parse(input)
  if (await findUserByEmail(data.email)) throw new DuplicateEmailError(`an account for ${data.email} already exists`)
  const [user] = await postgres().insert(users).values(await userRow(data)).returning()
  return user
}

async function userRow(data: z.output<typeof newUserSchema>) {
  return { id: randomUUID(), email: data.email, name: data.name, role: data.role, passwordHash: await hashPassword(data.password) }
}

/**
 * First-run setup: creates the administrator exactly once. The account and the one-row
 * instance_setup claim commit together; of several setups at the same moment, the database
 * lets one claim the row and the others find it taken (they wait for the winner's commit on a
 * Postgres server; PGlite runs transactions one at a time). Undefined when setup was done already.
 */
export async function createFirstAdmin(input: Omit<z.input<typeof newUserSchema>, 'role'>): Promise<User | undefined> {
  // Hash before the transaction: it takes a while, and the claim should be held only briefly.
  const row = await userRow(newUserSchema.parse({ ...input, role: 'admin' }))
  return postgres().transaction(async (tx) => {
    const [claimed] = await tx.insert(instanceSetup).values({ id: 1 }).onConflictDoNothing().returning({ id: instanceSetup.id })
    if (!claimed) return undefined
    const [user] = await tx.insert(users).values(row).returning()
    await tx.update(instanceSetup).set({ adminId: user.id }).where(eq(instanceSetup.id, 1))
    return user
  })
}

export async function findUserByEmail(email: string): Promise<User | undefined> {
  const [user] = await postgres().select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1)
  return user
}

export async function getUser(id: string): Promise<User | undefined> {
  const [user] = await postgres().select().from(users).where(eq(users.id, id)).limit(1)
  return user
}

export async function listUsers(): Promise<User[]> {
  return postgres().select().from(users).orderBy(asc(users.createdAt))
}

export async function setUserRole(id: string, role: UserRole): Promise<void> {
  await postgres().update(users).set({ role }).where(eq(users.id, id))
}

export async function addProjectMember(projectId: string, userId: string): Promise<void> {
  await postgres().insert(projectMembers).values({ projectId, userId }).onConflictDoNothing()
}

export async function removeProjectMember(projectId: string, userId: string): Promise<void> {
  await postgres().delete(projectMembers).where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)))
}

/**
 * The project when this user may see it (administrators see all, others their memberships), in
 * one query; undefined otherwise. The one rule every page, action and API route applies.
 */
export async function projectVisibleTo(user: Pick<User, 'id' | 'role'>, projectId: string): Promise<Project | undefined> {
  if (user.role === 'admin') {
    const [project] = await postgres().select().from(projects).where(eq(projects.id, projectId)).limit(1)
    return project
  }
  const [row] = await postgres()
    .select({ project: projects })
    .from(projects)
    .innerJoin(projectMembers, and(eq(projectMembers.projectId, projects.id), eq(projectMembers.userId, user.id)))
    .where(eq(projects.id, projectId))
    .limit(1)
  return row?.project
}

/** Every membership, for the admin page. */
export async function listMemberships(): Promise<{ projectId: string; userId: string }[]> {
  return postgres().select({ projectId: projectMembers.projectId, userId: projectMembers.userId }).from(projectMembers)
}

/** Projects a user can see: every project for an admin, their memberships otherwise. */
export async function visibleProjects(user: Pick<User, 'id' | 'role'>) {
  if (user.role === 'admin') return postgres().select().from(projects).orderBy(asc(projects.createdAt))
  return postgres()
    .select({ id: projects.id, name: projects.name, settings: projects.settings, createdAt: projects.createdAt })
    .from(projects)
    .innerJoin(projectMembers, eq(projectMembers.projectId, projects.id))
    .where(eq(projectMembers.userId, user.id))
    .orderBy(asc(projects.createdAt))
}

/** Creates the administrator from the environment when no account exists yet. */
export async function ensureAdminFromEnv(email: string | undefined, password: string | undefined): Promise<void> {
  if (!email || !password) return
  if ((await countUsers()) > 0) return
  if (await createFirstAdmin({ email, password, name: 'Administrator' })) {
    console.log(`[flightline] created the administrator account ${email} from FLIGHTLINE_ADMIN_EMAIL`)
  }
}
