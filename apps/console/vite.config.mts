import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../../dist/console', import.meta.url));

/**
 * A .gz beside each script and style sheet, compressed once at build time at the highest level:
 * the hub sends it as is (Content-Encoding: gzip) instead of compressing on every request.
 */
function precompress(): Plugin {
  return {
    name: 'renkei-precompress',
    apply: 'build',
    closeBundle() {
      const assets = join(outDir, 'assets');
      for (const file of readdirSync(assets)) {
        if (!/\.(js|css|svg)$/.test(file)) continue;
        const body = readFileSync(join(assets, file));
        writeFileSync(
          join(assets, `${file}.gz`),
          gzipSync(body, { level: constants.Z_BEST_COMPRESSION }),
        );
      }
    },
  };
}

/**
 * Built into the hub's dist/ so the production image (dist/ alone) carries it. The hub keeps
 * React 18 at the root for the explorer's UMD files; dedupe makes the libraries hoisted there
 * (Mantine, urql) use this workspace's React 19 too, or two Reacts would meet at runtime.
 */
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), precompress()],
  resolve: { dedupe: ['react', 'react-dom'] },
  build: {
    outDir,
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
