import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/** The dashboard: `renderer/` built into `dist/renderer/`, which `goldloop serve` (and later the Electron window) loads. */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: '/',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill is only for old browsers and would be an extra script; Chromium has modulepreload.
    modulePreload: { polyfill: false },
  },
});
