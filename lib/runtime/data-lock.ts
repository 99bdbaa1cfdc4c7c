// Owns the exclusive lock on the data directory. Neither embedded engine can be shared between
// processes (PGlite silently loses rows, chdb refuses with a cryptic file-lock error), so the
// process that opens them first claims the directory, and any other process is told plainly
// who owns it.
//
// The claim is a file naming its owner by pid *and* the owner's start time (from /proc, in
// clock ticks since boot) and the boot it ran in. A pid alone is not an identity: after a
// restart (a container's, typically) the old owner's pid belongs to some other live process,
// pid 1 even, and the directory would stay locked for good. The owner is alive only while a
// process with that pid, that start time and that boot exists; anything else is a stale claim,
// taken over. A claim is written whole to a private file and linked into place (atomic: link
// fails when the name exists), so no process ever reads half a claim.
import fs from 'node:fs'
import path from 'node:path'

export class DataDirLockedError extends Error {
  constructor(
    public readonly dataDir: string,
    public readonly ownerPid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by another Flightline process (pid ${ownerPid}). ` +
        `Stop that process, or start this one with a different FLIGHTLINE_DATA_DIR.`,
    )
    this.name = 'DataDirLockedError'
  }
}

export interface LockOwner {
  pid: number
  /** Start time of the process in clock ticks since boot (/proc/<pid>/stat, field 22). */
  started?: string
  /** /proc/sys/kernel/random/boot_id of the boot the owner ran in. */
  boot?: string
}

const LOCK_FILE = 'flightline.lock'

function readProc(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses. */
export function processStartTicks(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`)
  if (!stat) return undefined
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return fields[19]
}

function bootId(): string | undefined {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim()
}

export function currentProcessOwner(): LockOwner {
  return { pid: process.pid, started: processStartTicks(process.pid), boot: bootId() }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether the process a claim names is still the one that wrote it. */
export function ownerIsAlive(owner: LockOwner): boolean {
  if (!pidExists(owner.pid)) return false
  const started = processStartTicks(owner.pid)
  // Without /proc (not Linux) a live pid is all there is to go on.
  if (started === undefined) return true
  // A claim from before start times were recorded (a pid only): a live pid that is not a
  // Flightline server is some other process that reused the pid.
  if (owner.started === undefined) return /next-server|next start|scripts\/server\.mjs/.test(readProc(`/proc/${owner.pid}/cmdline`)?.replace(/\0/g, ' ') ?? '')
  return started === owner.started && (owner.boot === undefined || owner.boot === bootId())
}

export function parseOwner(text: string): LockOwner | undefined {
  const trimmed = text.trim()
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) }
  try {
    const owner = JSON.parse(trimmed) as Partial<LockOwner>
    if (typeof owner.pid !== 'number' || !Number.isInteger(owner.pid) || owner.pid <= 0) return undefined
    return { pid: owner.pid, started: typeof owner.started === 'string' ? owner.started : undefined, boot: typeof owner.boot === 'string' ? owner.boot : undefined }
  } catch {
    return undefined
  }
}

function readOwner(lockPath: string): LockOwner | undefined {
  const text = readProc(lockPath)
  return text === undefined ? undefined : parseOwner(text)
}

function sameOwner(a: LockOwner | undefined, b: LockOwner | undefined): boolean {
  return a !== undefined && b !== undefined && a.pid === b.pid && a.started === b.started && a.boot === b.boot
}

/** Claims `dataDir` for this process; returns a release function. Throws DataDirLockedError. */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true })
  const lockPath = path.join(dataDir, LOCK_FILE)
  const me = currentProcessOwner()
  const draft = path.join(dataDir, `${LOCK_FILE}.${process.pid}.${Date.now()}`)
  fs.writeFileSync(draft, `${JSON.stringify(me)}\n`)
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        fs.linkSync(draft, lockPath)
        const release = () => {
          try {
            if (sameOwner(readOwner(lockPath), me)) fs.unlinkSync(lockPath)
          } catch {
            // already gone
          }
        }
        process.once('exit', release)
        return release
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
      const owner = readOwner(lockPath)
      if (owner && sameOwner(owner, me)) return () => {}
      if (owner && ownerIsAlive(owner)) throw new DataDirLockedError(dataDir, owner.pid)
      takeOverStaleClaim(lockPath, owner)
    }
    throw new Error(`Could not take the lock ${lockPath}; other processes keep racing for it.`)
  } finally {
    fs.rmSync(draft, { force: true })
  }
}

/**
 * Moves a stale claim out of the way. Another starter may have replaced it since it was read;
 * the claim moved aside is checked, and put back when it was not the stale one.
 */
function takeOverStaleClaim(lockPath: string, stale: LockOwner | undefined): void {
  const aside = `${lockPath}.stale.${process.pid}.${Date.now()}`
  try {
    fs.renameSync(lockPath, aside)
  } catch {
    return // someone else moved it first; try again
  }
  const moved = readOwner(aside)
  if (moved !== undefined && !sameOwner(moved, stale)) {
    try {
      fs.linkSync(aside, lockPath)
    } catch {
      // a third claim is in place already; the next attempt reads it
    }
  }
  fs.rmSync(aside, { force: true })
}
