import { vi } from 'vitest'

/**
 * Polls `check` (sync or async) with `vi.waitFor` until it returns a truthy value, and returns that value; fails once
 * `deadlineMs` has passed, naming what it waited for. Tests against real servers wait with this, never with a sleep.
 * Shared by the test-server's and the client's tests (a test helper: not part of any package's exports).
 */
export function until<T>(check: () => T | Promise<T>, what: string, deadlineMs = 5_000, everyMs = 5): Promise<NonNullable<T>> {
  return vi
    .waitFor(
      async () => {
        const value = await check()
        if (!value) throw new Error(`still waiting for ${what}`)
        return value as NonNullable<T>
      },
      { timeout: deadlineMs, interval: everyMs },
    )
    .catch((err: unknown) => {
      const last = err instanceof Error && !err.message.startsWith('still waiting') ? ` (last error: ${err.message})` : ''
      throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}${last}`)
    })
}
