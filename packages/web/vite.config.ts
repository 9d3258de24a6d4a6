import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/** The API the dev server proxies to (`npm run dev:web`); start it with AHUB_PUBLIC_URL set to Vite's URL. */
const api = process.env.AHUB_SERVER ?? 'http://127.0.0.1:8080'
const proxied = ['/v1', '/auth', '/oidc', '/openapi.json', '/health', '/ready', '/.well-known']

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: api, changeOrigin: false }])),
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
})
