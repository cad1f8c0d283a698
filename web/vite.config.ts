import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The UI is served by Tracehouse itself from web/dist (src/api/web-ui.ts), on
// the API port, so the bundle uses absolute /assets/ paths and needs no proxy in
// production. `vite dev` proxies the API to a running Tracehouse for UI work.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The first page must stay small (bench:ui checks < 300 KB gzipped): the trace
    // page is a lazy chunk, and react is split from app code so it caches across
    // releases of the UI.
    chunkSizeWarningLimit: 400,
    sourcemap: false,
    // .vite/manifest.json maps source modules to chunks: src/api/web-ui.ts reads it
    // to preload the trace page's chunks with a pasted /trace/<id> link.
    manifest: true,
  },
  server: {
    proxy: {
      '/api': process.env['TRACEHOUSE_API'] ?? 'http://127.0.0.1:8080',
    },
  },
});
