import { defineConfig, type Project } from '@playwright/test'
import { findEngines, nginxBinary } from './lib/engines'

// Under CI=true every engine is mandatory: a missing one fails the run. Locally it is skipped, with a notice.
const ci = process.env['CI'] === 'true' || process.env['CI'] === '1'
const engines = findEngines()
const missing = engines.filter((e) => e.missing)
if (!nginxBinary()) missing.push({ name: 'nginx' as never, missing: 'no /usr/sbin/nginx (apt-get install nginx)' })
for (const m of missing) {
  const line = `e2e: ${m.name} unavailable: ${m.missing}`
  if (ci) throw new Error(`${line}; CI=true makes every engine mandatory`)
  console.warn(`${line}; skipping it (set CI=true to make this fail)`)
}

const browserTests = /(scenarios|nginx|demo|demo-fleet|fleet)\.spec\.ts/
// the browser examples rebuild their dist/ on start: one engine runs them (see the spec)
const chromiumOnly = /examples-browser\.spec\.ts/
const projects: Project[] = []
for (const engine of engines.filter((e) => e.executable)) {
  if (engine.name === 'chromium') {
    projects.push({
      name: 'chromium',
      testMatch: [browserTests, chromiumOnly],
      use: { browserName: 'chromium', launchOptions: { executablePath: engine.executable } },
    })
    // the page's life (back/forward cache, freezing): Chromium launched by the spec itself, without Playwright's muzzles
    projects.push({ name: 'chromium-lifecycle', testMatch: /lifecycle\.spec\.ts/ })
  } else if (engine.name === 'firefox') {
    // Debian's Firefox ESR runs through WebDriver BiDi (the moz-firefox channel); Playwright's own Firefox needs neither.
    const use: Project['use'] =
      engine.source === 'debian'
        ? { browserName: 'firefox', channel: 'moz-firefox', launchOptions: { executablePath: engine.executable } }
        : { browserName: 'firefox' }
    projects.push({ name: 'firefox', testMatch: browserTests, use })
  } else {
    projects.push({ name: 'webkit', testMatch: browserTests })
  }
}
projects.push({ name: 'node', testMatch: /(node-client|examples)\.spec\.ts/ })

export default defineConfig({
  testDir: './tests',
  globalSetup: './lib/global-setup.ts',
  outputDir: './.artifacts/test-results',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  forbidOnly: ci,
  reporter: [['list'], ['./lib/scenario-table.ts']],
  projects,
})
