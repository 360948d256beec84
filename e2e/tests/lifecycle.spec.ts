// The page's life in a Chromium that is not muzzled: Playwright's defaults turn off the back/forward cache and
// background timer throttling, so these tests launch Chromium without those switches and drive its page lifecycle.
import { startTestServer, type TestServer } from '@lifeline/test-server'
import { type Browser, chromium, expect, type Page, test } from '@playwright/test'
import { findEngines } from '../lib/engines'
import { pagesDir } from '../lib/paths'

const executablePath = findEngines().find((e) => e.name === 'chromium')?.executable
const MUZZLES = [
  '--disable-back-forward-cache',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
]

let server: TestServer
let browser: Browser
test.beforeEach(async () => {
  server = await startTestServer({ mounts: { '/e2e': pagesDir } })
  browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), ignoreDefaultArgs: MUZZLES })
})
test.afterEach(async () => {
  await browser.close()
  await server.close()
})

type Log = Array<[event: string, at: number, detail?: unknown]>
declare global {
  interface Window {
    __log: Log
    // biome-ignore lint/suspicious/noExplicitAny: the <script> build's global, untyped in the page
    Lifeline: any
    // biome-ignore lint/suspicious/noExplicitAny: the <script> build's client, untyped in the page
    __client: any
  }
}

/** Opens the scenario page with a client that logs opens, closes and page events, each with a timestamp. */
async function clientPage(page: Page): Promise<void> {
  await page.goto(`${server.httpUrl}/e2e/scenario.html`)
  await page.evaluate(() => {
    const log: Log = []
    window.__log = log
    const at = () => performance.now()
    const client = new window.Lifeline(`ws://${location.host}/ws`)
    window.__client = client
    client.on('open', () => log.push(['open', at()]))
    client.on('close', (e: { code: number; reason: string }) => log.push(['close', at(), `${e.code} ${e.reason}`]))
    addEventListener('pageshow', (e) => log.push(['pageshow', at(), e.persisted]))
    document.addEventListener('resume', () => log.push(['resume', at()]))
  })
  await expect.poll(() => opens(page)).toBe(1)
}

const opens = (page: Page): Promise<number> => page.evaluate(() => window.__log.filter(([e]) => e === 'open').length)

// Freezing a visible page is refused (Page.setWebLifecycleState), and headless pages stay visible; the cache itself
// freezes and resumes the page around pagehide/pageshow, so this test sees both pairs of events.
test('back/forward cache: the socket closes cleanly when the page leaves; Back restores it and it dials at once', async () => {
  const page = await browser.newPage()
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Page.enable')
  const notCached: string[] = []
  cdp.on('Page.backForwardCacheNotUsed', (e) => notCached.push(...e.notRestoredExplanations.map((x) => x.reason)))
  await clientPage(page)
  expect(server.connections.size).toBe(1)
  await page.goto(`${server.httpUrl}/e2e/elsewhere.html`)
  // pagehide closed the socket: the server sees no zombie connection
  await expect.poll(() => server.connections.size, { timeout: 5_000 }).toBe(0)
  await page.goBack({ waitUntil: 'commit' })
  // restored from the cache (the same JavaScript state, so the log is still there), and dialed at once
  await expect
    .poll(() => page.evaluate(() => window.__log?.filter(([e]) => e === 'open').length ?? `reloaded, not restored`))
    .toBe(2)
  expect(notCached, 'why Chromium did not restore the page from its back/forward cache').toEqual([])
  const log = await page.evaluate(() => window.__log)
  const shown = log.find(([e]) => e === 'pageshow')
  expect(shown?.[2]).toBe(true)
  expect(log.filter(([e]) => e === 'close').map(([, , d]) => d)).toEqual(['1000 page hidden'])
  const reopened = log.filter(([e]) => e === 'open')[1] as Log[number]
  const delayMs = reopened[1] - (shown as Log[number])[1]
  console.log(`bfcache: pageshow → open in ${delayMs.toFixed(0)} ms`)
  expect(delayMs).toBeLessThan(1_000) // no backoff wait
  expect(server.connections.size).toBe(1)
  await page.evaluate(() => window.__client.close())
})
