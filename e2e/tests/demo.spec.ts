import { join } from 'node:path'
import { expect, test } from '../lib/fixtures'
import { artifacts } from '../lib/paths'

/** In-page polling for the evaluated bodies below: resolves once `check()` is truthy, rejects after `ms`. */
const pagePoll = `const until = (check, ms = 10000) => new Promise((resolve, reject) => {
  const end = Date.now() + ms
  const poll = () => (check() ? resolve() : Date.now() > end ? reject(new Error('timed out')) : setTimeout(poll, 20))
  poll()
})`

test('the demo page: a fault button drops the link and the page shows the reconnect', async ({ engine, server }, testInfo) => {
  await engine.goto(`${server.httpUrl}/`)
  await engine.waitFor(`window.demo && window.demo.client.state === 'open'`, 'the demo to connect')
  await engine.click('[data-fault="drop"]')
  await engine.waitFor(`window.demo.reconnects >= 1 && window.demo.client.state === 'open'`, 'the reconnect', 15_000)
  await engine.click('#request')
  await engine.waitFor(`[...document.querySelectorAll('#log li')].some((li) => li.textContent.includes('sum('))`, 'the sum reply')
  const shown = await engine.evaluate<{ state: string; reconnects: number; attemptRows: number; log: string }>(`return {
    state: document.querySelector('#state').textContent,
    reconnects: Number(document.querySelector('#reconnects').textContent),
    attemptRows: document.querySelectorAll('#attempts tbody tr').length,
    log: document.querySelector('#log').textContent,
  }`)
  expect(shown.state).toBe('open')
  expect(shown.reconnects).toBeGreaterThanOrEqual(1)
  expect(shown.attemptRows).toBeGreaterThanOrEqual(1)
  expect(shown.log).toContain('fault drop()')
  expect(shown.log).toContain('close 1006')
  const path = join(artifacts, `demo-${engine.name}.png`)
  await engine.screenshot(path)
  await testInfo.attach('demo', { path, contentType: 'image/png' })
})

test('the demo chat: a message typed in a second page reaches the first through the room', async ({ engine, server }) => {
  await engine.goto(`${server.httpUrl}/`)
  await engine.waitFor('window.demo && window.demo.joined', 'the first page to join the room')
  // the second "tab" is a same-origin iframe: its own document, client and connection (popups are blocked under automation)
  const got = await engine.evaluate<{ other: string; mine: string }>(`
    const frame = document.createElement('iframe')
    frame.src = '/'
    frame.style.cssText = 'width: 800px; height: 600px'
    document.body.append(frame)
    ${pagePoll}
    await until(() => frame.contentWindow.demo && frame.contentWindow.demo.joined)
    const other = frame.contentWindow.document
    other.querySelector('#chat-input').value = 'hello from the second tab'
    other.querySelector('#chat-form').requestSubmit()
    await until(() => document.querySelector('#chat-log').textContent.includes('hello from the second tab'))
    return { other: other.querySelector('#chat-log').textContent, mine: document.querySelector('#chat-log').textContent }
  `)
  expect(got.mine).toMatch(/#\d+: hello from the second tab/)
  expect(got.other).toContain('me: hello from the second tab')
})

test('the demo on a phone (390 px wide): nothing cut off, lasting faults shown, Send 5 reports refusals', async ({
  engine,
  server,
}) => {
  await engine.goto(`${server.httpUrl}/`)
  await engine.waitFor(`window.demo && window.demo.client.state === 'open'`, 'the demo to connect')
  // The phone is a 390 px iframe: one way to size a page that every engine and driver here shares.
  const r = await engine.evaluate<{
    scrollWidth: number
    rightmost: number
    on: string
    healed: string
    log: string
  }>(`
    const frame = document.createElement('iframe')
    frame.src = '/'
    frame.style.cssText = 'width: 390px; height: 900px; border: 0'
    document.body.append(frame)
    ${pagePoll}
    await until(() => frame.contentWindow.demo && frame.contentWindow.demo.client.state === 'open')
    const doc = frame.contentWindow.document
    const scrollWidth = doc.documentElement.scrollWidth
    const rightmost = Math.max(...[...doc.querySelectorAll('button, .card')].map((e) => e.getBoundingClientRect().right))
    doc.querySelector('[data-fault="delayPongs"]').click()
    await until(() => doc.querySelector('#faults-on').textContent.includes('slow pongs'))
    const on = doc.querySelector('#faults-on').textContent
    doc.querySelector('[data-fault="reset"]').click()
    await until(() => doc.querySelector('#faults-on').textContent === '')
    const healed = doc.querySelector('#faults-on').textContent
    doc.querySelector('#close').click()
    doc.querySelector('#send-burst').click()
    return { scrollWidth, rightmost, on, healed, log: doc.querySelector('#log').textContent }
  `)
  expect(r.scrollWidth).toBeLessThanOrEqual(390)
  expect(r.rightmost).toBeLessThanOrEqual(390)
  expect(r.on).toBe('faults on: slow pongs (until Heal all)')
  expect(r.healed).toBe('')
  expect(r.log).toContain('sent 0 of 5, 5 refused (state closed')
  expect(r.log).not.toContain('sent 5')
})

test('the demo resume card: a stream through a dropped link and a restart ends with nothing in flight and nothing twice', async ({
  engine,
  server,
}) => {
  await engine.goto(`${server.httpUrl}/`)
  await engine.waitFor(`window.demo && window.demo.client.state === 'open' && window.demo.client.resume.active`, 'resume on')
  await engine.click('#stream')
  await engine.waitFor('window.demo.stream.seen.size >= 10', 'the stream')
  await engine.click('[data-fault="drop"]')
  await engine.waitFor('window.demo.stream.resumes >= 1 && window.demo.stream.seen.size >= 30', 'a resume', 15_000)
  await engine.click('#stream')
  await engine.waitFor(`document.querySelector('#r-lost').textContent === '0'`, 'nothing lost', 10_000)
  const shown = await engine.evaluate<Record<string, string>>(`return Object.fromEntries(
    ['sent', 'received', 'lost', 'dupes', 'order', 'resumes', 'resets'].map((k) => [k, document.querySelector('#r-' + k).textContent]))`)
  expect(shown['sent']).toBe(shown['received'])
  expect(shown['dupes']).toBe('0')
  expect(shown['order']).toBe('0')
  expect(shown['resets']).toBe('0')
  expect(Number(shown['resumes'])).toBeGreaterThanOrEqual(1)
})
