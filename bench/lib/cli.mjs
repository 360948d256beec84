// Shared by every benchmark script: --quick, and printing the result as the last stdout line for run.mjs.
export const quick = process.argv.includes('--quick')

export function report(name, result) {
  console.log(`BENCH_RESULT ${JSON.stringify({ name, quick, ...result })}`)
}
