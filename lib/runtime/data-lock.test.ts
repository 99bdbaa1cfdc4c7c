import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DataDirLockedError, lockDataDir, parseOwner, processStartTicks } from './data-lock'

const dirs: string[] = []
const releases: Array<() => void> = []
afterEach(() => {
  for (const release of releases.splice(0)) release()
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flightline-lock-'))
  dirs.push(dir)
  return dir
}

const lockFile = (dir: string) => path.join(dir, 'flightline.lock')

describe('data directory lock', () => {
  it('takes over a claim whose pid now belongs to another live process', () => {
    for (const claim of ['1\n', `${process.pid}\n`, JSON.stringify({ pid: process.pid, started: '1', boot: 'another-boot' }), JSON.stringify({ pid: 1, started: '0' }), 'not a claim']) {
      const dir = dataDir()
      fs.writeFileSync(lockFile(dir), claim)
      releases.push(lockDataDir(dir))
      expect(parseOwner(fs.readFileSync(lockFile(dir), 'utf8'))).toMatchObject({ pid: process.pid, started: processStartTicks(process.pid) })
    }
  })

  it('takes over a claim whose process is gone', async () => {
    const child = spawn('true')
    await new Promise((resolve) => child.once('exit', resolve))
    const dir = dataDir()
    fs.writeFileSync(lockFile(dir), JSON.stringify({ pid: child.pid, started: '12345' }))
    releases.push(lockDataDir(dir))
  })

  it('refuses while the claiming process lives, naming its pid; takes over once it died', async () => {
    const child = spawn('sleep', ['60'])
    try {
      const dir = dataDir()
      const claim = { pid: child.pid!, started: processStartTicks(child.pid!), boot: fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() }
      fs.writeFileSync(lockFile(dir), JSON.stringify(claim))
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError)
      expect(() => lockDataDir(dir)).toThrow(`pid ${child.pid}`)
      child.kill('SIGKILL')
      await new Promise((resolve) => child.once('exit', resolve))
      releases.push(lockDataDir(dir))
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('is re-entrant in the owning process and released on release', () => {
    const dir = dataDir()
    const release = lockDataDir(dir)
    lockDataDir(dir)()
    expect(fs.existsSync(lockFile(dir))).toBe(true)
    release()
    expect(fs.existsSync(lockFile(dir))).toBe(false)
    expect(fs.readdirSync(dir)).toEqual([])
  })
})
