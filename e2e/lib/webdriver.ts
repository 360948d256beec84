import { type ChildProcess, spawn } from 'node:child_process'
import { expect } from '@playwright/test'
import { freePort } from './ports'

/** The W3C WebDriver calls the e2e suite needs, over HTTP, nothing more. */
export class WebDriverSession {
  constructor(
    private readonly base: string,
    readonly id: string,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}/session/${this.id}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    })
    const json = (await res.json()) as { value: T & { error?: string; message?: string } }
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value.error ?? res.status} ${json.value.message ?? ''}`)
    return json.value
  }

  navigate(url: string): Promise<unknown> {
    return this.call('POST', '/url', { url })
  }

  /** Runs `body` as an async script: it gets `args` and resolves the call with what it returns. */
  executeAsync<T>(body: string, args: unknown[] = []): Promise<T> {
    const script = `const done = arguments[arguments.length - 1]; const args = Array.prototype.slice.call(arguments, 0, -1);
      Promise.resolve().then(async () => { ${body} }).then(done, (e) => done({ __error: String(e && e.stack || e) }));`
    return this.call<T & { __error?: string }>('POST', '/execute/async', { script, args }).then((value) => {
      if (value && typeof value === 'object' && '__error' in value) throw new Error(String(value.__error))
      return value
    })
  }

  async screenshot(): Promise<Buffer> {
    return Buffer.from(await this.call<string>('GET', '/screenshot'), 'base64')
  }

  async setWindowRect(width: number, height: number): Promise<void> {
    await this.call('POST', '/window/rect', { width, height })
  }

  async setScriptTimeout(ms: number): Promise<void> {
    await this.call('POST', '/timeouts', { script: ms })
  }

  async close(): Promise<void> {
    await this.call('DELETE', '')
  }
}

/** WebKitGTK (MiniBrowser) under its own Xvfb display, driven by WebKitWebDriver. One per Playwright worker. */
export class WebKitDriver {
  private constructor(
    private readonly xvfb: ChildProcess,
    private driver: ChildProcess,
    private base: string,
    private readonly driverPath: string,
    private readonly display: string,
  ) {}

  /** Starts WebKitWebDriver on a free port of `display` and waits until it answers. */
  private static async driverOn(driverPath: string, display: string): Promise<[ChildProcess, string]> {
    const port = await freePort()
    const driver = spawn(driverPath, [`--port=${port}`, '--host=127.0.0.1'], {
      env: { ...process.env, DISPLAY: `:${display}` },
      stdio: 'ignore',
    })
    const base = `http://127.0.0.1:${port}`
    await expect
      .poll(
        () =>
          fetch(`${base}/status`).then(
            (r) => r.ok,
            () => false,
          ),
        { message: 'WebKitWebDriver to answer', timeout: 15_000, intervals: [50] },
      )
      .toBe(true)
    return [driver, base]
  }

  static async start(driverPath: string): Promise<WebKitDriver> {
    // -displayfd: Xvfb picks a free display and writes its number to fd 3.
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    })
    const display = await new Promise<string>((resolve, reject) => {
      let text = ''
      xvfb.stdio[3]?.on('data', (chunk: Buffer) => {
        text += chunk.toString()
        if (text.includes('\n')) resolve(text.trim())
      })
      xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)))
    })
    const [driver, base] = await WebKitDriver.driverOn(driverPath, display)
    return new WebKitDriver(xvfb, driver, base, driverPath, display)
  }

  /**
   * A new browser session. WebKitGTK's browser sometimes hangs while starting (CI saw a session request hang for the
   * test's whole minute, then the driver hung up): each try gets 15 s, and a failed one restarts the driver.
   */
  async session(): Promise<WebDriverSession> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.trySession()
      } catch (err) {
        if (attempt === 3) throw err
        console.warn(`WebKitWebDriver: no session on try ${attempt} (${(err as Error).message}); restarting the driver`)
        await this.stopDriver()
        ;[this.driver, this.base] = await WebKitDriver.driverOn(this.driverPath, this.display)
      }
    }
  }

  private async trySession(): Promise<WebDriverSession> {
    const res = await fetch(`${this.base}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { args: ['--automation'] } } } }),
      signal: AbortSignal.timeout(15_000),
    })
    const json = (await res.json()) as { value: { sessionId?: string; message?: string } }
    if (!json.value.sessionId) throw new Error(`WebKitWebDriver: no session: ${json.value.message}`)
    const session = new WebDriverSession(this.base, json.value.sessionId)
    await session.setScriptTimeout(60_000)
    await session.setWindowRect(1280, 900)
    return session
  }

  private async stopDriver(): Promise<void> {
    if (this.driver.exitCode !== null || this.driver.signalCode !== null) return
    const exited = new Promise((resolve) => this.driver.once('exit', resolve))
    this.driver.kill('SIGKILL')
    await exited
  }

  async stop(): Promise<void> {
    for (const child of [this.driver, this.xvfb]) {
      if (child.exitCode !== null || child.signalCode !== null) continue
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }
}
