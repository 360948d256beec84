// The Lifeline demo: one connection, watched live, with a button per fault. Plain script over the <script> build.
;(() => {
  const $ = (selector) => document.querySelector(selector)
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`
  const params = new URLSearchParams(location.search)
  const num = (name, fallback) => (params.has(name) ? Number(params.get(name)) : fallback)

  // A lively heartbeat so the page shows it working; production defaults are 50 s / 10 s.
  const client = new Lifeline(wsUrl, {
    heartbeat: { intervalMs: num('intervalMs', 2_000), timeoutMs: num('timeoutMs', 1_500) },
    reconnect: { initialDelayMs: 500, maxDelayMs: 5_000, stableAfterMs: 3_000 },
    requestTimeoutMs: 4_000,
    resume: params.get('resume') !== '0', // numbered messages, nothing lost or doubled across reconnects
  })

  const started = Date.now()
  const spans = [{ state: client.state, from: started }]
  const rtts = []
  let reconnects = 0
  let joined = false
  let lastClose = null
  const clock = (t = Date.now()) => new Date(t).toLocaleTimeString([], { hour12: false })

  const log = (text, kind = '') => {
    const li = document.createElement('li')
    li.className = kind
    const t = document.createElement('span')
    t.className = 't'
    t.textContent = clock()
    li.append(t, text)
    const list = $('#log')
    list.prepend(li)
    while (list.children.length > 200) list.lastChild.remove()
  }

  // --- live status ----------------------------------------------------------------------------------------------------
  client.on('state', ({ from, to }) => {
    spans.push({ state: to, from: Date.now() })
    $('#state').textContent = to
    $('#state').dataset.state = to
    log(`state ${from} → ${to}`)
  })
  client.on('open', ({ attempt }) => {
    log(`open (after ${attempt} failed attempts)`)
    client.request('whoami').then(({ id }) => ($('#whoami').textContent = `#${id}`), noteError)
    client.request('join', { room: 'lobby' }).then(() => {
      joined = true
    }, noteError)
  })
  client.on('close', (e) => {
    lastClose = e
    log(
      `close ${e.code}${e.reason ? ` "${e.reason}"` : ''}, ${e.willReconnect ? 'will reconnect' : 'stopped'}`,
      e.willReconnect ? '' : 'error',
    )
  })
  client.on('reconnecting', ({ attempt, delayMs }) => {
    reconnects++
    $('#reconnects').textContent = String(reconnects)
    const row = document.createElement('tr')
    const cells = [clock(), lastClose ? `${lastClose.code} ${lastClose.reason}` : '', `#${attempt}`, `${delayMs} ms`]
    for (const text of cells) row.insertCell().textContent = text
    const body = $('#attempts tbody')
    body.prepend(row)
    while (body.children.length > 12) body.lastChild.remove()
    log(`reconnecting: attempt ${attempt} in ${delayMs} ms`)
  })
  client.on('latency', ({ rttMs }) => {
    rtts.push({ at: Date.now(), rttMs })
    if (rtts.length > 120) rtts.shift()
    $('#rtt').textContent = String(rttMs)
  })
  let floodCount = 0
  client.on('message', (msg) => {
    if (msg.type === 'broadcast') addChat(`#${msg.data.from}: ${msg.data.message}`)
    else if (msg.type === 'flood') {
      floodCount++
      if (msg.data.i === 0) log('flood started')
    } else log(`message ${msg.type} ${JSON.stringify(msg.data ?? null)}`)
  })
  client.on('error', (err) => log(`error ${err.code}: ${err.message}`, 'error'))
  const noteError = (err) => log(`request failed: ${err.code}`, 'error')

  // --- drawing ----------------------------------------------------------------------------------------------------------
  const SVG = 'http://www.w3.org/2000/svg'
  const svgEl = (name, attrs) => {
    const el = document.createElementNS(SVG, name)
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v))
    return el
  }
  const colors = { idle: '#566573', connecting: '#f1c40f', open: '#2ecc71', reconnecting: '#e67e22', closed: '#e74c3c' }
  const WINDOW_MS = 60_000

  /** Faults that last (silence, slow pongs, refusals): the button, and until when (Infinity: until Heal all). */
  const active = new Map()
  function showActiveFaults(now) {
    const parts = []
    for (const [button, until] of active) {
      if (until <= now) {
        active.delete(button)
        button.classList.remove('active')
        continue
      }
      const left = until === Infinity ? 'until Heal all' : `${Math.ceil((until - now) / 1000)} s`
      parts.push(`${button.dataset.label} (${left})`)
    }
    $('#faults-on').textContent = parts.length ? `faults on: ${parts.join(', ')}` : ''
  }

  const draw = () => {
    const now = Date.now()
    const t0 = now - WINDOW_MS
    const x = (t) => ((Math.max(t, t0) - t0) / WINDOW_MS) * 600
    const timeline = $('#timeline')
    timeline.replaceChildren()
    spans.forEach((span, i) => {
      const end = spans[i + 1]?.from ?? now
      if (end < t0) return
      timeline.append(
        svgEl('rect', { x: x(span.from), y: 4, width: Math.max(1, x(end) - x(span.from)), height: 28, fill: colors[span.state] }),
      )
    })
    const spark = $('#sparkline')
    spark.replaceChildren()
    const recent = rtts.filter((r) => r.at >= t0)
    if (recent.length) {
      const top = Math.max(20, ...recent.map((r) => r.rttMs)) * 1.2
      const points = recent.map((r) => `${x(r.at).toFixed(1)},${(56 - (r.rttMs / top) * 52).toFixed(1)}`).join(' ')
      spark.append(svgEl('polyline', { points, fill: 'none', stroke: '#5dade2', 'stroke-width': 2 }))
      for (const r of recent)
        spark.append(svgEl('circle', { cx: x(r.at), cy: 56 - (r.rttMs / top) * 52, r: 2.2, fill: '#aed6f1' }))
      spark.append(
        Object.assign(svgEl('text', { x: 4, y: 12, fill: '#7d8b9c', 'font-size': 10 }), {
          textContent: `max ${Math.round(top / 1.2)} ms`,
        }),
      )
    }
    $('#queued').textContent = String(client.queued)
    showActiveFaults(now)
  }
  setInterval(draw, 250)
  draw()

  // --- faults and actions -------------------------------------------------------------------------------------------------
  const fault = async (name, args) => {
    const res = await fetch(`/__faults/${name}`, { method: 'POST', body: JSON.stringify(args) })
    if (!res.ok) throw new Error(`${name}: HTTP ${res.status} ${await res.text()}`)
    return res.json()
  }
  for (const button of document.querySelectorAll('[data-fault]')) {
    button.addEventListener('click', async () => {
      const args = JSON.parse(button.dataset.args ?? '[]')
      button.classList.add('flash')
      try {
        await fault(button.dataset.fault, args)
        log(`fault ${button.dataset.fault}(${args.map((a) => JSON.stringify(a)).join(', ')})`)
        if (button.dataset.fault === 'reset') {
          for (const b of active.keys()) b.classList.remove('active')
          active.clear()
        } else if (button.dataset.lastsMs) {
          active.set(button, Date.now() + Number(button.dataset.lastsMs))
          button.classList.add('active')
        }
        showActiveFaults(Date.now())
        if (button.dataset.then) await fault(button.dataset.then, [])
      } catch (err) {
        log(String(err.message), 'error')
      } finally {
        setTimeout(() => button.classList.remove('flash'), 400)
      }
    })
  }
  let burst = 0
  $('#send-burst').addEventListener('click', () => {
    let accepted = 0
    for (let i = 0; i < 5; i++) if (client.send('echo', { burst: ++burst })) accepted++
    const queued = client.state === 'open' ? '' : `, ${client.queued} queued`
    if (accepted === 5) log(`sent 5${queued}`)
    else log(`sent ${accepted} of 5, ${5 - accepted} refused (state ${client.state}${queued})`, 'error')
  })
  $('#request').addEventListener('click', () => {
    const numbers = [1, 2, 3, 4].map(() => Math.floor(Math.random() * 100))
    client.request('sum', numbers).then((sum) => log(`sum(${numbers.join(', ')}) = ${sum}`), noteError)
  })
  $('#reconnect').addEventListener('click', () => {
    try {
      client.reconnect()
    } catch (err) {
      log(`reconnect: ${err.code}`, 'error')
    }
  })
  $('#close').addEventListener('click', () => client.close(1000, 'bye from the demo'))

  // --- chat -------------------------------------------------------------------------------------------------------------
  const addChat = (text, kind = '') => {
    const li = document.createElement('li')
    li.className = kind
    li.textContent = `${clock()} ${text}`
    $('#chat-log').append(li)
    $('#chat-log').scrollTop = 1e9
  }
  $('#chat-form').addEventListener('submit', (event) => {
    event.preventDefault()
    const message = $('#chat-input').value.trim()
    if (!message) return
    $('#chat-input').value = ''
    addChat(`me: ${message}`, 'me')
    client
      .request('broadcast', { room: 'lobby', message })
      .then(({ delivered }) => delivered === 0 && addChat('(nobody else here yet: open a second tab)'), noteError)
  })

  // --- resume ------------------------------------------------------------------------------------------------------------
  const stream = {
    on: false,
    timer: 0,
    n: 0,
    sent: 0,
    seen: new Set(),
    last: 0,
    dupes: 0,
    order: 0,
    resumes: 0,
    replayed: 0,
    resets: 0,
  }
  $('#resume-mode').textContent = client.resume ? 'on' : 'off (?resume=0)'
  client.on('message', (msg) => {
    if (msg.type !== 'echo' || typeof msg.data?.stream !== 'number') return
    const n = msg.data.stream
    if (stream.seen.has(n)) stream.dupes++
    else if (n !== stream.last + 1) stream.order++
    stream.seen.add(n)
    stream.last = Math.max(stream.last, n)
  })
  client.on('resumed', ({ replayed }) => {
    stream.resumes++
    stream.replayed += replayed
    log(`resumed: the server had everything but ${replayed} message(s), which went again`)
  })
  client.on('reset', ({ reason, resent }) => {
    stream.resets++
    log(`reset (${reason}): the server could not resume; ${resent} message(s) sent again`, 'error')
  })
  const showStream = () => {
    const received = stream.seen.size
    $('#r-sent').textContent = String(stream.sent)
    $('#r-received').textContent = String(received)
    $('#r-flight').textContent = stream.on ? String(stream.sent - received) : '0'
    $('#r-lost').textContent = stream.on || stream.sent === 0 ? '–' : String(stream.sent - received)
    $('#r-dupes').textContent = String(stream.dupes)
    $('#r-order').textContent = String(stream.order)
    $('#r-resumes').textContent = String(stream.resumes)
    $('#r-replayed').textContent = String(stream.replayed)
    $('#r-resets').textContent = String(stream.resets)
    $('#r-session').textContent = client.resume?.session?.slice(0, 8) ?? '–'
  }
  setInterval(showStream, 250)
  $('#stream').addEventListener('click', () => {
    stream.on = !stream.on
    $('#stream').setAttribute('aria-pressed', String(stream.on))
    $('#stream').textContent = stream.on ? 'Stop the stream' : 'Start the stream'
    if (stream.on) {
      stream.timer = setInterval(() => {
        if (client.send('echo', { stream: stream.n + 1 })) {
          stream.n++
          stream.sent++
        }
      }, 100)
    } else clearInterval(stream.timer)
    showStream()
  })
  // fleet mode (`node scripts/start.mjs --fleet`): the backend serving this page can be killed for real
  fetch('/__status')
    .then((r) => r.json())
    .then(
      (s) => {
        if (s.killable) $('#kill-backend').hidden = false
      },
      (err) => log(`status: ${err.message}`, 'error'),
    )
  $('#kill-backend').addEventListener('click', () =>
    fault('kill', []).then(
      () => log('backend killed (SIGKILL): the next one takes the session over from Redis'),
      (err) => log(err.message, 'error'),
    ),
  )

  // For tests and the curious: the live objects.
  window.demo = {
    client,
    stream,
    spans,
    rtts,
    get reconnects() {
      return reconnects
    },
    get joined() {
      return joined
    },
    get floodCount() {
      return floodCount
    },
  }
})()
