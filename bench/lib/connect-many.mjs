// Opens `count` connections of one client library, in batches (the server's accept backlog is finite).
import { PEERS, RESUME_PEERS } from './peers.mjs'

const ignore = () => undefined

export async function connectMany(name, url, count, options, batch = 250) {
  const conns = []
  for (let i = 0; i < count; i += batch) {
    const wave = []
    for (let j = i; j < Math.min(count, i + batch); j++)
      wave.push((PEERS[name] ?? RESUME_PEERS[name]).connect(url, ignore, options))
    await Promise.all(wave.map((c) => c.ready))
    conns.push(...wave)
  }
  return conns
}
