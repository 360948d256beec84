import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'vite'
import { artifacts, pagesDir } from './paths'

export const spaOut = join(artifacts, 'spa')

/** Builds the SPA page with Vite, for the browser, as a user's app would be. Returns the JS it emitted. */
export async function buildSpa(): Promise<{ files: string[]; code: string }> {
  await build({
    root: join(pagesDir, 'spa'),
    base: '/spa/',
    logLevel: 'warn',
    build: { outDir: spaOut, emptyOutDir: true, minify: true },
  })
  const assets = join(spaOut, 'assets')
  const files = readdirSync(assets).filter((f) => f.endsWith('.js'))
  return { files, code: files.map((f) => readFileSync(join(assets, f), 'utf8')).join('\n') }
}
