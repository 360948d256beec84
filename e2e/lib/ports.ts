import { createServer } from 'node:net'

/**
 * A port the OS just handed out on 127.0.0.1, for programs that cannot listen on port 0 and report back
 * (nginx, WebKitWebDriver). Our own servers always listen on 0 directly.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}
