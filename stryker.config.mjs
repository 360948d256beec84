// Mutation testing of the client (`pnpm test:mutation`): Stryker changes the source one mutant at a time and runs the
// client's unit and integration tests against it; a mutant no test notices is a promise no test pins.
// Stryker 9.6.1: 10.x needs Node 22. Too slow for every CI run (minutes on 2 cores), so outside `pnpm test`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // pnpm keeps packages apart, so Stryker's own plugin discovery finds nothing: name the runner.
  plugins: ['@stryker-mutator/vitest-runner'],
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: ['packages/client/src/**/*.ts', '!packages/client/src/index.ts', '!packages/client/src/browser.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: '.stryker/report.html' },
  jsonReporter: { fileName: '.stryker/report.json' },
  tempDirName: '.stryker/tmp',
  thresholds: { high: 90, low: 85, break: 90 },
  ignoreStatic: true,
  // reuses the last run's results for mutants whose code and tests did not change (.stryker/incremental.json)
  incremental: true,
  incrementalFile: '.stryker/incremental.json',
}
