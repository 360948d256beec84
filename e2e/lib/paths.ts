import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const e2eDir = join(dirname(fileURLToPath(import.meta.url)), '..')
export const pagesDir = join(e2eDir, 'pages')
export const artifacts = join(e2eDir, '.artifacts')
