import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// The client's runtime tests only (no type tests, no builds): what Stryker runs against each mutant.
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  resolve: {
    alias: {
      '@lifeline/test-server': here('./packages/test-server/src/index.ts'),
    },
  },
  test: {
    include: ['packages/client/test/**/*.test.ts'],
    exclude: ['packages/client/test/builds.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    restoreMocks: true,
  },
})
