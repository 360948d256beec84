/**
 * Polls `check` (sync or async) until it returns a truthy value, and returns that value; throws once `deadlineMs`
 * has passed. Tests against the server wait with this, never with a fixed sleep.
 */
export async function until<T>(
  check: () => T | Promise<T>,
  what: string,
  deadlineMs = 5_000,
  everyMs = 5,
): Promise<NonNullable<T>> {
  const end = Date.now() + deadlineMs
  for (;;) {
    const value = await check()
    if (value) return value as NonNullable<T>
    if (Date.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}
