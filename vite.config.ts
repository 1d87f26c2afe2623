// Build of the PWA: Preact, and the service worker from src/sw.ts with the precache manifest injected.
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    alias: [
      // Dexie's package entry wraps its ES5 build (dexie.js, 275 KB) to guard against two copies in one app;
      // the bundle has one copy anyway, and the ES2018 build is 2 KB smaller gzipped and starts faster.
      { find: /^dexie$/, replacement: fileURLToPath(new URL('./node_modules/dexie/dist/modern/dexie.mjs', import.meta.url)) },
    ],
  },
  build: {
    // Every browser that runs this app (it needs IndexedDB, service workers and ES2020) supports modulepreload.
    modulePreload: { polyfill: false },
    // dist/.vite/manifest.json: the chunk graph `npm run bench` reads to count what a round needs (never served).
    manifest: true,
  },
  plugins: [
    preact(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      // register.ts registers through workbox-window so the update prompt can hold back a waiting worker.
      injectRegister: false,
      registerType: 'prompt',
      includeAssets: ['icon.svg', 'apple-touch-icon.png'],
      injectManifest: {
        // A classic script, built as one IIFE: the plugin's default ES format inlines dynamic imports through an
        // option Vite 8 deprecates, which printed a warning on every `npm start`.
        rollupFormat: 'iife',
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // The worker is one classic script: vite's preload wrapper around a dynamic import (the page's lazily loaded
        // schemas, src/data/schemas.ts, and cipher, src/data/load-crypto.ts) reads import.meta, which a classic worker
        // cannot even parse. The worker imports both statically instead.
        buildPlugins: {
          vite: [
            {
              name: 'lk-sw-static-schemas',
              config: () => ({
                resolve: {
                  alias: [
                    { find: /^\.\/schemas$/, replacement: fileURLToPath(new URL('./src/data/schemas-static.ts', import.meta.url)) },
                    { find: /^\.\/load-crypto$/, replacement: fileURLToPath(new URL('./src/data/load-crypto-static.ts', import.meta.url)) },
                  ],
                },
              }),
            },
          ],
        },
      },
      manifest: {
        name: 'Luisterkring',
        short_name: 'Luisterkring',
        description: 'De luisterronde offline begeleiden, timen en synchroniseren.',
        lang: 'nl',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#1d2b36',
        background_color: '#121a21',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
    }),
  ],
  server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
});
