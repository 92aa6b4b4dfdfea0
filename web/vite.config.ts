import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The portal's bundle: Preact's JSX, no inline script or style anywhere (the server's CSP allows only
// 'self'), no asset inlined as a data: URL, everything from node_modules (the portal works offline).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
