// Runs in a real browser: real MessageEvents dispatched by an EventTarget socket double, as the browser's WebSocket
// dispatches them. Lifeline (decode, validate, emit `message`) against the floor an app writes by hand: a function
// listener that calls JSON.parse and the handler.
;(() => {
  class FakeSocket extends EventTarget {
    static last
    constructor() {
      super()
      this.readyState = 0
      this.binaryType = 'blob'
      this.bufferedAmount = 0
      FakeSocket.last = this
    }
    send() {
      // inbound dispatch only: nothing is written
    }
    close() {
      this.readyState = 3
    }
  }

  const frames = Array.from({ length: 256 }, (_, i) =>
    JSON.stringify({ type: 'chat', data: { room: 'lobby', text: `hello world ${i}`, n: i } }),
  )
  // A browser makes one MessageEvent per frame; both paths get the same ones (an event may be dispatched again).
  const events = frames.map((data) => new MessageEvent('message', { data }))
  let sink = 0
  const handler = (m) => {
    sink += m.data.n
  }

  function lifelineRun(n) {
    const client = new window.Lifeline('ws://bench/', { WebSocket: FakeSocket })
    client.on('message', handler)
    client.connect()
    const socket = FakeSocket.last
    socket.readyState = 1
    socket.dispatchEvent(new Event('open'))
    const t0 = performance.now()
    for (let i = 0; i < n; i++) socket.dispatchEvent(events[i & 255])
    const ns = ((performance.now() - t0) * 1e6) / n
    client.close()
    return ns
  }

  function nativeRun(n) {
    const socket = new FakeSocket()
    socket.addEventListener('message', (event) => handler(JSON.parse(event.data)))
    const t0 = performance.now()
    for (let i = 0; i < n; i++) socket.dispatchEvent(events[i & 255])
    return ((performance.now() - t0) * 1e6) / n
  }

  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b)
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
  }

  window.runDispatch = ({ n, rounds }) => {
    for (let i = 0; i < 3; i++) {
      lifelineRun(n / 4)
      nativeRun(n / 4)
    }
    const lifeline = []
    const native = []
    for (let r = 0; r < rounds; r++) {
      // interleaved, and each round's order alternates, so drift hits both alike
      if (r % 2) {
        lifeline.push(lifelineRun(n))
        native.push(nativeRun(n))
      } else {
        native.push(nativeRun(n))
        lifeline.push(lifelineRun(n))
      }
    }
    // paired per round (both paths ran side by side), so a drift of the machine between rounds cancels out
    const ratio = median(lifeline.map((ns, r) => native[r] / ns))
    return {
      lifelineNs: median(lifeline),
      nativeNs: median(native),
      ratio,
      sink: sink > 0,
      userAgent: navigator.userAgent,
    }
  }
})()
