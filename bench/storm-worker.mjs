// One library's clients for the reconnect storm, in their own process (run by storm.mjs).
import { connectMany } from './lib/connect-many.mjs'

const [name, url, countText] = process.argv.slice(2)
const conns = await connectMany(name, url, Number(countText))
process.send({ ready: conns.length })
process.on('message', (msg) => {
  if (msg !== 'close') return
  for (const c of conns) c.close()
  setTimeout(() => process.exit(0), 300)
})
