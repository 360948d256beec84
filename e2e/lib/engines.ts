import { existsSync } from 'node:fs'
import { chromium, firefox } from 'playwright'

/** Where each engine comes from on this machine, or why it is missing. */
export interface EngineFound {
  name: 'chromium' | 'firefox' | 'webkit'
  executable?: string
  /** `debian`: the system build (Firefox ESR through WebDriver BiDi); `playwright`: Playwright's own download. */
  source?: 'debian' | 'playwright'
  missing?: string
}

const which = (paths: string[]): string | undefined => paths.find((p) => existsSync(p))

function playwrightOwn(browser: typeof chromium | typeof firefox): string | undefined {
  try {
    const path = browser.executablePath()
    return existsSync(path) ? path : undefined
  } catch {
    return undefined
  }
}

/** Debian's browsers first (CI installs them), then Playwright's own downloads where a developer has them. */
export function findEngines(): EngineFound[] {
  const found = (name: EngineFound['name'], debian: string | undefined, own: string | undefined, hint: string): EngineFound =>
    debian
      ? { name, executable: debian, source: 'debian' }
      : own
        ? { name, executable: own, source: 'playwright' }
        : { name, missing: hint }
  const webkitDriver = which(['/usr/bin/WebKitWebDriver'])
  const xvfb = which(['/usr/bin/Xvfb'])
  return [
    found('chromium', which(['/usr/bin/chromium']), playwrightOwn(chromium), 'no /usr/bin/chromium (apt-get install chromium)'),
    found(
      'firefox',
      which(['/usr/bin/firefox-esr']),
      playwrightOwn(firefox),
      'no /usr/bin/firefox-esr (apt-get install firefox-esr)',
    ),
    webkitDriver && xvfb
      ? { name: 'webkit', executable: webkitDriver, source: 'debian' }
      : { name: 'webkit', missing: 'no WebKitWebDriver or Xvfb (apt-get install webkit2gtk-driver xvfb)' },
  ]
}

export const nginxBinary = (): string | undefined => which(['/usr/sbin/nginx'])
