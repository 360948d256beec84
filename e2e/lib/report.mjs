// Prints the e2e results as a table of scenarios × engines from Playwright's JSON report, then one closing line.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const file = join(fileURLToPath(new URL('..', import.meta.url)), '.artifacts', 'results.json')
if (!existsSync(file)) {
  console.error('e2e report: no results.json (did Playwright run?)')
  process.exit(0)
}
const report = JSON.parse(readFileSync(file, 'utf8'))
const rows = new Map()
const engines = new Set()
let passed = 0
let failed = 0
let skipped = 0
const walk = (suite, trail) => {
  const here = suite.title && !suite.title.endsWith('.spec.ts') ? [...trail, suite.title] : trail
  for (const child of suite.suites ?? []) walk(child, here)
  for (const spec of suite.specs ?? []) {
    const name = [...here, spec.title].join(' › ')
    for (const t of spec.tests) {
      const status = t.results.at(-1)?.status ?? 'skipped'
      engines.add(t.projectName)
      if (!rows.has(name)) rows.set(name, {})
      rows.get(name)[t.projectName] = status === 'passed' ? 'pass' : status === 'skipped' ? 'skip' : 'FAIL'
      if (status === 'passed') passed++
      else if (status === 'skipped') skipped++
      else failed++
    }
  }
}
for (const suite of report.suites) walk(suite, [])
const order = ['chromium', 'firefox', 'webkit', 'node'].filter((e) => engines.has(e))
const lines = [`| scenario | ${order.join(' | ')} |`, `| --- | ${order.map(() => '---').join(' | ')} |`]
for (const [name, cells] of rows) lines.push(`| ${name} | ${order.map((e) => cells[e] ?? '').join(' | ')} |`)
const perEngine = order.map(
  (e) => `${e} ${[...rows.values()].filter((c) => c[e] === 'pass').length}/${[...rows.values()].filter((c) => c[e]).length}`,
)
console.log(`\n${lines.join('\n')}\n`)
console.log(`e2e per engine: ${perEngine.join(', ')}; wall time ${(report.stats.duration / 1000).toFixed(1)} s`)
console.log(`e2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
