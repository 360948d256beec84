import { join } from 'node:path'
import { expect, test } from '../lib/fixtures'
import { artifacts } from '../lib/paths'

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
