import { defineConfig } from 'vitest/config'
import base from './vitest.config'

// The client's runtime tests only (no type tests, no builds): what Stryker runs against each mutant.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/client/test/**/*.test.ts'],
    exclude: ['packages/client/test/builds.test.ts', 'packages/client/test/artifact.test.ts'],
    typecheck: { enabled: false },
  },
})
