// One library's idle memory per connection, in a fresh process (run by memory.mjs with --expose-gc).
import { connectMany } from './lib/connect-many.mjs'

const [name, url, countText] = process.argv.slice(2)
const count = Number(countText)
const settle = async () => {
  for (let i = 0; i < 4; i++) {
    global.gc()
    await new Promise((resolve) => setImmediate(resolve))
  }
}
// load the library's code and warm its paths before the baseline, so per-connection numbers hold connections only
const warm = await connectMany(name, url, 5)
for (const c of warm) c.close()
await settle()
const before = process.memoryUsage()
const conns = await connectMany(name, url, count)
await new Promise((resolve) => setTimeout(resolve, 500))
await settle()
const after = process.memoryUsage()
process.send({
  heapPerConn: (after.heapUsed - before.heapUsed) / count,
  rssPerConn: (after.rss - before.rss) / count,
  externalPerConn: (after.external - before.external) / count,
})
for (const c of conns) c.close()
setTimeout(() => process.exit(0), 200)
