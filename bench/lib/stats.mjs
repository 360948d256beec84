// Small statistics helpers shared by the benchmarks that tinybench does not fit: each of their samples is a separate
// process, a run over real sockets, or a round inside a browser page, and libraries are compared in interleaved rounds
// (tinybench runs one task's iterations, then the next's). The in-process micro-benchmark (dispatch.mjs) uses tinybench.
export const median = (xs) => quantile(xs, 0.5)

export function quantile(xs, q) {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  const i = (s.length - 1) * q
  const lo = Math.floor(i)
  const hi = Math.ceil(i)
  return s[lo] + (s[hi] - s[lo]) * (i - lo)
}

export const round = (x, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits

/** Runs `rounds` rounds; in each, every variant runs once, in an order rotated per round (interleaving). */
export async function interleaved(variants, rounds, run) {
  const results = Object.fromEntries(variants.map((v) => [v, []]))
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(r + k) % variants.length]
      results[v].push(await run(v, r))
    }
  }
  return results
}

export const nowMs = () => Number(process.hrtime.bigint()) / 1e6
