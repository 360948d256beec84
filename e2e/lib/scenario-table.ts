// A Playwright reporter: after the run, the scenarios × engines table (pass / FAIL / skip per project) and a line per
// engine. Playwright's own reporters print per-test lines (list) or files (json, html); none prints this matrix, so
// this reporter only lays out what Playwright hands it: no result parsing, no second process.
import type { FullResult, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter'

type Cell = 'pass' | 'FAIL' | 'skip' | 'flaky'

export default class ScenarioTable implements Reporter {
  private readonly rows = new Map<string, Map<string, Cell>>()
  private suite: Suite | undefined

  onBegin(_config: unknown, suite: Suite): void {
    this.suite = suite
  }

  onTestEnd(test: TestCase, _result: TestResult): void {
    // called once per attempt: the last one overwrites the cell, and outcome() weighs every attempt so far
    const outcome = test.outcome()
    const cell: Cell = outcome === 'expected' ? 'pass' : outcome === 'skipped' ? 'skip' : outcome === 'flaky' ? 'flaky' : 'FAIL'
    const project = test.parent.project()?.name ?? '?'
    // the title below the project and the file: describe blocks and the test's own title
    const name = test.titlePath().slice(3).join(' › ')
    const row = this.rows.get(name) ?? new Map<string, Cell>()
    row.set(project, cell)
    this.rows.set(name, row)
  }

  onEnd(result: FullResult): void {
    const projects = (this.suite?.suites ?? []).map((s) => s.title).filter((p) => [...this.rows.values()].some((r) => r.has(p)))
    const lines = [`| scenario | ${projects.join(' | ')} |`, `| --- | ${projects.map(() => '---').join(' | ')} |`]
    for (const [name, row] of this.rows) lines.push(`| ${name} | ${projects.map((p) => row.get(p) ?? '').join(' | ')} |`)
    const perProject = projects.map((p) => {
      const cells = [...this.rows.values()].map((r) => r.get(p)).filter((c) => c !== undefined)
      return `${p} ${cells.filter((c) => c === 'pass' || c === 'flaky').length}/${cells.length}`
    })
    const all = [...this.rows.values()].flatMap((r) => [...r.values()])
    const count = (c: Cell): number => all.filter((x) => x === c).length
    console.log(`\n${lines.join('\n')}\n`)
    console.log(`e2e per engine: ${perProject.join(', ')}; wall time ${(result.duration / 1000).toFixed(1)} s`)
    console.log(
      `e2e: ${count('pass')} passed, ${count('FAIL')} failed${count('flaky') ? `, ${count('flaky')} flaky` : ''}${count('skip') ? `, ${count('skip')} skipped` : ''} (${result.status})`,
    )
  }

  printsToStdio(): boolean {
    return false // the list reporter keeps the terminal; this one adds the table at the end
  }
}
