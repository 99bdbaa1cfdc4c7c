// Owns the exclusive lock on the data directory. Neither embedded engine can be shared between
// processes (PGlite silently loses rows, chdb refuses with a cryptic file-lock error), so the
// process that opens them first claims the directory with a pid file, and any other process is
// told plainly who owns it.
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Claims `dataDir` for this process; returns a release function. Throws DataDirLockedError. */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true })
  const lockPath = path.join(dataDir, 'flightline.lock')
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx')
      fs.writeSync(fd, `${process.pid}\n`)
      fs.closeSync(fd)
      const release = () => {
        try {
          if (readOwner(lockPath) === process.pid) fs.unlinkSync(lockPath)
        } catch {
          // already gone
        }
      }
      process.once('exit', release)
      return release
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = readOwner(lockPath)
      if (owner === process.pid) return () => {}
      if (owner !== undefined && isAlive(owner)) throw new DataDirLockedError(dataDir, owner)
      // The owner died without cleaning up (kill -9): the lock is stale, take it over.
      try {
        fs.unlinkSync(lockPath)
      } catch {
        // another starter removed it first; retry the exclusive create
      }
    }
  }
  throw new Error(`Could not take the lock ${lockPath}; another process keeps racing for it.`)
}

function readOwner(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(lockPath, 'utf8').trim(), 10)
    return Number.isFinite(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}
