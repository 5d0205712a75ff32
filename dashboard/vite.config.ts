// Builds the dashboard (Preact, esbuild's automatic JSX) into dist/dashboard, served by the
// server at /dashboard. `npm run build` runs it; `npm run dashboard:dev` serves it with hot reload
// and forwards the API to a server on port 3000.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  publicDir: false,
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../dist/dashboard', import.meta.url)),
    // The folder is outside Vite's root, which Vite only empties when told to.
    emptyOutDir: true,
    // chart.js is most of the bundle; one file of about 250 KB is fine for an admin page.
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
