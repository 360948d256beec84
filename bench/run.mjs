// `pnpm bench`: every figure in one run, each benchmark in its own process, peers side by side. Writes
// bench/RESULTS.md and bench/chart.svg. `--quick` proves the benchmarks work (small sizes, few rounds) and writes
// to bench/.out/ instead: its numbers are not the published ones. The whole run stops by itself.
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, type as osType, release, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chart } from './lib/chart.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const quick = process.argv.includes('--quick')
// --render: write RESULTS.md and chart.svg again from the last full run's results.json, without measuring
const render = process.argv.includes('--render')
const LIMIT_MS = quick ? 4 * 60_000 : 10 * 60_000
const BENCHES = ['size', 'dispatch', 'browser-dispatch', 'throughput', 'memory', 'storm', 'deadlink', 'heartbeat-cpu', 'resume']
const started = Date.now()

function runOne(name) {
  return new Promise((resolve, reject) => {
    const left = LIMIT_MS - (Date.now() - started)
    const child = spawn(process.execPath, [join(here, `${name}.mjs`), ...(quick ? ['--quick'] : [])], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${name}: the run passed its ${LIMIT_MS / 60_000} min limit`))
    }, left)
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
      for (const line of chunk.toString().split('\n')) if (line && !line.startsWith('BENCH_RESULT')) console.log(`  ${line}`)
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '))
      if (code !== 0 || !line) reject(new Error(`${name}: exited with ${code}${line ? '' : ', no result'}`))
      else resolve(JSON.parse(line.slice('BENCH_RESULT '.length)))
    })
  })
}

async function write(out, { machine, seconds, results }) {
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, 'results.json'), `${JSON.stringify({ machine, seconds, results }, null, 2)}\n`)
  writeFileSync(join(out, 'chart.svg'), chart({ storm: results.storm, size: results.size, memory: results.memory }))
  writeFileSync(
    join(out, 'RESULTS.md'),
    (await import('./lib/results-md.mjs')).resultsMarkdown({ machine, seconds, results, quick }),
  )
}

if (render) {
  await write(here, JSON.parse(readFileSync(join(here, 'results.json'), 'utf8')))
  console.log(`bench: rendered ${join(here, 'RESULTS.md')} from results.json`)
  process.exit(0)
}

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  os: `${osType()} ${release()}`,
  node: process.version,
  date: new Date().toISOString().slice(0, 10),
}
console.log(`bench${quick ? ' (quick)' : ''}: ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}`)
const results = {}
for (const name of BENCHES) {
  console.log(`▶ ${name}`)
  results[name] = await runOne(name)
}
const seconds = Math.round((Date.now() - started) / 1000)
const out = quick ? join(here, '.out') : here
await write(out, { machine, seconds, results })
const goals = Object.entries(results).filter(([, r]) => 'meetsGoal' in r)
const names = (met) =>
  goals
    .filter(([, r]) => r.meetsGoal === met)
    .map(([n]) => n)
    .join(', ') || 'none'
// The quick mode (part of `pnpm test`) runs one small round: it checks that every benchmark runs, and its figures
// say nothing about the goals, so it states none. The budget `pnpm test` enforces is size-limit's (`pnpm size`).
if (quick) console.log(`bench (quick: every benchmark ran; figures in bench/RESULTS.md come from \`pnpm bench\`): ${seconds} s`)
else console.log(`bench: ${seconds} s; goals met: ${names(true)}; not met: ${names(false)}`)
console.log(`bench: wrote ${join(out, 'RESULTS.md')}`)
