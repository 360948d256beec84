import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// Built into dist/ and served by the test server under /example/ (see package.json), on the WebSocket's origin.
// `pnpm dev` runs Vite's dev server instead; it proxies /ws to a test server on :8080 (`pnpm start` at the root).
export default defineConfig({
  plugins: [react()],
  base: '/example/',
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/ws': { target: 'ws://127.0.0.1:8080', ws: true }, '/__faults': 'http://127.0.0.1:8080' } },
})
