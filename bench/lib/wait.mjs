// Polling for the benchmark scripts (which run without a test framework): no sleeps, a deadline instead.

/** Resolves with the first truthy value of `check`, polled every `everyMs`; rejects after `deadlineMs`. */
export async function until(check, what, deadlineMs = 5_000, everyMs = 5) {
  const end = Date.now() + deadlineMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}
