/** How the random part of a reconnect delay is drawn. */
export type Jitter = 'full' | 'equal' | 'none'

export interface BackoffOptions {
  /** Ceiling of the first retry's delay, in milliseconds. */
  initialDelayMs: number
  /** Largest ceiling any retry's delay can have, in milliseconds. */
  maxDelayMs: number
  /** Growth of the ceiling per attempt. */
  factor: number
  /** `full`: uniform in [0, ceiling]; `equal`: uniform in [ceiling/2, ceiling]; `none`: the ceiling. */
  jitter: Jitter
}

/**
 * The delay before retry number `attempt` (0 for the first retry), in milliseconds:
 * the ceiling is `min(maxDelayMs, initialDelayMs · factor^attempt)`, the jitter draws within it.
 * Pure: `random` is injectable and must return a number in [0, 1).
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** attempt)
  if (options.jitter === 'none') return ceiling
  const floor = options.jitter === 'equal' ? ceiling / 2 : 0
  return Math.round(floor + random() * (ceiling - floor))
}
