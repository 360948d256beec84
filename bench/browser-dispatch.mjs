// Figure 2b: dispatch in a real browser (Debian's Chromium, headless). Real MessageEvents from an EventTarget socket
// double; Lifeline against a native function listener + JSON.parse. Goal: Lifeline ≥ 0.95× the native path's speed
// (the median of per-round ratios: each round runs both paths side by side).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startTestServer } from '@lifeline/test-server'
import { chromium } from 'playwright-core'
import { quick, report } from './lib/cli.mjs'
import { round } from './lib/stats.mjs'

const N = quick ? 20_000 : 200_000
const ROUNDS = quick ? 3 : 21
const executablePath = process.env.LIFELINE_CHROMIUM ?? '/usr/bin/chromium'
if (!existsSync(executablePath)) {
  const why = `no Chromium at ${executablePath} (apt-get install chromium, or set LIFELINE_CHROMIUM)`
  // Like the e2e suite: a missing browser is skipped with a notice locally, and fails the run under CI=true.
  if (process.env.CI === 'true' || process.env.CI === '1') {
    console.error(`browser-dispatch: ${why}; CI=true makes it mandatory`)
    process.exit(1)
  }
  console.log(`browser-dispatch: skipped, ${why}`)
  report('browser-dispatch', { skipped: why })
  process.exit(0)
}

const server = await startTestServer({ mounts: { '/bench': fileURLToPath(new URL('./pages', import.meta.url)) } })
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] })
try {
  const page = await browser.newPage()
  await page.goto(`${server.httpUrl}/bench/${process.env.PAGE ?? 'dispatch.html'}`)
  await page.waitForFunction(() => typeof window.runDispatch === 'function')
  const r = await page.evaluate(({ n, rounds }) => window.runDispatch({ n, rounds }), { n: N, rounds: ROUNDS })
  const ratio = r.ratio
  report('browser-dispatch', {
    engine: r.userAgent.match(/(?:Headless)?Chrome\/[\d.]+/)?.[0] ?? r.userAgent,
    messages: N,
    rounds: ROUNDS,
    nsPerMessage: { lifeline: round(r.lifelineNs), native: round(r.nativeNs) },
    ratio: round(ratio, 3),
    goal: 0.95,
    meetsGoal: ratio >= 0.95,
    sink: r.sink,
  })
  console.log(
    `browser dispatch (${r.userAgent.match(/Chrome\/[\d.]+/)?.[0]}): lifeline ${round(r.lifelineNs)} ns/msg, native callback + JSON.parse ${round(r.nativeNs)} ns/msg: ${round(ratio, 3)}× native speed (goal ≥ 0.95)`,
  )
} finally {
  await browser.close()
  await server.close()
}
