import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { startTestServer, type TestServer } from '@lifeline/test-server'
import { type Browser, test as base, expect as check, type Page } from '@playwright/test'
import { findEngines } from './engines'
import { pagesDir } from './paths'
import { spaOut } from './spa'
import { type WebDriverSession, WebKitDriver } from './webdriver'

export type EngineName = 'chromium' | 'firefox' | 'webkit'

/** What a test does with a browser, whichever engine and driver is behind it. */
export interface Engine {
  readonly name: EngineName
  goto(url: string): Promise<void>
  /** Waits until `expression` (evaluated in the page) is truthy. */
  waitFor(expression: string, what: string, ms?: number): Promise<void>
  /** Runs a scenario from pages/scenarios.js and returns its result; a failed scenario throws its error. */
  run<T = Record<string, unknown>>(scenario: string, args?: object): Promise<T>
  /** Evaluates an async function body in the page and returns its result. */
  evaluate<T>(body: string, args?: unknown[]): Promise<T>
  click(selector: string): Promise<void>
  /**
   * Takes the page offline or back. `emulated`: the engine's network emulation (Playwright). `events`: WebDriver has
   * no network emulation, so only the page's `offline`/`online` events are fired.
   */
  setOffline(offline: boolean): Promise<'emulated' | 'events'>
  screenshot(path: string): Promise<void>
}

const scenarioCall = `const r = await window.lifelineRun(args[0], args[1]); return r`

function playwrightEngine(name: EngineName, page: Page): Engine {
  const evaluate = <T>(body: string, args: unknown[] = []): Promise<T> =>
    page.evaluate(([b, a]) => new Function('args', `return (async () => { ${b} })()`)(a), [body, args] as const) as Promise<T>
  return {
    name,
    goto: async (url) => {
      await page.goto(url)
    },
    waitFor: async (expression, _what, ms = 10_000) => {
      await page.waitForFunction(expression, null, { timeout: ms })
    },
    run: async (scenario, args) => unwrap(await evaluate(scenarioCall, [scenario, args ?? {}])),
    evaluate,
    click: (selector) => page.click(selector),
    setOffline: async (offline) => {
      await page.context().setOffline(offline)
      return 'emulated'
    },
    screenshot: async (path) => {
      await page.screenshot({ path, fullPage: true })
    },
  }
}

function webdriverEngine(session: WebDriverSession): Engine {
  const evaluate = <T>(body: string, args: unknown[] = []): Promise<T> => session.executeAsync<T>(body, args)
  return {
    name: 'webkit',
    goto: async (url) => {
      await session.navigate(url)
    },
    waitFor: async (expression, what, ms = 10_000) => {
      await check
        .poll(() => evaluate<boolean>(`return Boolean(${expression})`), { message: what, timeout: ms, intervals: [25] })
        .toBe(true)
    },
    run: async (scenario, args) => unwrap(await evaluate(scenarioCall, [scenario, args ?? {}])),
    evaluate,
    click: async (selector) => {
      await evaluate('document.querySelector(args[0]).click()', [selector])
    },
    setOffline: async (offline) => {
      await evaluate(`window.dispatchEvent(new Event(args[0] ? 'offline' : 'online'))`, [offline])
      return 'events'
    },
    screenshot: async (path) => {
      // Let the page paint what the DOM holds (two frames; bounded, since a hidden window may never give one).
      await evaluate(
        'await Promise.race([new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))), new Promise((r) => setTimeout(r, 500))])',
      )
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, await session.screenshot())
    },
  }
}

function unwrap<T>(outcome: unknown): T {
  const o = outcome as { ok: boolean; result?: T; error?: string }
  if (!o || typeof o !== 'object' || !('ok' in o)) throw new Error(`scenario returned no outcome: ${JSON.stringify(outcome)}`)
  if (!o.ok) throw new Error(`scenario failed in the page: ${o.error}`)
  return o.result as T
}

export const test = base.extend<
  { server: TestServer; engine: Engine },
  { webkit: WebKitDriver | undefined; launched: Browser | undefined }
>({
  // Chromium and Firefox through Playwright, launched here (not through the `browser` fixture) so that the WebKit
  // project never starts a Playwright browser it does not use.
  launched: [
    async ({ playwright }, use, workerInfo) => {
      const { browserName, channel, launchOptions } = workerInfo.project.use
      if (browserName !== 'chromium' && browserName !== 'firefox') return use(undefined)
      const browser = await playwright[browserName].launch({ ...launchOptions, ...(channel ? { channel } : {}) })
      await use(browser)
      await browser.close()
    },
    { scope: 'worker' },
  ],

  webkit: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
    async ({}, use, workerInfo) => {
      if (workerInfo.project.name !== 'webkit') return use(undefined)
      const found = findEngines().find((e) => e.name === 'webkit')
      if (!found?.executable) throw new Error(`webkit: ${found?.missing}`)
      const driver = await WebKitDriver.start(found.executable)
      await use(driver)
      await driver.stop()
    },
    { scope: 'worker' },
  ],

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
  server: async ({}, use) => {
    const server = await startTestServer({ faultsOverHttp: true, mounts: { '/e2e': pagesDir, '/spa': spaOut } })
    await use(server)
    await server.close()
  },

  engine: async ({ webkit, launched }, use, testInfo) => {
    const name = testInfo.project.name as EngineName
    if (name === 'webkit') {
      if (!webkit) throw new Error('webkit driver missing')
      const session = await webkit.session()
      try {
        await use(webdriverEngine(session))
      } finally {
        await session.close()
      }
      return
    }
    if (!launched) throw new Error(`${name}: no browser launched`)
    const context = await launched.newContext()
    const page = await context.newPage()
    const console: string[] = []
    page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`))
    page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`))
    try {
      await use(playwrightEngine(name, page))
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('console', { body: console.join('\n') })
      await context.close()
    }
  },
})

export { expect } from '@playwright/test'

/** Loads a scenario page and waits for Lifeline and the scenarios to be there. */
export async function openScenarioPage(engine: Engine, server: TestServer, loading: 'script' | 'spa'): Promise<void> {
  await engine.goto(`${server.httpUrl}${loading === 'script' ? '/e2e/scenario.html' : '/spa/'}`)
  await engine.waitFor('window.Lifeline && window.Lifeline.LifelineError && window.lifelineScenarios', 'Lifeline in the page')
}
