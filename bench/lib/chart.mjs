// The SVG for RESULTS.md: the reconnect storm's arrivals per 100 ms, one line per library, and bars for size and
// memory. Plain SVG text, no dependencies.
const COLORS = {
  lifeline: '#1f9d55',
  'reconnecting-websocket': '#3b82f6',
  partysocket: '#f59e0b',
  'socket.io': '#ef4444',
  'raw ws': '#6b7280',
}
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;')

export function chart({ storm, size, memory }) {
  const W = 900
  const parts = []
  // panel 1: storm
  const x0 = 60
  const y0 = 40
  const w = W - 90
  const h = 220
  const maxBins = Math.max(...Object.values(storm.rows).map((r) => r.bins.length), 1)
  const peak = Math.max(...Object.values(storm.rows).map((r) => r.peakPer100ms), 1)
  const sx = (i) => x0 + (i / maxBins) * w
  const sy = (v) => y0 + h - (v / peak) * h
  parts.push(
    `<text x="${x0}" y="24" font-size="15" font-weight="bold">Reconnect storm: ${storm.clients} clients, server restart at t = 0 — arrivals per ${storm.binMs} ms</text>`,
  )
  parts.push(
    `<line x1="${x0}" y1="${y0 + h}" x2="${x0 + w}" y2="${y0 + h}" stroke="#999"/><line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y0 + h}" stroke="#999"/>`,
  )
  for (let s = 0; s <= maxBins / 10; s++) {
    parts.push(`<text x="${sx(s * 10)}" y="${y0 + h + 16}" font-size="11" text-anchor="middle">${s} s</text>`)
  }
  parts.push(
    `<text x="${x0 - 8}" y="${y0 + 4}" font-size="11" text-anchor="end">${peak}</text><text x="${x0 - 8}" y="${y0 + h}" font-size="11" text-anchor="end">0</text>`,
  )
  const uy = sy(storm.uniformPer100ms)
  parts.push(
    `<line x1="${x0}" y1="${uy}" x2="${x0 + w}" y2="${uy}" stroke="#1f9d55" stroke-dasharray="4 4" opacity="0.6"/><text x="${x0 + w}" y="${uy - 4}" font-size="10" text-anchor="end" fill="#1f9d55">uniform over 1 s</text>`,
  )
  Object.entries(storm.rows).forEach(([name, r], i) => {
    const pts = r.bins.map((v, j) => `${sx(j + 0.5).toFixed(1)},${sy(v).toFixed(1)}`).join(' ')
    parts.push(`<polyline points="${pts}" fill="none" stroke="${COLORS[name]}" stroke-width="2"/>`)
    const label = `${name} (peak ${r.peakPer100ms} per 100 ms, all back in ${(r.lastMs / 1000).toFixed(1)} s)`
    const lx = x0 + (i % 2) * 400
    const ly = y0 + h + 36 + Math.floor(i / 2) * 16
    parts.push(
      `<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${COLORS[name]}"/><text x="${lx + 14}" y="${ly}" font-size="11">${esc(label)}</text>`,
    )
  })
  // panel 2: bars
  const bars = (title, top, rows, unit) => {
    const max = Math.max(...rows.map(([, v]) => v), 1)
    parts.push(`<text x="${x0}" y="${top}" font-size="15" font-weight="bold">${esc(title)}</text>`)
    rows.forEach(([name, v], i) => {
      const y = top + 12 + i * 22
      parts.push(`<text x="${x0 + 170}" y="${y + 13}" font-size="12" text-anchor="end">${esc(name)}</text>`)
      parts.push(
        `<rect x="${x0 + 178}" y="${y}" width="${((v / max) * (w - 260)).toFixed(1)}" height="16" fill="${COLORS[name.split(' (')[0]] ?? '#6b7280'}"/>`,
      )
      parts.push(
        `<text x="${x0 + 184 + (v / max) * (w - 260)}" y="${y + 13}" font-size="12">${v.toLocaleString('en')} ${unit}</text>`,
      )
    })
    return top + 12 + rows.length * 22 + 30
  }
  const end = (top) => top - 14
  let top = y0 + h + 92
  top = bars(
    'Browser bundle, min + gzip (dependencies included)',
    top,
    [
      ['lifeline', size.rows['lifeline.min.js (published)'].gzipBytes],
      ['partysocket', size.rows.partysocket.gzipBytes],
      ['reconnecting-websocket', size.rows['reconnecting-websocket'].gzipBytes],
      ['socket.io', size.rows['socket.io-client'].gzipBytes],
    ],
    'B',
  )
  top = bars(
    'Idle memory per connection over raw ws (heap)',
    top,
    Object.entries(memory.rows)
      .filter(([n]) => n !== 'raw ws')
      .map(([n, r]) => [n, Math.max(0, r.heapOverRaw)]),
    'B',
  )
  top = end(top)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${top}" viewBox="0 0 ${W} ${top}" font-family="system-ui, sans-serif">
<title>Lifeline benchmarks: reconnect storm, bundle size, memory per connection</title>
<rect width="100%" height="100%" fill="#fff"/>
${parts.join('\n')}
</svg>
`
}
