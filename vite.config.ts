// Build of the PWA: Preact, and the service worker from src/sw.ts (added with the PWA set-up).
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  plugins: [preact()],
  server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
});
