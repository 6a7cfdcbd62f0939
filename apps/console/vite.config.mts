import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Built into the hub's dist/ so the production image (dist/ alone) carries it. The hub keeps
 * React 18 at the root for the explorer's UMD files; dedupe makes the libraries hoisted there
 * (Mantine, urql) use this workspace's React 19 too, or two Reacts would meet at runtime.
 */
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  resolve: { dedupe: ['react', 'react-dom'] },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // The hub serves no source maps: they would publish the console's source to every visitor
    // without helping an operator, who has the repository.
    sourcemap: false,
    // Vite inlines small images as data: URIs; the CSP allows data: only for images, and fonts
    // come from the system (no external font, hubs run air-gapped).
    assetsInlineLimit: 0,
  },
});
