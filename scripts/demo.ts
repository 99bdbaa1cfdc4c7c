// `npm run demo`: generates a realistic week of multi-tenant agent traffic and sends it through
// a running Flightline server's ingest API, with a progress bar.
//
//   npm run demo -- [--url <base url>] [--key <api key>] [--spans <n>] [--days <n>] [--seed <n>]
//                   [--concurrency <n>] [--batch <spans per request>] [--gzip]
//
// Without --key it creates a demo project itself, which needs the server's admin token in
// FLIGHTLINE_ADMIN_TOKEN. Without --url it targets http://localhost:$PORT (default 3000).
import { parseArgs } from 'node:util'
import { DEFAULT_SPANS, MAX_DAYS, MAX_SPANS, planDemo, type DemoPlan } from '../lib/demo'
import { httpSink, IngestRefusedError } from '../lib/demo/http-sink'
import { loadDemo, type LoadProgress } from '../lib/demo/load'
import { formatClock, progressLine } from '../lib/demo/progress-line'

const USAGE = `Usage: npm run demo -- [--url <base url>] [--key <api key>] [--spans <n>] [--days <n>] [--seed <n>]
                     [--concurrency <n>] [--batch <n>] [--gzip]

  --url          server to send to (default http://localhost:$PORT, PORT defaults to 3000)
  --key          API key of the project to fill; without it a new demo project is created,
                 which needs FLIGHTLINE_ADMIN_TOKEN (the server's admin token)
  --spans        how many spans, e.g. 5000, 200k, 1M, 10M (default ${DEFAULT_SPANS.toLocaleString('en-US')})
  --days         length of the range ending now (default 7, at most ${MAX_DAYS})
  --seed         seed of the generator; equal seeds give equal data for the same end time (default 7)
  --concurrency  requests in flight (default 4)
  --batch        spans per request (default 2000)
  --gzip         compress request bodies (useful over a network)`

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`)
  process.exit(code)
}

/** 5000, 5_000, 200k, 1.5M, 1e6 */
function parseCount(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  const match = /^(\d+(?:\.\d+)?(?:e\d+)?)([kKmM]?)$/.exec(text.replaceAll('_', '').replaceAll(',', ''))
  if (!match) fail(`--${name} must be a number like 5000, 200k or 1M (got "${text}")`)
  const value = Number(match[1]) * (match[2].toLowerCase() === 'k' ? 1e3 : match[2].toLowerCase() === 'm' ? 1e6 : 1)
  return Math.round(value)
}

function describePlan(plan: DemoPlan): string {
  const at = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z'
  return [
    `Range ${at(plan.start)} .. ${at(plan.end)} (${plan.days} days), seed ${plan.seed}. Planted stories:`,
    `  tool re-entrancy loop     ${plan.loopDeploy.tenant}: ${plan.loopDeploy.tool} <-> ${plan.loopDeploy.formatter} from ${at(plan.loopDeploy.at)}`,
    `  cache-thrash incident     ${plan.cacheIncident.tenant} onboarding push ${at(plan.cacheIncident.onset)} .. ${at(plan.cacheIncident.pushEnd)}`,
    `  routing change            ${at(plan.routingChange.at)}`,
    `  retry storm               ${plan.retryStorm.tenant} ${at(plan.retryStorm.start)} .. ${at(plan.retryStorm.end)}`,
    `  nightly eval runs         ${plan.evalRuns.length} runs at 02:00 America/New_York`,
    `  (details: docs/demo.md)`,
  ].join('\n')
}

async function main() {
  let args
  try {
    args = parseArgs({
      options: {
        url: { type: 'string' },
        key: { type: 'string' },
        spans: { type: 'string' },
        days: { type: 'string' },
        seed: { type: 'string' },
        concurrency: { type: 'string' },
        batch: { type: 'string' },
        gzip: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`)
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const spans = parseCount('spans', args.spans, DEFAULT_SPANS)
  const days = args.days === undefined ? 7 : Number(args.days)
  const seed = args.seed === undefined ? 7 : Number(args.seed)
  const concurrency = parseCount('concurrency', args.concurrency, 4)
  const batchSpans = parseCount('batch', args.batch, 2000)
  if (!Number.isInteger(seed)) fail(`--seed must be a whole number (got "${args.seed}")`)
  if (spans < 100 || spans > MAX_SPANS) fail(`--spans must be between 100 and ${MAX_SPANS.toLocaleString('en-US')}`)
  if (!(days >= 0.25 && days <= MAX_DAYS)) fail(`--days must be between 0.25 and ${MAX_DAYS} (got "${args.days}")`)
  if (concurrency < 1 || concurrency > 64) fail('--concurrency must be between 1 and 64')
  if (batchSpans < 1 || batchSpans > 20_000) fail('--batch must be between 1 and 20000')

  const baseUrl = (args.url ?? `http://localhost:${process.env.PORT || 3000}`).replace(/\/+$/, '')
  try {
    const health = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(10_000) })
    if (!health.ok) fail(`${baseUrl}/api/health answered ${health.status}; is the server healthy?`)
  } catch {
    fail(`No Flightline server answers at ${baseUrl}. Start one with \`npm start\` (it listens on $PORT, default 3000), or pass --url <base url>.`)
  }

  let apiKey = args.key
  let projectUrl: string | undefined
  if (!apiKey) {
    const token = process.env.FLIGHTLINE_ADMIN_TOKEN
    if (!token) {
      fail(
        [
          'To create a demo project, the server\'s admin token is needed, and FLIGHTLINE_ADMIN_TOKEN is not set. Either:',
          '  - run with the token the server was started with:  FLIGHTLINE_ADMIN_TOKEN=<token> npm run demo',
          '  - or create a project in the UI (it shows the API key once) and pass its key:  npm run demo -- --key <api key>',
        ].join('\n'),
        2,
      )
    }
    const response = await fetch(`${baseUrl}/api/v1/projects`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: `Helpdeck demo (seed ${seed})` }),
    })
    if (response.status !== 201) {
      fail(`Could not create a demo project: ${response.status} ${await response.text()}\nCheck that FLIGHTLINE_ADMIN_TOKEN matches the server's, or pass --key <api key>.`, 2)
    }
    const project = (await response.json()) as { id: string; name: string; api_key: string }
    apiKey = project.api_key
    projectUrl = `${baseUrl}/projects/${project.id}/traces`
    process.stderr.write(`Created project "${project.name}" (${project.id}); its API key: ${project.api_key}\n`)
  }

  const demo = { seed, spans, days, batchSpans }
  process.stderr.write(`${describePlan(planDemo(demo))}\n`)

  const tty = process.stderr.isTTY === true
  let lastPrint = 0
  const print = (progress: LoadProgress, final = false) => {
    const now = Date.now()
    if (!final && now - lastPrint < (tty ? 200 : 5000)) return
    lastPrint = now
    const line = progressLine(progress, 28)
    process.stderr.write(tty ? `\r${line}\x1b[K${final ? '\n' : ''}` : `${line}\n`)
  }

  const abort = new AbortController()
  process.once('SIGINT', () => abort.abort(new Error('interrupted')))
  let last: LoadProgress | undefined
  try {
    const result = await loadDemo({
      demo,
      sink: httpSink({ baseUrl, apiKey, gzip: args.gzip }),
      concurrency,
      signal: abort.signal,
      onProgress: (progress) => {
        last = progress
        print(progress)
      },
    })
    print(result, true)
    const rate = Math.round(result.rate).toLocaleString('en-US')
    process.stderr.write(
      `Sent ${result.spansSent.toLocaleString('en-US')} spans and ${result.scoresSent.toLocaleString('en-US')} scores ` +
        `(${result.tracesSent.toLocaleString('en-US')} traces) in ${formatClock(result.elapsedMs)}: ${rate} spans/s.\n`,
    )
    if (result.rejected > 0) process.stderr.write(`${result.rejected} items were rejected, e.g.: ${result.rejections[0]}\n`)
    if (projectUrl) process.stderr.write(`Open ${projectUrl}\n`)
  } catch (error) {
    if (last) print(last, true)
    if (error instanceof IngestRefusedError && error.status === 401) fail(`The server refused the API key: ${error.message}`)
    fail(`Demo load stopped: ${(error as Error).message}`)
  }
}

void main()
